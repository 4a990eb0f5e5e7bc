"""Carry a module's new definitions into its existing objects.

A plain reload makes new functions and classes; whatever held the old
ones (instances, subclasses in other modules, registries, adapters and
views registered at start) keeps running old code. Here the module's
current source runs in the module's own namespace, so new functions see
the same globals, and then each new definition is carried into the old
object of the same name: functions keep their identity and get the new
code, classes keep their identity and get the new methods and
attributes. What cannot be carried over (changed bases, ``__slots__`` or
metaclass, a function turned into a class) is replaced, and the report
says why.

Every change goes through a `Journal`: if anything fails, the module
and every object in it are exactly as before.
"""
import types
from dataclasses import dataclass
from dataclasses import field

from .bytecode import bound_names
from .journal import Journal
from .modules import source_path
from .plan import compile_file


# Compared by equality: unchanged parts are not assigned again. A code
# object equals another only with the same line numbers too, so code that
# merely moved is assigned and tracebacks stay right.
_FUNCTION_PARTS = ('__code__', '__defaults__', '__kwdefaults__', '__doc__',
                   '__annotations__')
_CLASS_SKIP = frozenset((
    '__dict__', '__weakref__', '__module__', '__qualname__', '__slots__'))


@dataclass
class ReloadReport:
    module: str
    updated: list = field(default_factory=list)  # carried into old objects
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    replaced: list = field(default_factory=list)  # (name, why not in place)


def _wrapped(value):
    """The functions a class attribute stands for: itself, or those a
    classmethod, staticmethod or property wraps."""
    if isinstance(value, (classmethod, staticmethod)):
        return [value.__func__]
    if isinstance(value, property):
        return [f for f in (value.fget, value.fset, value.fdel) if f]
    return [value]


def _defined_in(obj, module_name, qualname):
    """Whether `obj` is a function or class this very source defined."""
    obj = (_wrapped(obj) or [None])[0]
    return (isinstance(obj, (types.FunctionType, type))
            and getattr(obj, '__module__', None) == module_name
            and getattr(obj, '__qualname__', None) == qualname)


def _kind(obj):
    if isinstance(obj, types.FunctionType):
        return 'function'
    if isinstance(obj, type):
        return 'class'
    return None


def _interface_class():
    try:
        from zope.interface.interface import InterfaceClass
    except ImportError:  # the engine does not need zope.interface
        return None
    return InterfaceClass


class _Updater:
    """One module's update: the new objects met so far and what stands
    for each of them (the old object, or the new one where replaced)."""

    def __init__(self, module, journal, report):
        self.module_name = module.__name__
        self.journal = journal
        self.report = report
        self.result = {}  # id(new) -> (new, what stands for it)
        self.interface_class = _interface_class()

    def merge(self, old, new, name):
        """Carry `new` into `old`; return what `name` should be bound to."""
        if old is new:
            return old
        done = self.result.get(id(new))
        if done is not None:
            return done[1]
        self.result[id(new)] = (new, new)  # cycles end here
        stands = self._merge(old, new, name)
        self.result[id(new)] = (new, stands)
        return stands

    def _merge(self, old, new, name):
        both = (type(old), type(new))
        if both == (types.FunctionType, types.FunctionType):
            return self._function(old, new, name)
        if isinstance(old, type) and isinstance(new, type):
            return self._class(old, new, name)
        if (self.interface_class is not None
                and isinstance(old, self.interface_class)
                and isinstance(new, self.interface_class)):
            return self._interface(old, new, name)
        if both in ((classmethod, classmethod), (staticmethod, staticmethod)):
            if self.merge(old.__func__, new.__func__, name) is old.__func__:
                return old
            return new
        if both == (property, property):
            parts = ('fget', 'fset', 'fdel')
            if all((getattr(old, p) is None) == (getattr(new, p) is None)
                   for p in parts) and all(
                    self.merge(getattr(old, p), getattr(new, p), name)
                    is getattr(old, p)
                    for p in parts if getattr(old, p) is not None):
                return old
            return new
        kinds = (_kind(old), _kind(new))
        if None not in kinds and kinds[0] != kinds[1]:
            self.report.replaced.append(
                (name, f'a {kinds[0]} became a {kinds[1]}'))
        return new

    def _function(self, old, new, name):
        old_code, new_code = old.__code__, new.__code__
        if old_code.co_freevars != new_code.co_freevars:
            self.report.replaced.append((name, 'its closure changed'))
            return new
        for var, old_cell, new_cell in zip(
                old_code.co_freevars, old.__closure__ or (),
                new.__closure__ or (), strict=True):
            if var == '__class__':
                continue  # the old cell names the old class: keep it
            try:
                old_value, new_value = (old_cell.cell_contents,
                                        new_cell.cell_contents)
            except ValueError:  # an empty cell
                continue
            merged = self.merge(old_value, new_value, f'{name}.<{var}>')
            if merged is not old_value:
                self.journal.assign(old_cell, 'cell_contents', merged)
        for attr in _FUNCTION_PARTS:
            value = getattr(new, attr)
            if getattr(old, attr) != value:
                self.journal.assign(old, attr, value)
        old_attrs = vars(old)
        for key, value in vars(new).items():
            current = old_attrs.get(key)
            merged = (self.merge(current, value, f'{name}.{key}')
                      if current is not None else value)
            if merged is not current:
                self.journal.setattr(old, key, merged)
        if old_code != new_code:
            self.report.updated.append(name)
        return old

    def _same_bases(self, old_bases, new_bases, name):
        """Whether the new bases are the old ones, once bases defined in
        this module (new objects too) stand for their old selves."""
        if len(old_bases) != len(new_bases):
            return False
        return all(
            o is n or (getattr(n, '__module__', None) == self.module_name
                       and type(o) is type(n) and o.__name__ == n.__name__
                       and self.merge(o, n, f'{name}.<base>') is o)
            for o, n in zip(old_bases, new_bases, strict=True))

    def _why_not_in_place(self, old, new, name):
        if not self._same_bases((type(old),), (type(new),), name):
            return 'its metaclass changed'
        if vars(old).get('__slots__') != vars(new).get('__slots__'):
            return 'its __slots__ changed'
        if not self._same_bases(old.__bases__, new.__bases__, name):
            return 'its base classes changed'
        return None

    def _class(self, old, new, name):
        why = self._why_not_in_place(old, new, name)
        if why is not None:
            self.report.replaced.append((name, why))
            return new
        self._point_class_cells(new, old)
        old_attrs, new_attrs = vars(old), vars(new)
        for key, value in new_attrs.items():
            if key in _CLASS_SKIP:
                continue
            if key not in old_attrs:
                self.journal.setattr(old, key, value)
                self.report.added.append(f'{name}.{key}')
                continue
            current = old_attrs[key]
            merged = self.merge(current, value, f'{name}.{key}')
            if merged is not current:
                self.journal.setattr(old, key, merged)
        for key in [k for k in old_attrs if k not in new_attrs]:
            # Only what the source defined goes; attributes added at run
            # time (security declarations, ZCML) stay.
            if _defined_in(old_attrs[key], self.module_name,
                           f'{old.__qualname__}.{key}'):
                self.journal.delattr(old, key)
                self.report.removed.append(f'{name}.{key}')
        return old

    def _point_class_cells(self, new, old):
        """Methods of the new class that use ``super()`` or ``__class__``
        share a cell naming the new class: make it name the old one."""
        for value in vars(new).values():
            for function in _wrapped(value):
                if (isinstance(function, types.FunctionType)
                        and '__class__' in function.__code__.co_freevars):
                    cell = function.__closure__[
                        function.__code__.co_freevars.index('__class__')]
                    self.journal.assign(cell, 'cell_contents', old)
                    return

    def _interface(self, old, new, name):
        if not self._same_bases(old.__bases__, new.__bases__, name):
            self.report.replaced.append((name, 'its base interfaces changed'))
            return new
        attrs = dict(new._InterfaceClass__attrs)
        for attr in attrs.values():
            self.journal.assign(attr, 'interface', old)
        self.journal.assign(old, '_InterfaceClass__attrs', attrs)
        self.journal.assign(old, '__doc__', new.__doc__)
        old.changed(old)
        self.report.updated.append(name)
        return old

    def adopt_instances(self, values):
        """Objects the new source made of its new classes (``DEFAULT =
        Thing()``, registry entries) get the old class that stands for
        it: the new class object is thrown away."""
        for value in values:
            items = [value]
            if isinstance(value, dict):
                items += list(value.values())
            elif isinstance(value, (list, tuple, set, frozenset)):
                items += list(value)
            for item in items:
                stands = self.result.get(id(type(item)))
                if stands is not None and stands[1] is not type(item) and \
                        stands[0] is type(item):
                    self.journal.assign(item, '__class__', stands[1])


def _dropped(module, code, old, namespace, previous_names):
    """Names the new source no longer binds, to be removed.

    Known exactly when the names the previous source bound are known
    (a module refreshed before); otherwise the functions and classes it
    defined that the new source did not make again (they are still the
    very same objects), so names set from outside are never removed.
    """
    names = bound_names(code) if previous_names is not None else None
    if names is not None:
        return [name for name in previous_names - names if name in old]
    return [name for name, value in old.items()
            if namespace.get(name) is value
            and _defined_in(value, module.__name__, name)]


def update_module(module, code, journal, previous_names=None):
    """Run `code` (the module's compiled source) in the module and carry
    the new definitions into the old objects; a `ReloadReport`.

    `previous_names`: the names the module's previous code bound, if
    known, so names the new code no longer binds are removed.
    """
    report = ReloadReport(module.__name__)
    namespace = vars(module)
    journal.keep(module)
    old = dict(namespace)
    exec(code, namespace)
    dropped = _dropped(module, code, old, namespace, previous_names)
    updater = _Updater(module, journal, report)
    for name, value in list(namespace.items()):
        if name.startswith('__') and name.endswith('__'):
            continue
        if name not in old:
            report.added.append(name)
        elif old[name] is not value:
            namespace[name] = updater.merge(old[name], value, name)
    updater.adopt_instances(list(namespace.values()))
    for name in dropped:
        del namespace[name]
        report.removed.append(name)
    return report


def reload_module(module):
    """Re-execute `module`'s current source into the module itself,
    carrying new definitions into its existing functions and classes.

    Returns a `ReloadReport`. Raises (SyntaxError, or whatever the new
    source raises) leaving the module and its objects untouched.
    """
    path = source_path(module)
    if path is None:
        raise ValueError(f'{module.__name__} has no Python source file')
    code = compile_file(path)
    if code is None:
        raise FileNotFoundError(path)
    journal = Journal()
    try:
        return update_module(module, code, journal)
    except BaseException:
        journal.rollback()
        raise
