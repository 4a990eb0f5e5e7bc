"""The code of a module file, to read what it imports, never to run.

A module Zope loaded and whose file has not changed since is not run
again, but what it imports decides whether a change elsewhere reaches
it. Its ``.pyc`` holds that code already, as the import system loaded
it: read from there when the header matches the file (its modification
second and size), compiled from the source otherwise (no ``.pyc``, as in
many container images, or a hash-based one).
"""
import importlib.util
import marshal
import os


HEADER = 16  # magic, flags, source mtime, source size


def module_code(path):
    """The module code of the source file `path`, or None when it is gone
    or does not compile."""
    try:
        stat = os.stat(path)
        code = _cached(path, stat)
        if code is not None:
            return code
        with open(path, 'rb') as source:
            return compile(source.read(), path, 'exec', dont_inherit=True)
    except (OSError, SyntaxError, ValueError):
        return None


def _cached(path, stat):
    try:
        cached = importlib.util.cache_from_source(path)
        with open(cached, 'rb') as pyc:
            data = pyc.read()
    except (OSError, NotImplementedError, ValueError):
        return None
    if len(data) < HEADER or data[:4] != importlib.util.MAGIC_NUMBER or \
            int.from_bytes(data[4:8], 'little') != 0:
        return None  # another Python's, or checked by hash
    if int.from_bytes(data[8:12], 'little') != int(stat.st_mtime) & \
            0xFFFFFFFF or int.from_bytes(data[12:16], 'little') != \
            stat.st_size & 0xFFFFFFFF:
        return None
    try:
        return marshal.loads(data[HEADER:])
    except (EOFError, ValueError, TypeError):
        return None
