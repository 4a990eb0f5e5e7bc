"""Which files of a product count as its code, and their fingerprints.

A change to a ``.py`` file, a ``.zcml`` file or ``refresh.txt`` counts;
compiled files,
``__pycache__``, hidden files (Emacs' ``.#lock`` files) and editor
leftovers (``file.py~``, ``#file.py#``, ``.file.py.swp``) do not.
Fingerprints are nanosecond modification times and sizes, so two saves in
the same second are still two different states.
"""
import os


REFRESH_FILES = ('refresh.txt', 'REFRESH.txt', 'REFRESH.TXT')
_IGNORED_DIRS = ('__pycache__',)


def relevant(path):
    """Whether a change to `path` can change a product's code."""
    folder, name = os.path.split(path)
    if name.startswith('.') or os.path.basename(folder) in _IGNORED_DIRS:
        return False
    return name.endswith(('.py', '.zcml')) or name in REFRESH_FILES


def fingerprint(path):
    """``(mtime_ns, size)`` of the file at `path`, or None if it is gone."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


def snapshot(roots):
    """``{path: (mtime_ns, size)}`` of the relevant files below `roots`."""
    found = {}
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs
                       if not d.startswith('.') and d not in _IGNORED_DIRS]
            for name in files:
                path = os.path.join(folder, name)
                if relevant(path):
                    state = fingerprint(path)
                    if state is not None:  # not deleted while we looked
                        found[path] = state
    return found


def changed_paths(before, after):
    """Paths added, removed or changed between two snapshots."""
    return {path for path in before.keys() | after.keys()
            if before.get(path) != after.get(path)}
