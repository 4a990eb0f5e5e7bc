"""The process-wide refresh lock.

Refreshes swap entries of ``sys.modules``; two at once would interleave
their swaps and their rollbacks. The lock lives in a module of its own
that opts out of refreshing, so refreshing RefreshManager itself keeps
the lock every other thread is waiting on.

A request waiting for the lock holds its side of the `GATE`; while it
waits it runs no code, so it is parked there: otherwise the refresh
holding the lock would wait for it to finish, and it for the refresh.
Every wait for the lock goes through `take_refresh_lock`.

A refresh asked for while another runs waits a little (`refreshing`),
then gives up with `RefreshBusy`, which says what runs and since when;
only one waits at a time, the others give up at once: a stuck refresh
(a module looping at import, until the time limit) must not hold every
worker thread that asks for another.
"""
import threading
import time
from contextlib import contextmanager

from .gate import GATE


__refresh_module__ = False

REFRESH_LOCK = threading.RLock()
_RUNNING = []  # (what, time.time() it started) of the refresh holding it
_WAITER = threading.Lock()  # held by the one refresh waiting for another


class RefreshBusy(Exception):
    """Another refresh held the lock for as long as this one waited."""

    def __init__(self, running, since):
        self.running, self.since = running, since
        super().__init__(f'another refresh is running: {running}, for '
                         f'{self.elapsed():.1f} s')

    def elapsed(self):
        return time.time() - self.since


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


def _waited(wait):
    """Whether the lock was taken within `wait` s by the one waiter."""
    if wait is None:
        return take_refresh_lock()
    if not _WAITER.acquire(blocking=False):
        return False
    try:
        return take_refresh_lock(wait)
    finally:
        _WAITER.release()


@contextmanager
def refreshing(what, wait):
    """``with`` the lock held for a refresh of `what`, waited for at most
    `wait` seconds (None: no limit); else `RefreshBusy`."""
    if not REFRESH_LOCK.acquire(blocking=False) and not _waited(wait):
        running = _RUNNING[:1] or [('a refresh of ZCML or settings',
                                    time.time())]
        raise RefreshBusy(*running[0])
    _RUNNING.append((what, time.time()))
    try:
        yield
    finally:
        _RUNNING.pop()
        REFRESH_LOCK.release()
