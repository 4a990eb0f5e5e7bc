"""Classes keep their identity: the old class gets the new members.

A class can change in place when its metaclass, bases and ``__slots__``
are the same (bases and metaclass defined in the same module count as the
same once carried over); otherwise it is replaced and the report says
why. The old class keeps its slot descriptors (they fit its instances),
members the new class body no longer binds go, and attributes set from
outside (security declarations, ZCML) stay. zope.interface's declarations
are carried over in `declarations`.
"""
import functools
import operator
import types

from . import caches
from . import declarations
from . import enums


_CLASS_SKIP = frozenset((
    '__dict__', '__weakref__', '__module__', '__qualname__', '__slots__',
    '__classcell__', '__classdictcell__'))
# What the class statement itself sets (3.13+): `inspect.getsource` reads
# ``__firstlineno__``, so a kept class takes the new values, unreported.
_STATEMENT_SET = frozenset(('__firstlineno__', '__static_attributes__'))


_WRAPPERS = (classmethod, staticmethod, property)


def wrapped(value):
    """The functions a class attribute stands for: itself, or those a
    classmethod, staticmethod or property wraps."""
    if isinstance(value, (classmethod, staticmethod)):
        return [value.__func__]
    if isinstance(value, property):
        return [f for f in (value.fget, value.fset, value.fdel) if f]
    return [value]


def defined_in(obj, module_name, qualname):
    """Whether `obj` is a function or class this very source defined."""
    obj = (wrapped(obj) or [None])[0]
    return (isinstance(obj, (types.FunctionType, type))
            and getattr(obj, '__module__', None) == module_name
            and getattr(obj, '__qualname__', None) == qualname)


def same_bases(updater, old_bases, new_bases, name):
    """Whether the new bases are the old ones, once bases defined in
    this module (new objects too) stand for their old selves."""
    if len(old_bases) != len(new_bases):
        return False
    if all(map(operator.is_, old_bases, new_bases)):  # most classes
        return True
    return all(
        o is updater.known.get(id(n), n)
        or (own(updater, o, n) and type(o) is type(n)
            and o.__name__ == n.__name__
            and updater.merge(o, n, f'{name}.<base>') is o)
        for o, n in zip(old_bases, new_bases, strict=True))


def own(updater, old, new):
    """Whether `new` is this module's own making: it says so, or the old
    object of its name is what the module binds under that name (a
    package's interfaces may say they are the package's, as
    Products.CMFCore's ``interfaces._tools`` do)."""
    if getattr(new, '__module__', None) == updater.module_name:
        return True
    name = getattr(old, '__name__', None)
    return updater.home is not None and isinstance(name, str) and \
        updater.home.get(name) is old


def _why_not_in_place(updater, old, new, name):
    if not same_bases(updater, (type(old),), (type(new),), name):
        return 'its metaclass changed'
    if vars(old).get('__slots__') != vars(new).get('__slots__'):
        return 'its __slots__ changed'
    if not same_bases(updater, old.__bases__, new.__bases__, name):
        return 'its base classes changed'
    return None


def merge_class(updater, old, new, name):
    """Carry the class `new` into `old`; what `name` binds."""
    why = _why_not_in_place(updater, old, new, name)
    if why is not None:
        updater.report.replaced.append((name, why))
        return new
    updater.stands_for(new, old)
    _point_class_cells(updater.journal, new, old)
    is_enum = enums.is_enum(new)
    old_attrs, new_attrs = vars(old), vars(new)
    merged, keys, methods = [], [], []
    for key, value in new_attrs.items():
        if key in _CLASS_SKIP or (is_enum and enums.managed(new, key)):
            continue
        if key in _STATEMENT_SET:
            if old_attrs.get(key) != value:
                updater.journal.setattr(old, key, value)
            continue
        if isinstance(value, (types.MemberDescriptorType,
                              types.GetSetDescriptorType)):
            continue  # slots: the old class's descriptors fit its layout
        if key not in old_attrs:
            updater.journal.setattr(old, key, value)
            updater.touched.add(id(old))
            updater.report.added.append(f'{name}.{key}')
            continue
        current = old_attrs[key]
        if key in declarations.CLASS_DECLARATIONS:
            merged.append((key, current, declarations.merge_declaration(
                updater, old, key, current, value, f'{name}.{key}')))
        elif type(current) is type(value) is types.FunctionType:
            keys.append(key)
            methods.append((f'{name}.{key}', current, value))
        elif type(current) is type(value) is functools.cached_property:
            merged.append((key, current, caches.merge_cached_property(
                updater, current, value, f'{name}.{key}', old)))
        else:
            merged.append((key, current, updater.merge(
                current, value, f'{name}.{key}')))
    merged += zip(keys, [current for _, current, _ in methods],
                  updater.merge_functions(methods))
    for key, current, value in merged:
        if value is not current:
            updater.journal.setattr(old, key, value)
            updater.touched.add(id(old))
    if is_enum:
        enums.merge_members(updater, old, new)
    for key in _removed_members(updater, old, new):
        updater.journal.delattr(old, key)
        updater.report.removed.append(f'{name}.{key}')
    return old


def _removed_members(updater, old, new):
    """What the old class body bound and the new one does not; when
    that is unknown, the functions and classes it defined. Attributes
    set from outside (security declarations, ZCML) stay."""
    qualname = old.__qualname__
    old_attrs, new_attrs = vars(old), vars(new)
    gone = [key for key in old_attrs if key not in new_attrs
            and key not in _CLASS_SKIP and key not in _STATEMENT_SET
            and not (enums.is_enum(old) and enums.managed(old, key))]
    if not gone:
        return gone
    bound = updater.previous and updater.previous.classes.get(qualname)
    if bound is not None and qualname in updater.current.classes:
        return [key for key in gone if key in bound]
    return [key for key in gone if defined_in(
        old_attrs[key], updater.module_name, f'{qualname}.{key}')]


def _point_class_cells(journal, new, old):
    """Methods of the new class that use ``super()`` or ``__class__``
    share a cell naming the new class: make it name the old one."""
    for value in vars(new).values():
        if type(value) is types.FunctionType:
            functions = (value,)
        elif isinstance(value, _WRAPPERS):
            functions = wrapped(value)
        else:
            continue
        for function in functions:
            if (isinstance(function, types.FunctionType)
                    and '__class__' in function.__code__.co_freevars):
                cell = function.__closure__[
                    function.__code__.co_freevars.index('__class__')]
                journal.assign(cell, 'cell_contents', old)
                return
