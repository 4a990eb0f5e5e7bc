"""What the code that runs in a module now bound when it loaded.

Removing what the new source no longer binds needs to know what the old
one bound; names set on the module (or a class) from outside must stay.
The engine records what each version it executes binds. For a module it
has not executed yet, the imported version is read from the bytecode
file the import cached, once that file is shown to be the code the
module runs: the code of every function and method the module defines
is in it. A module defining none is trusted to have written its cache
when imported, unless the process writes no bytecode. Otherwise (no
cache, or one of another version) what the import bound is unknowable.
"""
import importlib.util
import inspect
import marshal
import sys
from types import CodeType
from types import FunctionType

from ..record import known
from ..read.bytecode import Bindings
from ..read.bytecode import all_code


def record(module, bound, journal):
    """Remember that the code now in `module` bound `bound`."""
    journal.setitem(known.BINDINGS, module, bound)


def previous(module):
    """The `Bindings` of the code that runs in `module`, or None."""
    bound = known.BINDINGS.get(module)
    if bound is None:
        code = _cached_code(module)
        if code is not None and _runs_in(module, code):
            bound = Bindings(code)
    return bound


def _cached_code(module):
    path = getattr(module, '__cached__', None)
    try:
        with open(path, 'rb') as cached:
            data = cached.read()
    except (TypeError, OSError):
        return None
    if data[:4] != importlib.util.MAGIC_NUMBER:
        return None
    try:
        code = marshal.loads(data[16:])
    except (EOFError, ValueError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def _unwrapped(value):
    """What `value` wraps (``functools.wraps``' ``__wrapped__`` chain),
    read without running any of its code: a foreign object's
    ``__getattr__`` may raise anything (plone.supermodel's ``parseinfo``
    raises KeyError), and a property would run."""
    seen = set()
    while id(value) not in seen:
        seen.add(id(value))
        try:
            wrapped = inspect.getattr_static(value, '__wrapped__', None)
        except Exception:  # a broken __dict__ or __mro__
            return value
        if wrapped is None or not callable(wrapped):
            return value
        value = wrapped
    return None  # a cycle of __wrapped__


def _functions(value):
    if isinstance(value, (classmethod, staticmethod)):
        value = value.__func__
    if isinstance(value, property):
        return [value.fget, value.fset, value.fdel]
    unwrapped = _unwrapped(value)
    return [] if unwrapped is None else [unwrapped]


def _defined_code(module):
    """The code of the functions and methods `module` defined."""
    name = module.__name__
    found = []
    for value in list(vars(module).values()):
        candidates = _functions(value)
        if isinstance(value, type) and value.__module__ == name:
            for member in list(vars(value).values()):
                candidates += _functions(member)
        found += [f.__code__ for f in candidates
                  if isinstance(f, FunctionType) and f.__module__ == name]
    return found


def _runs_in(module, code):
    defined = _defined_code(module)
    if not defined:
        return not sys.dont_write_bytecode
    codes = set(all_code(code))
    return all(c in codes for c in defined)
