"""Background watchers that report changed product files.

Two kinds, one interface: `EventWatcher` gets operating system file
events through ``watchfiles`` (Rust ``notify``: inotify, FSEvents, ...),
so nothing is scanned at all; `PollWatcher` compares fingerprints every
few tenths of a second where events are not available. Both run in one
daemon thread that stops when asked or when the process exits, and call
``on_change(paths)`` from that thread; nothing ever runs on a request
thread.
"""
import logging
import threading

from .files import changed_paths
from .files import relevant
from .files import snapshot


logger = logging.getLogger('Products.RefreshManager')


class _Watcher:
    """Fingerprints the files once when made: changes made before the
    watcher is ready are reported as soon as it is."""

    kind = None

    def __init__(self, roots, on_change):
        self.roots = list(roots)
        self.on_change = on_change
        self.files = snapshot(self.roots)
        self.ready = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._guarded_run, daemon=True,
            name=f'RefreshManager {self.kind} watcher')

    def start(self):
        self._thread.start()
        return self

    def stop(self, timeout=2):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _guarded_run(self):
        try:
            self._run()
        except Exception:
            logger.exception('the %s watcher stopped', self.kind)


class EventWatcher(_Watcher):
    """Reports changes `step_ms` after a burst of file events settles."""

    kind = 'events'

    def __init__(self, roots, on_change, step_ms=20):
        super().__init__(roots, on_change)
        self.step_ms = step_ms

    def _run(self):
        import watchfiles
        # Idle timeouts yield an empty set: the first yield proves the
        # watch is set up, and each one lets the stop event be seen.
        for changes in watchfiles.watch(
                *self.roots, watch_filter=lambda _change, path: relevant(path),
                step=self.step_ms, debounce=1000, rust_timeout=200,
                yield_on_timeout=True, stop_event=self._stop,
                raise_interrupt=False, ignore_permission_denied=True):
            if not self.ready.is_set():
                changes = changes | {
                    (None, path) for path in
                    changed_paths(self.files, snapshot(self.roots))}
                self.ready.set()
            if changes:
                self.on_change({path for _change, path in changes})


class PollWatcher(_Watcher):
    """Reports what changed between fingerprints taken `interval` apart."""

    kind = 'poll'

    def __init__(self, roots, on_change, interval=1.0):
        super().__init__(roots, on_change)
        self.interval = interval

    def _run(self):
        self.ready.set()
        while not self._stop.wait(self.interval):
            after = snapshot(self.roots)
            changed = changed_paths(self.files, after)
            self.files = after
            if changed:
                self.on_change(changed)
