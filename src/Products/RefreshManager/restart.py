"""Restart Zope, where only a restart will do.

Some changes no refresh can make right: a module that opts out of
refreshes (``__refresh_module__ = False``) whose file changed, ZCML that
would patch code a second time. For those, in debug mode, the product
pages offer **Restart Zope** (and auto-refresh restarts by itself when
``auto-restart on`` asks for it).

The process ``runwsgi`` started executes itself again, with the same
interpreter and arguments (as hupper re-executes its worker): the same
PID, the same port, the same configuration. First it lets the requests
that are running finish (and the answer to the click go out), and closes
the database, as a normal shutdown does; requests arriving meanwhile
wait, then find Zope gone, and the pages that follow the refreshes wait
for it to come back (see ``live``).
"""
import logging
import os
import sys
import threading
import time

from . import state
from .engine.record.sync import differences
from .engine.stage.gate import GATE
from .engine.stage.gate import GateTimeout


__refresh_module__ = False  # one restart at a time, for the process

logger = logging.getLogger('Products.RefreshManager')

DRAIN = 10.0  # seconds the running requests get to finish
SENT = 0.1  # seconds for the server to send the last answers
_restarting = threading.Lock()
STARTED = time.time()  # a new value in the process executed anew


def reasons(product, found=None):
    """Why `product` needs a restart that no refresh can replace, in its
    own terms; empty when it does not. `found`: its `differences`, when
    known."""
    why = []
    outcome = state.last(product.name)
    if outcome is not None and not outcome.ok and getattr(
            outcome.error.error, 'needs_restart', False):
        why.append(f'its last refresh: {outcome.error.error}')
    if found is None:
        found = differences(product.package, product.folder) \
            if product.refreshable else []
    why.extend(f'{difference.module}: {difference.what}'
               for difference in found if difference.kind == 'restart')
    return why


def refusal():
    """Why this process cannot restart itself, or None."""
    from App.config import getConfiguration
    if not getConfiguration().debug_mode:
        return ('Zope runs in production mode: restart it as it was '
                'started (its service manager, supervisor, a container). '
                'Nothing was changed.')
    if 'Zope2.Startup.serve' not in sys.modules:
        return ('This Zope was not started by runwsgi, so it cannot start '
                'itself again the same way: restart it as it was started. '
                'Nothing was changed.')
    if _restarting.locked():
        return 'Zope is restarting already.'
    return None


def restart_soon(by):
    """Restart on a thread of its own, once the running requests (the
    one asking included) are done; False if one is under way."""
    if not _restarting.acquire(blocking=False):
        return False
    logger.warning('restarting Zope, asked by %s', by)
    threading.Thread(target=_restart, name='RefreshManager restart',
                     daemon=True).start()
    return True


def _restart():
    try:
        GATE.acquire(DRAIN)  # no request runs from here on
    except GateTimeout as running:
        logger.warning('restarting while requests still run: %s after '
                       '%g s', running, DRAIN)
    time.sleep(SENT)
    _shut_down()
    command = [sys.executable, *sys.orig_argv[1:]]
    logger.info('executing %s', ' '.join(command))
    for handler in logging.getLogger().handlers:
        handler.flush()
    os.execv(sys.executable, command)


def _shut_down():
    """What stopping Zope does: our threads stop, the databases close
    (their index is saved, their lock released)."""
    import Zope2

    from . import autorefresh
    from .cluster import process
    from .live import hub
    hub.stop()
    autorefresh.stop_watching()
    process.stop()
    for db in Zope2.opened:
        db.close()


def auto_restart(event):
    """Subscriber of `IProductRefreshedEvent`: an auto-refresh that ended
    needing a restart restarts Zope, where ``auto-restart on`` asks."""
    from .live import hub
    from .products import installed_products
    outcome = state.last(event.product)
    if hub.config is None or not hub.config.auto_restart or \
            outcome is None or not outcome.automatic:
        return
    product = installed_products(only=event.product).get(event.product)
    if product is not None and reasons(product) and refusal() is None:
        restart_soon('auto-refresh')
