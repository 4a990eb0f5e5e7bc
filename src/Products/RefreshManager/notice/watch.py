"""Background watchers that report changed product files.

Two kinds, one interface: `EventWatcher` gets operating system file
events through ``watchfiles`` (Rust ``notify``: inotify, FSEvents, ...),
so nothing is scanned at all; `PollWatcher` compares fingerprints every
`interval` seconds where events are not available. Both run in one
daemon thread that stops when asked or when the process exits, and call
``on_change(paths)`` from that thread; nothing ever runs on a request
thread.
"""
import json
import logging
import os
import subprocess
import sys
import threading

from ..engine.read.files import changed_paths
from ..engine.read.files import snapshot


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
    """Reports a burst of file events once no new event came for
    `step_ms`: watchfiles looks every `step_ms` and reports when a look
    finds no more changes than the one before, so a save is reported
    `step_ms` to twice that after it happened. 5 ms keeps a save across
    files together (an editor writes them within a millisecond or two)
    and is most of what an edit waits before it is served; a burst
    longer than that is refreshed in two goes, the second when its last
    files are seen, so no save is ever left out.

    watchfiles runs in a helper process (see `watch_events`); this
    thread only reads what it reports.
    """

    kind = 'events'

    def __init__(self, roots, on_change, step_ms=5):
        super().__init__(roots, on_change)
        self.step_ms = step_ms
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, '-m', f'{__package__}.watch_events',
             str(self.step_ms)] + self.roots,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)),
            start_new_session=True)  # the terminal's Ctrl+C is Zope's
        return super().start()

    def _run(self):
        for line in self.process.stdout:
            if line.strip() == 'ready':
                # Report what changed before the watch was set up.
                changed = changed_paths(self.files, snapshot(self.roots))
                self.ready.set()
            else:
                changed = set(json.loads(line))
            if changed:
                self.on_change(changed)
        if not self._stop.is_set():
            logger.error('the file event helper exited (code %s): changes '
                         'are no longer noticed', self.process.wait())

    def stop(self, timeout=2):
        self._stop.set()
        if self.process is not None and self.process.poll() is None:
            self.process.stdin.close()  # the helper's cue to exit
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
        super().stop(timeout)


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
