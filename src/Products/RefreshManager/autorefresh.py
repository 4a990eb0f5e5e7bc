"""Auto-refresh: changed products are refreshed before a request is
traversed.

Modern Zope has no connection-open hooks, so the object the publisher
calls to open its connection (``Zope2.bobo_application``, which
``ZPublisher.WSGIPublisher.load_app`` and ``Zope2.app()`` call) is
wrapped, always: every request holds the refresh gate while its
connection is open (see `requestgate`). The wrapper's only other
per-request work is a truth test of the
change set that a background watcher fills: no file is looked at on a
request thread. Only when a product changed does it read which products
have auto-refresh on (from ``RefreshData`` on the request's own
connection, so a change made by another Zope process counts), refresh
those, and give the request a fresh cache so it already sees the new
classes.

This module keeps the process's hook, watcher and change set, so it
opts out of refreshes.
"""
import atexit
import logging
import os

import Products

from . import state
from .config import zope_auto_refresh_config
from .config import zope_refresh_timeout
from .engine.gate import GATE
from .engine.lock import REFRESH_LOCK
from .engine.watch import EventWatcher
from .engine.watch import PollWatcher
from .products import installed_products
from .refresh import refresh_products
from .requestgate import open_under_gate
from .settings import RefreshSettings
from .wording import count


__refresh_module__ = False

logger = logging.getLogger('Products.RefreshManager')

config = None  # the AutoRefreshConfig of this process, once Zope started
watcher = None


def refresh_changed(app):
    """Refresh the auto-refresh products that changed; True if any was
    and persistent objects must be loaded again (classes were replaced).

    A request that finds such a product waits for the refresh lock, so
    none is served by code that is halfway through being refreshed;
    other requests never touch the lock. It waits no longer than the
    refresh time limit: a refresh still running then (one stuck in C
    code) is left to finish, and the request is served as it is.
    """
    settings = RefreshSettings(app._p_jar.root())
    if not state.changes.marked().intersection(settings.auto_products()):
        return False
    timeout = zope_refresh_timeout()
    with GATE.parked():
        locked = REFRESH_LOCK.acquire(timeout=timeout)
    if not locked:
        logger.warning('auto-refresh skipped for this request: another '
                       'refresh was still running after %g s', timeout)
        return False
    try:  # another request may have refreshed them meanwhile
        names = state.changes.marked().intersection(settings.auto_products())
        products = installed_products()
        gone = {name for name in names
                if name not in products or not products[name].refreshable}
        state.changes.take(gone)
        names -= gone
        if not names:
            return False
        outcome = refresh_products(app, sorted(names), products, settings,
                                   automatic=True,
                                   zcml=state.zcml_changes.take(names))
        return outcome.ok and outcome.report.classes_replaced
    finally:
        REFRESH_LOCK.release()


class AutoRefreshingApplication:
    """Wraps the application opener; see the module docstring."""

    def __init__(self, opener):
        self.opener = opener

    def __getattr__(self, name):
        return getattr(self.opener, name)

    def __call__(self, connection=None):
        app = open_under_gate(self.opener, connection,
                              config and config.refresh_timeout)
        if state.changes and refresh_changed(app):
            jar = app._p_jar
            jar._resetCache()
            app = self.opener(jar)
        return app


def product_of(path, products):
    for name, product in products.items():
        if path.startswith(product.folder + os.sep):
            return name
    return None


def mark_changed(paths):
    products = installed_products()
    names = {product_of(path, products) for path in paths}
    state.zcml_changes.mark(
        {product_of(path, products) for path in paths
         if path.endswith('.zcml')} - {None})
    state.changes.mark(names - {None})


def watched_roots():
    """The folders products live in, so new products are seen too, and
    the folders of products outside them (registered packages, editable
    installs through an import hook)."""
    roots = [path for path in Products.__path__ if os.path.isdir(path)]
    roots += [product.folder for product in installed_products().values()
              if not any(product.folder.startswith(root + os.sep)
                         for root in roots)]
    return sorted(set(roots))


def start_watching(auto_config):
    global watcher
    stop_watching()
    roots = watched_roots()
    if auto_config.watcher == 'poll':
        watcher = PollWatcher(roots, mark_changed, auto_config.poll_interval)
    else:
        watcher = EventWatcher(roots, mark_changed)
    refreshable = {name: product
                   for name, product in installed_products().items()
                   if product.refreshable}
    files = sum(1 for path in watcher.files
                if product_of(path, refreshable) is not None)
    logger.info('watching %s in %s (%s)', count(files, 'file'),
                count(len(refreshable), 'product'), auto_config.watcher)
    return watcher.start()


def stop_watching():
    global watcher
    if watcher is not None:
        watcher.stop()
        watcher = None


def install(auto_config):
    """Wrap the application opener (always: requests hold the refresh
    gate), and start watching if auto-refresh is active."""
    global config
    import Zope2
    config = auto_config
    if not isinstance(Zope2.bobo_application, AutoRefreshingApplication):
        Zope2.bobo_application = AutoRefreshingApplication(
            Zope2.bobo_application)
    if auto_config.active:
        start_watching(auto_config)


def database_opened(event):
    """Zope has started: products are installed, the opener exists."""
    install(zope_auto_refresh_config())


atexit.register(stop_watching)
