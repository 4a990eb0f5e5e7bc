"""Carry one new definition into the old object of the same name.

Functions keep their identity and get the new code; classes keep their
identity and get the new members; instances the module made of its own
classes keep their identity and get the new state. What cannot be
carried over is replaced and reported, and a replaced function forwards
to its replacement. Every change goes through the journal.

Only a function whose globals are the module's own gets the module's new
code. One with another module's globals is that module's monkey patch
standing where the module's function stood: it stays, and the module's
own function it saved (as the "original" it calls) gets the new code
instead. One with a namespace copied from the module's (another
reloader's scratch namespace, as plone.reload leaves behind) would run
the new code on stale globals: it is replaced. And a method's
``__class__`` cell (zero-argument ``super()``) names the class its
module now holds, whatever another reloader pointed it at.
"""
import inspect
import operator
import types

from . import caches
from . import classes
from . import declarations
from .forward import forward


# Besides the code, compared by equality: unchanged parts are not
# assigned again. A code object equals another only with the same line
# numbers too, so code that merely moved is assigned and tracebacks stay
# right.
_FUNCTION_PARTS = ('__defaults__', '__kwdefaults__', '__doc__',
                   '__annotations__')
_function_parts = operator.attrgetter(*_FUNCTION_PARTS)


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


def _own_state(obj):
    """The instance dict that can be carried over, or None: not for
    objects without one, nor for persistent objects in a database."""
    if isinstance(obj, (type, types.FunctionType, types.ModuleType)):
        return None
    state = getattr(obj, '__dict__', None)
    if type(state) is not dict or _stored(obj):
        return None
    return state


def _stored(obj):
    """Whether `obj` is a persistent object in a database, read from its
    class's ``_p_jar`` slot: never through the object's own
    ``__getattr__``, which may run anything and raise anything."""
    slot = inspect.getattr_static(type(obj), '_p_jar', None)
    if slot is None:
        return False
    try:
        return slot.__get__(obj, type(obj)) is not None
    except Exception:  # unknowable: leave its state alone
        return True


def _globals_name(function):
    try:  # (a staging namespace reads through to its module's)
        return function.__globals__['__name__']
    except KeyError:
        return None


class Updater:
    """One module's update: the new objects met so far and what stands
    for each of them (the old object, or the new one where replaced)."""

    def __init__(self, module_name, journal, report, previous, current,
                 known=None, home=None):
        self.module_name = module_name
        self.home = home  # the module's namespace (None: not checked)
        # id(new object of a module applied before) -> what stands for it
        self.known = {} if known is None else known
        self.journal = journal
        self.report = report
        self.previous = previous  # Bindings of the old code, or None
        self.current = current  # Bindings of the new code
        self.result = {}  # id(new) -> (new, what stands for it)
        # ids of old objects that got new values other than code: what
        # the new code put in those may have to be adopted (see `adopt`)
        self.touched = set()
        # old functions given the new code's default values: what those
        # hold of the new code is adopted too (a method's default
        # ``NO_VALUE``, as z3c.form's, is the new module's object)
        self.new_defaults = []
        self.interface_class = _interface_class()

    def stands_for(self, new, old):
        self.result[id(new)] = (new, old)

    def replaced_by_old(self):
        """id(new object) -> the old object that stands for it."""
        return {key: stands for key, (new, stands) in self.result.items()
                if stands is not new}

    def settled(self, old_values):
        """ids of the old objects (standing for new ones, or among
        `old_values`) that hold nothing the new code made."""
        ids = {id(stands) for new, stands in self.result.values()
               if stands is not new}
        ids.update(id(value) for value in old_values
                   if not isinstance(value, (dict, list, set)))
        return ids - self.touched

    def merge(self, old, new, name, in_cell=False):
        """Carry `new` into `old`; return what `name` should be bound to."""
        if old is new:
            return old
        key = id(new)
        done = self.result.get(key)
        if done is not None:
            return done[1]
        known = self.known.get(key)
        if known is not None:
            return known
        self.result[key] = (new, new)  # cycles end here
        if type(old) is type(new) is types.FunctionType:  # most of them
            stands = self._function(old, new, name, in_cell)
        else:
            stands = self._merge(old, new, name, in_cell)
        self.result[key] = (new, stands)
        return stands

    def merge_functions(self, triples):
        """What each ``(name, old function, new function)`` merges to, as
        `merge` would answer. A module is mostly plain functions and
        methods whose code did not change: those cost a few attribute
        reads here instead of two calls each."""
        result, known = self.result, self.known
        merged, left = [], []
        for index, (name, old, new) in enumerate(triples):
            merged.append(old)
            key = id(new)
            old_code, new_code = old.__code__, new.__code__
            if key in result or key in known or old_code.co_freevars \
                    or new_code.co_freevars or new.__dict__ or (
                        self.home is not None
                        and old.__globals__ is not self.home):
                left.append(index)
                continue
            result[key] = (new, old)
            self._code_and_parts(old, new, name)
        for index in left:
            name, old, new = triples[index]
            merged[index] = self.merge(old, new, name)
        return merged

    def _merge(self, old, new, name, in_cell):
        both = (type(old), type(new))
        if isinstance(old, type) and isinstance(new, type):
            return classes.merge_class(self, old, new, name)
        if (self.interface_class is not None
                and isinstance(old, self.interface_class)
                and isinstance(new, self.interface_class)):
            return declarations.merge_interface(self, old, new, name)
        if both in ((classmethod, classmethod), (staticmethod, staticmethod)):
            if self.merge(old.__func__, new.__func__, name) is old.__func__:
                return old
            return new
        if both == (property, property):
            return self._property(old, new, name)
        if caches.is_cached_function(old) and both[0] is both[1]:
            return caches.merge_cached_function(self, old, new, name)
        kinds = (_kind(old), _kind(new))
        if None not in kinds and kinds[0] != kinds[1]:
            self.report.replaced.append(
                (name, f'a {kinds[0]} became a {kinds[1]}'))
            return new
        return self._instance(old, new, name)

    def _function(self, old, new, name, in_cell):
        old_code, new_code = old.__code__, new.__code__
        # The module's own new function where another's stood: a decorator
        # of another module makes both of that module (and is merged).
        foreign = self.home is not None and old.__globals__ is not \
            self.home and old.__globals__ is not new.__globals__ and \
            _globals_name(new) == self.module_name
        if foreign and _globals_name(old) != self.module_name:
            return self._patched(old, new, name)
        if foreign or old_code.co_freevars != new_code.co_freevars:
            self.report.replaced.append((name, 'it ran in a copy of the '
                                         'module\'s namespace' if foreign
                                         else 'its closure changed'))
            if not in_cell:
                forward(old, new, self.journal)
                self.touched.add(id(old))  # it holds `new` now
            return new
        if old_code.co_freevars:
            self._closure(old, new, name)
        self._code_and_parts(old, new, name)
        if new.__dict__:
            self.carry_attributes(old, new, name)
        return old

    def _code_and_parts(self, old, new, name):
        if old.__code__ != new.__code__:
            self.journal.assign(old, '__code__', new.__code__)
            self.report.updated.append(name)
        try:  # told at C speed: most functions have the same parts
            same = _function_parts(old) == _function_parts(new)
        except Exception:  # NumPy arrays compare element-wise: that raises
            same = False
        if not same:
            self._function_parts(old, new)

    def _closure(self, old, new, name):
        for var, old_cell, new_cell in zip(
                old.__code__.co_freevars, old.__closure__, new.__closure__):
            if var == '__class__':  # names the kept class (`classes`)
                self._class_cell(old_cell, new_cell)
                continue
            try:
                old_value, new_value = (old_cell.cell_contents,
                                        new_cell.cell_contents)
            except ValueError:  # an empty cell
                continue
            merged = self.merge(old_value, new_value, f'{name}.<{var}>',
                                in_cell=True)
            if merged is not old_value:
                self.journal.assign(old_cell, 'cell_contents', merged)
                self.touched.add(id(old))

    def _class_cell(self, old_cell, new_cell):
        try:
            kept = new_cell.cell_contents
        except ValueError:  # an empty cell
            return
        if getattr(old_cell, 'cell_contents', None) is not kept:
            self.journal.assign(old_cell, 'cell_contents', kept)

    def _patched(self, old, new, name):
        """`old`, another module's function, patched in where `name` was:
        it stays; the module's own function of the same name that the
        patch module keeps (its saved original) gets the new code."""
        qualname = new.__qualname__
        for value in list(old.__globals__.values()):
            if type(value) is types.FunctionType and \
                    value.__globals__ is self.home and \
                    value.__qualname__ == qualname:
                self._function(value, new, name, False)
        return old

    def _function_parts(self, old, new):
        for attr in _FUNCTION_PARTS:
            value, current = getattr(new, attr), getattr(old, attr)
            try:  # NumPy arrays compare element-wise: that raises here
                if current is value or current == value:
                    continue
            except Exception:
                pass
            self.journal.assign(old, attr, value)
            self.touched.add(id(old))
            if attr in ('__defaults__', '__kwdefaults__'):
                self.new_defaults.append(old)

    def carry_attributes(self, old, new, name, skip=()):
        old_attrs = vars(old)
        for key, value in vars(new).items():
            if key in skip:
                continue
            current = old_attrs.get(key)
            merged = (self.merge(current, value, f'{name}.{key}')
                      if current is not None else value)
            if merged is not current:
                self.journal.setattr(old, key, merged)
                self.touched.add(id(old))

    def _property(self, old, new, name):
        parts = ('fget', 'fset', 'fdel')
        if all((getattr(old, p) is None) == (getattr(new, p) is None)
               for p in parts) and all(
                self.merge(getattr(old, p), getattr(new, p), name)
                is getattr(old, p)
                for p in parts if getattr(old, p) is not None):
            if old.__doc__ != new.__doc__:
                self.journal.assign(old, '__doc__', new.__doc__)
            return old
        return new

    def _instance(self, old, new, name):
        """An object the new code made again of the module's own class
        (a registry, a default): the old one takes the new state."""
        old_state, new_state = _own_state(old), _own_state(new)
        old_class, new_class = type(old), type(new)
        if (old_state is None or new_state is None
                or new_class.__module__ != self.module_name
                or old_class.__qualname__ != new_class.__qualname__
                or self.merge(old_class, new_class, old_class.__qualname__)
                is not old_class):
            return new
        self.journal.keep_contents(old_state)
        merged = {key: self.merge(old_state[key], value, f'{name}.{key}')
                  if key in old_state else value
                  for key, value in new_state.items()}
        old_state.clear()
        old_state.update(merged)
        self.touched.add(id(old))
        return old
