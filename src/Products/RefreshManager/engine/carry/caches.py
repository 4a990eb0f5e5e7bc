"""Cached functions and properties, carried over like plain functions.

``functools.lru_cache`` and ``functools.cache`` wrap the function in a C
object whose ``__wrapped__`` is the function: the old wrapper stays (so
whatever holds it keeps it), its function gets the new code and its cache
is emptied once the refresh succeeded, since the new module's globals may
change every result. A ``functools.cached_property`` stays too and its
function gets the new code; when that code changed, the values the
instances of its class cached are dropped (found through the garbage
collector, so only then).
"""
import functools
import gc


def is_cached_function(value):
    return isinstance(value, functools._lru_cache_wrapper)


def merge_cached_function(updater, old, new, name):
    """Carry the cached function `new` into `old`; what `name` binds."""
    if old.cache_parameters() != new.cache_parameters():
        updater.report.replaced.append(
            (name, 'its cache parameters changed'))
        return new
    function = updater.merge(old.__wrapped__, new.__wrapped__, name)
    if function is not old.__wrapped__:
        return new  # replaced, and reported, with its function
    updater.carry_attributes(old, new, name, skip=('__wrapped__',))
    updater.journal.on_commit(old.cache_clear)
    return old


def merge_cached_property(updater, old, new, name, owner):
    """Carry the cached property `new` into `old`, a member of the class
    `owner`; what `name` binds."""
    code = old.func.__code__
    if updater.merge(old.func, new.func, name) is not old.func:
        return new
    if old.__doc__ != new.__doc__:
        updater.journal.assign(old, '__doc__', new.__doc__)
    if old.func.__code__ != code:
        _forget(owner, old.attrname, updater.journal)
    return old


def _forget(cls, attrname, journal):
    classes = [cls]
    for current in classes:
        classes += current.__subclasses__()
    for obj in gc.get_referrers(*classes):
        if isinstance(obj, cls):
            cached = getattr(obj, '__dict__', {})
            if attrname in cached:
                journal.delitem(cached, attrname)
