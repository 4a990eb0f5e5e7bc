"""What this process remembers about refreshing: the last outcome of each
product, and which products' files (and which products' ZCML files)
changed since they were loaded.

Kept out of refreshes, so RefreshManager can refresh itself without
forgetting either.
"""
from .notice.changes import ChangeSet


__refresh_module__ = False

changes = ChangeSet()
zcml_changes = ChangeSet()  # those whose change was to a ZCML file
_last = {}


def record(names, outcome):
    for name in names:
        _last[name] = outcome


def last(name):
    return _last.get(name)
