"""Products whose files changed since they were last loaded.

Watcher threads mark products; the request thread asks whether anything
is marked (a lock-free truth test, so the answer costs nothing when
nothing changed) and takes the marks it acts on. A mark taken is gone: a
refresh that then fails is not retried until the files change again.
"""
import threading


class ChangeSet:

    def __init__(self):
        self._marked = set()
        self._lock = threading.Lock()

    def __bool__(self):
        return bool(self._marked)

    def mark(self, names):
        with self._lock:
            self._marked.update(names)

    def take(self, names):
        """Unmark and return those of `names` that were marked."""
        with self._lock:
            taken = self._marked.intersection(names)
            self._marked -= taken
        return taken

    def marked(self):
        return frozenset(self._marked)
