"""Notice a package opting in to refreshing, or out, without watching it.

Only refreshable packages are watched for file events; a Plone site has
hundreds of other packages, and watching them all cost hundreds of
inotify watches. Whether a package has a ``refresh.txt`` is looked at
instead, by a background thread, a few stat calls per package every
`interval` seconds.
"""
import logging
import os
import threading

from ..engine.read.files import REFRESH_FILES


logger = logging.getLogger('Products.RefreshManager')


def refresh_file(folder):
    """The path of `folder`'s refresh file, or None."""
    for name in REFRESH_FILES:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    return None


def opted_in(folders):
    return frozenset(folder for folder in folders if refresh_file(folder))


class OptInScan:
    """Calls ``on_change(gained, lost)`` (sets of folders) from its own
    thread when folders that `list_folders()` names gain or lose their
    refresh file."""

    def __init__(self, list_folders, on_change, interval=1.0, known=None):
        """`known`: the folders opted in when the caller looked (what it
        watches), so a change after that is not missed; by default, now."""
        self.list_folders = list_folders
        self.on_change = on_change
        self.interval = interval
        self.known = opted_in(list_folders()) if known is None \
            else frozenset(known)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, daemon=True, name='RefreshManager opt-in scan')

    def start(self):
        self._thread.start()
        return self

    def running_here(self):
        """Whether this is its thread (calling `on_change`)."""
        return self._thread is threading.current_thread()

    def stop(self, timeout=2):
        self._stop.set()
        if self._thread.is_alive() and \
                self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _run(self):
        while not self._stop.wait(self.interval):
            try:
                now = opted_in(self.list_folders())
                if now != self.known:
                    self.on_change(now - self.known, self.known - now)
                    # Only once handled: a change whose handling failed
                    # is reported again on the next look.
                    self.known = now
            except Exception:
                logger.exception('looking for refresh.txt files failed')
