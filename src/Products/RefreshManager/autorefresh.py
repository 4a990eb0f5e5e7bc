"""Auto-refresh: changed products are refreshed before a request is
traversed; and cluster refreshes asked for by other processes.

Modern Zope has no connection-open hooks, so the object the publisher
calls to open its connection (``Zope2.bobo_application``, which
``ZPublisher.WSGIPublisher.load_app`` and ``Zope2.app()`` call) is
wrapped, always: every request holds the refresh gate while its
connection is open (see `requestgate`). The wrapper's other per-request
work is a truth test of the change set that a background watcher fills
(no file is looked at on a request thread) and, in a process that takes
part in cluster refreshes, the comparison of one generation number (see
``cluster.member``), and one look at the save sentinel (see
``notice.sentinel``): a save that finished before the request started
marks its product right there, whatever the watcher's delay. Only when a
product changed does it read which
products have auto-refresh on (from ``RefreshData`` on the request's own
connection, so a change made by another Zope process counts), refresh
those, and give the request a fresh cache so it already sees the new
classes; the same after a cluster refresh replaced classes.

This module keeps the process's hook, watcher and change set, so it
opts out of refreshes.
"""
import atexit
import logging
import os
import sys
import threading

from . import state
from .cluster import process as cluster_process
from .config import zope_auto_refresh_config
from .config import zope_live_config
from .config import zope_refresh_timeout
from .engine.read.files import fingerprint
from .engine.record.sync import remember_loaded
from .engine.stage.lock import REFRESH_LOCK
from .engine.stage.lock import take_refresh_lock
from .live import hub as live
from .notice.optin import OptInScan
from .notice.sentinel import sentinel
from .notice.watch import EventWatcher
from .notice.watch import PollWatcher
from .products import installed_products
from .refresh import refresh_products
from .requestgate import open_under_gate
from .settings import RefreshSettings
from .wording import count


__refresh_module__ = False

logger = logging.getLogger('Products.RefreshManager')

config = None  # the AutoRefreshConfig of this process, once Zope started
watcher = None
save_sentinel = None  # sees the saves the watcher has not reported yet
watch_config = None  # what the watcher was started with
opt_in_scan = None
OPT_IN_INTERVAL = 1.0  # seconds between looks for new refresh.txt files
_switching = threading.RLock()  # held while the watchers are replaced


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
    if not take_refresh_lock(timeout):
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
        saves = save_sentinel
        if saves is not None and saves.pending():
            mark_changed(saves.take())
        stale = bool(state.changes) and refresh_changed(app)
        member = cluster_process.member
        if member is not None and member.behind(app._p_jar.root()):
            stale = member.catch_up(app) or stale
        if stale:
            jar = app._p_jar
            jar._resetCache()
            app = self.opener(jar)
        return app


def product_of(path, products):
    for name, product in products.items():
        if path.startswith(product.folder + os.sep):
            return name
    return None


_marked_as = {}  # path -> its fingerprint when it was last marked
_marking = threading.Lock()  # a path looked at and its product marked


def _newly_changed(path):
    """Whether `path` changed since it was last marked: the sentinel and
    the watcher both report a save, and it is one change."""
    now = fingerprint(path)
    if path in _marked_as and _marked_as[path] == now:
        return False
    _marked_as[path] = now
    return True


def mark_changed(paths):
    """Mark the products of `paths` changed; one thread at a time, so a
    request that finds a path already looked at finds its product
    marked."""
    with _marking:
        _mark([path for path in paths if _newly_changed(path)])


def _mark(paths):
    if not paths:
        return
    products = installed_products()
    owners = {path: product_of(path, products) for path in paths}
    # The ZCML mark first: a request that sees the product marked sees it.
    state.zcml_changes.mark({name for path, name in owners.items()
                             if name and path.endswith('.zcml')})
    state.changes.mark(set(owners.values()) - {None})
    live.saved()


def refreshable_folders(products):
    """Looked at once per start: a product's `refreshable` asks the disk
    each time, and a package opting out between two looks would be
    watched by one and not known to the other."""
    return frozenset(p.folder for p in products.values() if p.refreshable)


def outermost(folders):
    """Only what can be refreshed is watched; a package inside another
    is watched with it."""
    return [folder for folder in sorted(folders)
            if not any(folder.startswith(other + os.sep)
                       for other in folders)]


def product_folders():
    return [product.folder for product in installed_products().values()]


def folder_count(roots):
    """The folders below `roots`: each is one inotify watch with events."""
    return sum(1 for root in roots for _walked in os.walk(root))


def start_watching(auto_config):
    """Watch the refreshable products, and look for packages opting in or
    out, which starts watching again with the new set. The new watcher
    takes its fingerprints before the old one stops: no edit is missed.
    One at a time: the opt-in scan's thread starts watching again too."""
    with _switching:
        return _start_watching(auto_config)


def _start_watching(auto_config):
    global watcher, opt_in_scan, watch_config, save_sentinel
    products = installed_products()
    opted = refreshable_folders(products)
    roots = outermost(opted)
    old = (watcher, opt_in_scan, save_sentinel)
    save_sentinel = sentinel(roots) if roots else None
    if auto_config.watcher == 'poll' or not roots:
        watcher = PollWatcher(roots, mark_changed, auto_config.poll_interval)
    else:
        watcher = EventWatcher(roots, mark_changed)
    # What the scan starts from is what the watcher watches: a package
    # that opts out between the two looks is noticed all the same.
    opt_in_scan = OptInScan(
        product_folders, opted_in_or_out, OPT_IN_INTERVAL, known=opted)
    watch_config = auto_config
    for running in old:
        if running is not None:
            running.stop()
    logger.info(
        'watching %s in %s (%s, %s); looking for a new refresh.txt in %s '
        'every %g s; %s', count(len(watcher.files), 'file'),
        count(len(roots), 'product'), auto_config.watcher,
        count(folder_count(roots), 'folder'),
        count(len(products), 'package folder'), OPT_IN_INTERVAL,
        'a save is seen by the next request (inotify)' if save_sentinel
        else "a save is seen once the watcher reports it")
    opt_in_scan.start()
    return watcher.start()


def opted_in_or_out(gained, lost):
    """A package gained or lost its refresh.txt: the watched folders are
    worked out again, then it counts as changed (after the new watcher
    took its fingerprints, so no edit falls in between)."""
    if sys.is_finalizing():
        return  # Python is exiting: no watcher is started again
    with _switching:
        if opt_in_scan is None or not opt_in_scan.running_here():
            return  # a scan that was stopped meanwhile: it changes nothing
        _start_watching(watch_config)
    products = installed_products()
    state.changes.mark({name for name, product in products.items()
                        if product.folder in gained | lost})


def stop_watching():
    global watcher, opt_in_scan, save_sentinel
    with _switching:
        if save_sentinel is not None:
            save_sentinel.stop()
            save_sentinel = None
        if opt_in_scan is not None:
            opt_in_scan.stop()
            opt_in_scan = None
        if watcher is not None:
            watcher.stop()
            watcher = None
save_sentinel = None  # sees the saves the watcher has not reported yet


def install(auto_config):
    """Wrap the application opener (always: requests hold the refresh
    gate, and cluster refreshes are checked for), and start watching if
    auto-refresh is active."""
    global config
    import Zope2
    config = auto_config
    if not isinstance(Zope2.bobo_application, AutoRefreshingApplication):
        Zope2.bobo_application = AutoRefreshingApplication(
            Zope2.bobo_application)
    if auto_config.active:
        start_watching(auto_config)


def database_opened(event):
    """Zope has started: products are installed, the opener exists, and
    what their modules run was made from their files as they are now."""
    remember_loaded()
    install(zope_auto_refresh_config())
    live.start(zope_live_config())


atexit.register(stop_watching)
atexit.register(live.stop)
