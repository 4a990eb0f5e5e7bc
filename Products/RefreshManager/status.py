"""The last refresh outcome of each product, in this process.

Kept out of refreshes so RefreshManager can refresh itself without
forgetting what happened.
"""
__refresh_module__ = False

_last = {}


def record(names, outcome):
    for name in names:
        _last[name] = outcome


def last(name):
    return _last.get(name)
