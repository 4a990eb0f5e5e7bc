"""Run a refresh's new module code off to the side.

While a refresh runs the new code of its modules (which takes as long as
the modules take to load), requests keep being served by the old code:
nothing the new code makes is visible to them until the refresh applies
it, all at once (see `gate`). So the new code of a module runs into a
staging namespace of its own; the module itself changes only when the
staged result is applied.

The staged modules of one refresh see each other, as if each had already
been applied: while the refreshing thread stages, its imports (and only
its imports) resolve a staged module to its staged version, and a
package above staged modules to a view whose staged submodules are the
staged ones. A module whose file was deleted is gone for them: staged
code importing it fails, as a fresh start would, instead of getting the
old module for good. Other threads import the live modules as before.

A function made while staging has the staging namespace as its globals.
Applying rebuilds those it reaches with the module's own namespace (see
`adopt`); one it cannot reach (the new code handed it to a registry of
another module) keeps the staging namespace, which from then on reads
through to the module's: it sees the module's current globals.
"""
import builtins
import importlib
import importlib.util
import sys
import threading
from types import ModuleType


__refresh_module__ = False  # holds the import hook's state


class StagingNamespace(dict):
    """A module namespace to run code in; once its module is applied, it
    reads through to the module's namespace (`read_through`)."""

    fallback = None
    hidden = frozenset()  # names the fallback has that are gone

    def __missing__(self, key):
        if self.fallback is None or key in self.hidden:
            raise KeyError(key)
        return self.fallback[key]

    def read_through(self, namespace):
        self.clear()
        self.fallback = namespace


class StagedModule(ModuleType):
    """What staged code imports: a module whose attributes are those of a
    `StagingNamespace`."""

    def __init__(self, name, namespace):
        super().__init__(name)
        ModuleType.__setattr__(self, '_staged', namespace)

    def __getattribute__(self, name):
        namespace = ModuleType.__getattribute__(self, '_staged')
        if name == '__dict__':
            return namespace
        try:
            return namespace[name]
        except KeyError:
            pass
        if name.startswith('__'):  # __class__, __reduce__ and the like
            return ModuleType.__getattribute__(self, name)
        hook = namespace.get('__getattr__')
        if hook is not None:
            return hook(name)
        raise AttributeError(
            f'module {ModuleType.__getattribute__(self, "__name__")!r} has '
            f'no attribute {name!r}')

    def __setattr__(self, name, value):
        ModuleType.__getattribute__(self, '_staged')[name] = value

    def __delattr__(self, name):
        try:
            del ModuleType.__getattribute__(self, '_staged')[name]
        except KeyError:
            raise AttributeError(name) from None


def _package(globals):
    package = globals.get('__package__')
    if package is None:
        name = globals.get('__name__', '')
        package = name if '__path__' in globals else name.rpartition('.')[0]
    return package


class Staging:
    """The modules one refresh has staged, and what stands for what it made
    once applied (`stands`: id of an object made while staging -> the
    object live code gets instead)."""

    def __init__(self, modules=None):
        self.modules = sys.modules if modules is None else modules
        self.staged = {}  # module name -> its staged module
        self.homes = {}  # id(staging namespace) -> the module's namespace
        self.stands = {}
        self._alive = []  # keeps the objects `stands` knows by id alive
        self._views = {}  # package name -> view
        self._above = set()  # packages above staged modules
        self.removed = {}  # module name -> its deleted file

    # The staged modules

    def stage_module(self, name, live):
        """A namespace to run `name`'s new code in for the module `live`:
        a copy of its namespace, with the staged submodules."""
        namespace = StagingNamespace(vars(live))
        for child, module in self.staged.items():
            if child.rpartition('.')[0] == name:
                namespace[child.rpartition('.')[2]] = module
        self.add(name, StagedModule(name, namespace))
        self.homes[id(namespace)] = vars(live)
        self.stand_in(self.staged[name], live)
        self.stand_in(namespace, vars(live))  # `globals()` kept by the code
        return namespace

    def add(self, name, module):
        """Make `module` what staged code imports as `name`."""
        self.staged[name] = module
        parent, _, attr = name.rpartition('.')
        if parent in self.staged:
            setattr(self.staged[parent], attr, module)
        self._changed_below(parent)

    def remove(self, name, path):
        """The module `name` is gone for staged code: its file `path` was
        deleted."""
        self.removed[name] = path
        self._changed_below(name.rpartition('.')[0])

    def _changed_below(self, parent):
        while parent:
            self._above.add(parent)
            self._views.pop(parent, None)
            parent = parent.rpartition('.')[0]

    def resolve(self, name):
        """What staged code gets for the module `name`."""
        staged = self.staged.get(name)
        if staged is not None:
            return staged
        if name in self.removed:
            raise ModuleNotFoundError(
                f'No module named {name!r}: its file {self.removed[name]} '
                f'was deleted', name=name)
        module = self.modules.get(name)
        if module is None:
            module = importlib.import_module(name)
        if name not in self._above:
            return module
        view = self._views.get(name)
        if view is None:
            namespace = StagingNamespace()
            namespace.fallback = vars(module)
            prefix = name + '.'
            namespace.hidden = frozenset(
                child[len(prefix):] for child in self.removed
                if child.rpartition('.')[0] == name)
            for child in self.staged.keys() | self._above:
                if child.startswith(prefix) and '.' not in child[len(prefix):]:
                    namespace[child[len(prefix):]] = self.resolve(child)
            view = self._views[name] = StagedModule(name, namespace)
            self.stand_in(view, module)
        return view

    def stand_in(self, made, live):
        """Once applied, live code gets `live` where `made` was."""
        self.stands[id(made)] = live
        self._alive.append(made)

    # After applying

    def home(self, function):
        """The module namespace a function made while staging belongs in,
        or None for one made elsewhere."""
        return self.homes.get(id(function.__globals__))

    def finish(self):
        """The staging namespaces read through to their modules' from now
        on: what still holds a function made while staging (the new code
        gave it to another module's registry) sees the module's globals."""
        for staged in self.staged.values():
            namespace = vars(staged)
            home = self.homes.get(id(namespace))
            if home is not None:
                namespace.read_through(home)

    # The imports of staged code

    def import_(self, name, globals=None, locals=None, fromlist=(), level=0):
        absolute = (importlib.util.resolve_name('.' * level + name,
                                                _package(globals or {}))
                    if level else name)
        top = absolute.partition('.')[0]
        if fromlist:
            involved = absolute in self.staged or absolute in self._above \
                or absolute in self.removed
        else:
            involved = level == 0 and (top in self.staged or top in self._above)
        if not involved:
            return _ORIGINAL[0](name, globals, locals, fromlist, level)
        module = self.resolve(absolute)  # imports what is not loaded yet
        if not fromlist:
            return self.resolve(top)
        if hasattr(module, '__path__'):
            items = fromlist
            if '*' in fromlist:
                items = getattr(module, '__all__', ())
            for item in items:
                if item != '*' and not hasattr(module, item):
                    self._submodule(module, f'{absolute}.{item}', item)
        return module

    def _submodule(self, module, name, attr):
        try:
            setattr(module, attr, self.resolve(name))
        except ModuleNotFoundError as error:
            if error.name != name or name in self.removed:
                raise

    def __enter__(self):
        _enter(self)
        return self

    def __exit__(self, *exc):
        _leave()


# The import hook: installed while some thread stages, a pass-through for
# every other thread. Meanwhile the interpreter also switches threads ten
# times as often: staged code that computes (or loops) without waiting
# for anything holds the GIL for a whole switch interval each time a
# request thread comes back from I/O, which made every page wait.

STAGING_SWITCH_INTERVAL = 0.0005
_ORIGINAL = [None]
_INTERVAL = [None]
_ACTIVE = {}  # thread ident -> Staging
_HOOK_LOCK = threading.Lock()


def _staged_import(name, globals=None, locals=None, fromlist=(), level=0):
    staging = _ACTIVE.get(threading.get_ident())
    if staging is None:
        return _ORIGINAL[0](name, globals, locals, fromlist, level)
    return staging.import_(name, globals, locals, fromlist, level)


def _enter(staging):
    with _HOOK_LOCK:
        if not _ACTIVE and builtins.__import__ is not _staged_import:
            _ORIGINAL[0] = builtins.__import__
            builtins.__import__ = _staged_import
        if not _ACTIVE:
            _INTERVAL[0] = sys.getswitchinterval()
            sys.setswitchinterval(min(_INTERVAL[0], STAGING_SWITCH_INTERVAL))
        _ACTIVE[threading.get_ident()] = staging


def _leave():
    with _HOOK_LOCK:
        _ACTIVE.pop(threading.get_ident(), None)
        if not _ACTIVE and builtins.__import__ is _staged_import:
            builtins.__import__ = _ORIGINAL[0]
        if not _ACTIVE and _INTERVAL[0] is not None:
            sys.setswitchinterval(_INTERVAL[0])
            _INTERVAL[0] = None

