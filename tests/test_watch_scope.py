"""The watcher watches only what can be refreshed, and notices a package
opting in."""
import os

import pytest

from Products.RefreshManager import autorefresh
from Products.RefreshManager import state
from Products.RefreshManager.products import installed_products

from .conftest import THING_PRODUCT
from .server import inotify_watches
from .test_autorefresh import wait_until


@pytest.fixture
def events_watcher(zope):
    assert autorefresh.watcher.ready.wait(5)
    if not isinstance(autorefresh.watcher, autorefresh.EventWatcher):
        pytest.skip('the session watcher is not the event watcher')
    return autorefresh.watcher


def test_only_refreshable_products_are_watched(events_watcher):
    # Products other tests removed are dropped within the scan interval.
    wait_until(lambda: autorefresh.watcher.roots == autorefresh.watched_roots(
        installed_products()))
    roots = autorefresh.watcher.roots
    refreshable = [p.folder for p in installed_products().values()
                   if p.refreshable]
    assert roots and set(roots) <= set(refreshable)
    # Not the Products folders, nor packages without refresh.txt.
    import Products
    assert not set(Products.__path__) & set(roots)


@pytest.mark.skipif(not os.path.isdir('/proc/self/fdinfo'),
                    reason='needs Linux /proc')
def test_inotify_watches_are_the_watched_folders(events_watcher):
    wait_until(lambda: autorefresh.watcher.roots == autorefresh.watched_roots(
        installed_products()) and autorefresh.watcher.ready.is_set())
    watcher = autorefresh.watcher
    assert inotify_watches(watcher.process.pid) == \
        autorefresh.folder_count(watcher.roots)


def test_a_package_opting_in_is_watched(zope, make_product):
    files = dict(THING_PRODUCT)
    del files['refresh.txt']
    product = make_product(files)
    folder = str(zope.products_folder / product.name)
    assert folder not in autorefresh.watcher.roots
    product.write({'refresh.txt': ''})
    wait_until(lambda: autorefresh.watcher is not None
               and folder in autorefresh.watcher.roots)
    wait_until(lambda: product.name in state.changes.marked())
    product.write({'content.py': THING_PRODUCT['content.py']
                   .replace("'hello'", "'watched'")})
    state.changes.take([product.name])
    wait_until(lambda: product.name in state.changes.marked())
