"""Every save finished before a request started is seen by that request.

The watchers report a save after a short delay (a burst of events is
waited out, in another process); a request arriving in between would be
served by the old code. But Linux queues an inotify event before the
``write()``, ``close()`` or ``rename()`` that caused it returns: a
request that looks at an inotify descriptor of this process sees every
save that finished before it started. Looking is one ``poll()`` with no
timeout, about a microsecond, so the connection-open hook can afford it;
reading the events happens only when there are some.

`SaveSentinel` holds such a descriptor, with a watch on each folder
below the given roots (a folder made later is not watched here: its
files are reported by the watcher, with its delay). Linux only: where
inotify is missing, `sentinel` gives None and the watcher's delay is
all there is.
"""
import ctypes
import ctypes.util
import os
import select
import struct
import threading

from ..engine.read.files import relevant


_IN_CLOSE_WRITE = 0x008
_IN_MOVED_FROM = 0x040
_IN_MOVED_TO = 0x080
_IN_CREATE = 0x100
_IN_DELETE = 0x200
_MASK = _IN_CLOSE_WRITE | _IN_MOVED_FROM | _IN_MOVED_TO | _IN_CREATE | \
    _IN_DELETE
_IN_NONBLOCK = os.O_NONBLOCK
_IN_CLOEXEC = os.O_CLOEXEC
_EVENT = struct.Struct('iIII')  # wd, mask, cookie, length of the name


def _libc():
    name = ctypes.util.find_library('c')
    libc = ctypes.CDLL(name, use_errno=True) if name else None
    return libc if libc is not None and hasattr(libc, 'inotify_init1') \
        else None


class SaveSentinel:

    def __init__(self, libc, roots):
        self._fd = libc.inotify_init1(_IN_NONBLOCK | _IN_CLOEXEC)
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), 'inotify_init1 failed')
        self._folders = {}  # watch descriptor -> folder
        self._reading = threading.Lock()
        for root in roots:
            for folder, dirs, _files in os.walk(root):
                dirs[:] = [d for d in dirs if d != '__pycache__'
                           and not d.startswith('.')]
                watch = libc.inotify_add_watch(self._fd, os.fsencode(folder),
                                               _MASK)
                if watch >= 0:
                    self._folders[watch] = folder

    def pending(self):
        """Whether a file event is queued: one ``poll()`` system call (a
        poll object of its own: one may not be polled by two threads)."""
        if self._fd < 0:  # closed: a new sentinel took over
            return False
        poll = select.poll()
        poll.register(self._fd, select.POLLIN)
        return bool(poll.poll(0))

    def take(self):
        """The relevant paths the queued events name; none are left."""
        paths = set()
        with self._reading:
            while True:
                try:
                    data = os.read(self._fd, 65536)
                except (BlockingIOError, OSError):
                    break
                at = 0
                while at < len(data):
                    watch, _mask, _cookie, length = _EVENT.unpack_from(
                        data, at)
                    name = data[at + _EVENT.size:at + _EVENT.size + length]
                    at += _EVENT.size + length
                    folder = self._folders.get(watch)
                    name = name.rstrip(b'\0')
                    if folder is not None and name:
                        paths.add(os.path.join(folder, os.fsdecode(name)))
        return {path for path in paths if relevant(path)}

    def stop(self):
        with self._reading:
            if self._fd >= 0:
                os.close(self._fd)
                self._fd = -1


def sentinel(roots):
    """A `SaveSentinel` on `roots`, or None where there is no inotify."""
    libc = _libc()
    if libc is None:
        return None
    try:
        return SaveSentinel(libc, roots)
    except OSError:  # too many inotify instances, say
        return None
