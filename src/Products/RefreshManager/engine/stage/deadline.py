"""Stop a refresh that runs past its time limit.

A product module that loops forever at import would never give the
refresh lock back, and every request that waits for a refresh would hang
with it. The refresh runs in the thread that asked for it; when the
limit is reached a timer raises `RefreshTimeout` in that thread (an
asynchronous exception, delivered between two bytecodes), and the
refresh rolls back as after any other error. Code blocked inside a C
call (``time.sleep``, a socket read without a timeout) is stopped only
when that call returns to Python.
"""
import ctypes
import threading


class RefreshTimeout(Exception):
    """The refresh ran past its time limit and was stopped."""


def _raise_in(ident, exception):
    """Make `exception` (a class; None: nothing) pending in thread
    `ident`."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(ident),
        None if exception is None else ctypes.py_object(exception))


class Deadline:
    """``with Deadline(seconds):`` the block is stopped after `seconds`
    (None: never). It fires at most once; leaving the block disarms it
    and drops a stop still pending, so nothing is raised after the
    block, not even in the rollback that follows."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.fired = False
        self._ident = threading.get_ident()
        self._lock = threading.Lock()
        self._armed = False
        self._timer = None

    def __enter__(self):
        if self.seconds is not None:
            self._armed = True
            self._timer = threading.Timer(self.seconds, self._fire)
            self._timer.daemon = True
            self._timer.start()
        return self

    def _fire(self):
        with self._lock:
            if self._armed:
                self.fired = True
                _raise_in(self._ident, RefreshTimeout)

    def disarm(self):
        """Disarm; a stop delivered meanwhile is swallowed, so this always
        finishes."""
        while True:
            try:
                with self._lock:
                    self._armed = False
                    if self.fired:
                        _raise_in(self._ident, None)
                if self._timer is not None:
                    self._timer.cancel()
                return
            except RefreshTimeout:
                continue

    def __exit__(self, *exc):
        self.disarm()
