"""What stands for each new object goes wherever the new code put it.

While it loads, a module's code puts its classes, functions and objects
into containers: registries filled by a class decorator or by
``__init_subclass__``, lists of handlers, tuples, class attributes,
bound methods of class methods, default values. Once each new object has
been carried into the old object that stands for it, those places get
the old object, and objects made of a new class get the old class: the
new objects are thrown away.

The same walk moves what the new code made while it was staged into the
module (see `stage`): functions made while staging are rebuilt with the
module's namespace as their globals (see `rehome`), and classes get the
live classes that stand for staged ones as their bases.

The walk starts at the module's namespace and goes through containers
(dicts, lists, sets, tuples) whatever module made them, and into the
module's own classes, functions and instances of its classes; never into
other modules, classes or objects, nor into old objects the update wrote
nothing new into (most of them: that keeps the walk cheap).
"""
import types
from types import FunctionType
from types import MethodType
from types import ModuleType

from . import enums
from .rehome import rebuilt
from .rehome import rewrapped


_DEPTH = 20  # registries are shallow; this stops pathological nesting
# Values that hold nothing: most of what a module binds; skipped at once.
_ATOMS = frozenset((str, int, float, bool, bytes, complex, type(None),
                    types.CodeType, types.BuiltinFunctionType))
_CLASS_SKIP = frozenset(('__dict__', '__weakref__', '__module__',
                         '__qualname__', '__doc__', '__slots__'))


class Adopter:

    def __init__(self, module_name, journal, staging, settled):
        self.module_name = module_name
        self.journal = journal
        self.staging = staging
        # id(new object) -> the old one (or the rebuilt one) standing for it
        self.stands = staging.stands
        self.seen = set(settled)  # ids of objects not to look into

    def replacement(self, value, depth=0):
        """What should be where `value` is (`value` itself, fixed up, when
        nothing stands for it)."""
        stands = self.stands.get(id(value))
        if stands is not None:
            return stands
        kind = type(value)
        if kind in _ATOMS or kind is ModuleType or depth > _DEPTH:
            return value
        if kind is FunctionType:
            home = self.staging.home(value)
            if home is not None:
                return self._rehomed(value, home, depth)
        new = rewrapped(value, lambda part: self.replacement(part, depth + 1))
        if new is not None:
            self.staging.stand_in(value, new)
            return new
        if kind is MethodType:
            function = self.replacement(value.__func__, depth + 1)
            owner = self.replacement(value.__self__, depth + 1)
            if function is not value.__func__ or owner is not value.__self__:
                return MethodType(function, owner)
            return value
        if kind in (tuple, frozenset):
            items = [self.replacement(item, depth + 1) for item in value]
            if any(new is not old for new, old in zip(items, value)):
                return kind(items)
            return value
        cls = self.stands.get(id(kind))
        if cls is not None:  # made of a new class: give it the old one
            try:
                self.journal.assign(value, '__class__', cls)
            except TypeError:  # a layout Python will not switch: keep it
                pass
        self._visit(value, depth + 1)
        return value

    def _rehomed(self, function, home, depth):
        new = rebuilt(function, home)
        self.staging.stand_in(function, new)
        self.seen.add(id(new))
        self._function(new, depth + 1)
        return new

    def _visit(self, value, depth):
        if id(value) in self.seen:
            return
        self.seen.add(id(value))
        if type(value) is FunctionType:
            if value.__module__ == self.module_name:
                self._function(value, depth)
        elif isinstance(value, dict):
            self._dict(value, depth)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                new = self.replacement(item, depth)
                if new is not item:
                    self.journal.setitem(value, index, new)
        elif isinstance(value, set):
            items = {self.replacement(item, depth) for item in value}
            if items != value:
                self.journal.keep_contents(value)
                value.clear()
                value.update(items)
        elif isinstance(value, type):
            if value.__module__ == self.module_name:
                self._class(value, depth)
        elif type(value).__module__ == self.module_name:
            attributes = getattr(value, '__dict__', None)
            if isinstance(attributes, dict):
                self._dict(attributes, depth)

    def _dict(self, mapping, depth):
        keys = {key: self.replacement(key, depth) for key in mapping}
        if any(new is not old for old, new in keys.items()):
            self.journal.keep_contents(mapping)
            items = [(keys[k], self.replacement(v, depth))
                     for k, v in mapping.items()]
            mapping.clear()
            mapping.update(items)
            return
        for key, item in list(mapping.items()):
            new = self.replacement(item, depth)
            if new is not item:
                self.journal.setitem(mapping, key, new)

    def _class(self, cls, depth):
        bases = tuple(self.stands.get(id(base), base) for base in cls.__bases__)
        if any(new is not old for new, old in zip(bases, cls.__bases__)):
            self.journal.assign(cls, '__bases__', bases)
        is_enum = enums.is_enum(cls)
        for key, item in list(vars(cls).items()):
            if key in _CLASS_SKIP or (is_enum and enums.managed(cls, key)):
                continue
            new = self.replacement(item, depth)
            if new is not item:
                self.journal.setattr(cls, key, new)

    def _function(self, function, depth):
        if function.__dict__:
            self._dict(function.__dict__, depth)
        self.defaults(function, depth)
        for cell in function.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            new = self.replacement(value, depth)
            if new is not value:
                self.journal.assign(cell, 'cell_contents', new)

    def defaults(self, function, depth=0):
        """What `function`'s default values hold of the new code gets
        the old objects that stand for it."""
        for part in ('__defaults__', '__kwdefaults__'):
            value = getattr(function, part)
            if value:
                new = self.replacement(value, depth)
                if new is not value:
                    self.journal.assign(function, part, new)
