"""A gate between the code's users and a refresh: one or the other runs.

A request holds the shared side from the moment it opens its database
connection until it closes it, so it runs entirely on the code before a
refresh or entirely on the code after it. A refresh holds the exclusive
side only while it carries its staged code into the live modules: it
waits for the requests that are running to finish, and requests arriving
meanwhile wait for it (a waiting refresh goes first, so a steady stream
of requests cannot starve it).

Three rules keep it from deadlocking:

- the thread asking for the exclusive side may hold shared sides itself
  (the request that asked for the refresh): its own holds never count;
- a thread that waits (for the exclusive side, or for the refresh lock
  while another refresh runs) runs no code meanwhile, so its shared
  holds do not count against a refresh either; when it goes on, it first
  waits for a refresh that is applying to finish;
- a hold of a thread that has ended (a connection it never closed) does
  not count.

Both sides are re-entrant for the thread holding them.
"""
import threading
import time
from contextlib import contextmanager


__refresh_module__ = False  # one gate for the life of the process


class GateTimeout(Exception):
    """The exclusive side could not be had in time."""


def _left(deadline):
    return None if deadline is None else max(0.0, deadline - time.monotonic())


def _deadline(timeout):
    return None if timeout is None else time.monotonic() + timeout


class Gate:

    def __init__(self):
        self._changed = threading.Condition(threading.Lock())
        self._readers = {}  # thread ident: [shared holds, its Thread]
        self._writer = None  # ident of the thread holding the exclusive side
        self._writer_depth = 0
        self._upgrading = set()  # threads waiting for the exclusive side
        self._parked = set()  # threads waiting, not running code

    def enter(self, timeout=None):
        """Take a shared hold; the thread's ident, or None if `timeout`
        seconds passed while a refresh held or waited for the gate."""
        me = threading.get_ident()
        with self._changed:
            held = self._readers.get(me)
            if held is not None and held[1] is not threading.current_thread():
                held = None  # left behind by an ended thread of this ident
            if held is None and self._writer != me:
                deadline = _deadline(timeout)
                while self._writer is not None or self._upgrading:
                    if not self._changed.wait(_left(deadline)):
                        return None
            if held is None:
                self._readers[me] = [1, threading.current_thread()]
            else:
                held[0] += 1
        return me

    def leave(self, ident=None):
        """Give back a shared hold of thread `ident` (this one)."""
        ident = threading.get_ident() if ident is None else ident
        with self._changed:
            held = self._readers.get(ident)
            if held is None:
                return
            held[0] -= 1
            if held[0] <= 0:
                del self._readers[ident]
                if self._upgrading:
                    self._changed.notify_all()

    def _running(self, me):
        """The other threads that hold shared sides and run code."""
        return [ident for ident, (_, thread) in self._readers.items()
                if ident != me and ident not in self._parked
                and thread.is_alive()]

    def _park(self, me):
        """Count `me` as waiting; whether it was already."""
        nested = me in self._parked
        self._parked.add(me)
        self._changed.notify_all()  # a refresh may wait for it no more
        return nested

    def _unpark(self, me, nested):
        """Count `me` as running again, once no refresh is applying."""
        if nested:
            return
        self._parked.discard(me)
        if me in self._readers:
            while self._writer not in (None, me):
                self._changed.wait()

    @contextmanager
    def parked(self):
        """Wait for something (the refresh lock) without counting as a
        running request."""
        me = threading.get_ident()
        with self._changed:
            nested = self._park(me)
        try:
            yield
        finally:
            with self._changed:
                self._unpark(me, nested)

    def acquire(self, timeout=None):
        """Take the exclusive side; raise GateTimeout after `timeout`."""
        me = threading.get_ident()
        with self._changed:
            if self._writer == me:
                self._writer_depth += 1
                return
            nested = self._park(me)
            self._upgrading.add(me)
            try:
                deadline = _deadline(timeout)
                while self._writer is not None or self._running(me):
                    if not self._changed.wait(_left(deadline)):
                        running = len(self._running(me))
                        raise GateTimeout(
                            f'{running} request'
                            f'{"s were" if running != 1 else " was"} '
                            'still running')
                self._writer, self._writer_depth = me, 1
            finally:
                self._upgrading.discard(me)
                self._changed.notify_all()  # requests may go on
                self._unpark(me, nested)

    def release(self):
        with self._changed:
            self._writer_depth -= 1
            if not self._writer_depth:
                self._writer = None
                self._changed.notify_all()

    @contextmanager
    def exclusive(self, timeout=None):
        self.acquire(timeout)
        try:
            yield
        finally:
            self.release()


GATE = Gate()
