"""The watcher watches only what can be refreshed, and notices a package
opting in."""
import os

import pytest

from Products.RefreshManager import autorefresh
from Products.RefreshManager import state
from Products.RefreshManager.products import Product
from Products.RefreshManager.products import installed_products

from ..conftest import THING_PRODUCT
from ..server import inotify_watches
from .test_autorefresh import wait_until


@pytest.fixture
def events_watcher(zope):
    assert autorefresh.watcher.ready.wait(5)
    if not isinstance(autorefresh.watcher, autorefresh.EventWatcher):
        pytest.skip('the session watcher is not the event watcher')
    return autorefresh.watcher


def watched_roots(products):
    return autorefresh.outermost(autorefresh.refreshable_folders(products))


def settled():
    """The installed products and the watcher's roots, once the watcher
    watches what they call for: products other tests removed or added
    are taken into account within the scan interval, asynchronously."""
    found = {}

    def matches():
        found['products'] = installed_products()
        found['roots'] = list(autorefresh.watcher.roots)
        return (found['roots'] == watched_roots(found['products'])
                and autorefresh.watcher.ready.is_set())

    try:
        wait_until(matches, timeout=20)
    except AssertionError:
        expected = watched_roots(found['products'])
        raise AssertionError(
            f'the watcher watches {found["roots"]}, not {expected} '
            f'(ready: {autorefresh.watcher.ready.is_set()}, '
            f'scan: {autorefresh.opt_in_scan})') from None
    return found['products'], found['roots']


def test_only_refreshable_products_are_watched(events_watcher):
    products, roots = settled()
    refreshable = [p.folder for p in products.values() if p.refreshable]
    assert roots and set(roots) <= set(refreshable)
    # Not the Products folders, nor packages without refresh.txt.
    import Products
    assert not set(Products.__path__) & set(roots)


@pytest.mark.skipif(not os.path.isdir('/proc/self/fdinfo'),
                    reason='needs Linux /proc')
def test_inotify_watches_are_the_watched_folders(events_watcher):
    settled()
    # Folders come and go below the roots (__pycache__ of other tests'
    # imports), and a new watcher may take over: the counts must meet,
    # which they never would if the watcher watched more than its roots.

    def counts_meet():
        watcher = autorefresh.watcher
        try:
            watches = inotify_watches(watcher.process.pid)
        except OSError:  # a watcher stopped meanwhile
            return False
        return watches == autorefresh.folder_count(watcher.roots)

    wait_until(counts_meet, timeout=20)


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


def test_a_package_opting_out_while_watching_starts_is_noticed(
        zope, make_product, monkeypatch):
    # Its refresh.txt goes right after the watcher's folders are worked
    # out: the opt-in scan must start from what the watcher watches, or
    # the loss is never reported and the package stays watched (seen
    # once in CI, with a test product being removed).
    product = make_product()
    folder = str(zope.products_folder / product.name)
    refreshable = Product.refreshable.fget

    def opting_out(self):
        was = refreshable(self)
        if was and self.folder == folder:
            os.remove(os.path.join(folder, 'refresh.txt'))
        return was

    monkeypatch.setattr(Product, 'refreshable', property(opting_out))
    started = autorefresh.start_watching(autorefresh.watch_config)
    assert folder in started.roots
    assert not os.path.exists(os.path.join(folder, 'refresh.txt'))
    wait_until(lambda: autorefresh.watcher is not None
               and folder not in autorefresh.watcher.roots)
