"""The process-wide refresh lock.

Refreshes swap entries of ``sys.modules``; two at once would interleave
their swaps and their rollbacks. The lock lives in a module of its own
that opts out of refreshing, so refreshing RefreshManager itself keeps
the lock every other thread is waiting on.

A request waiting for the lock holds its side of the `GATE`; while it
waits it runs no code, so it is parked there: otherwise the refresh
holding the lock would wait for it to finish, and it for the refresh.
Every wait for the lock goes through `take_refresh_lock`.
"""
import threading
from contextlib import contextmanager

from .gate import GATE


__refresh_module__ = False

REFRESH_LOCK = threading.RLock()


def take_refresh_lock(timeout=None):
    """Take the lock, parked in the gate meanwhile; False if `timeout`
    seconds (None: no limit) passed first."""
    with GATE.parked():
        return REFRESH_LOCK.acquire(timeout=-1 if timeout is None
                                    else timeout)


@contextmanager
def refresh_lock_held():
    """``with`` the lock taken by `take_refresh_lock`, however long."""
    take_refresh_lock()
    try:
        yield
    finally:
        REFRESH_LOCK.release()
