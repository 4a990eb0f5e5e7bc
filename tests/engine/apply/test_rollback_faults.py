"""Fault injection: a refresh that fails at any step leaves every module,
every object in them, ``sys.modules`` and the registries exactly as they
were, object for object.

Each journaled change of a refresh of a package and its dependent is made
to fail in turn: by raising before it is made, or by a target that
refuses it and every later write to it (as an Enum refuses to reassign a
member), so an undo that writes it again fails too. Then a failure in
each phase: planning, executing, the after-load hook, the dependent.
"""
import functools
import importlib
import sys
import types

import pytest

from Products.RefreshManager.engine.carry import inplace
from Products.RefreshManager.engine.apply import refresh as engine_refresh
from Products.RefreshManager.engine.stage.journal import Journal
from Products.RefreshManager.engine.apply.refresh import RefreshError
from Products.RefreshManager.engine.apply.refresh import refresh_packages

from ...packages import unique_name
from ...packages import write_files


SHAPES = '''
import enum
import functools

from zope.interface import Attribute, Interface

REGISTRY = {}


def register(cls):
    REGISTRY[cls.__name__] = cls
    return cls


def loud(function):
    @functools.wraps(function)
    def wrapper(*args):
        return function(*args) + '!'
    return wrapper


class Color(enum.Enum):
    RED = 1
    GREEN = 2


@register
class Shape:
    kind = 'shape v1'

    def area(self):
        return 'area v1'

    @property
    def size(self):
        return 'size v1'

    @classmethod
    def make(cls):
        return cls()

    @functools.cached_property
    def cached(self):
        return 'cached v1'


class Point:
    __slots__ = ('x',)

    def where(self):
        return 'where v1'


class IShape(Interface):
    name = Attribute('v1')


@loud
def greet():
    return 'greet v1'


@functools.lru_cache
def square(x):
    return x * 1


def counter():
    count = 0

    def step():
        return count
    return step


step = counter()
DEFAULT = Shape()
GONE = 'gone v1'
VALUE = 'value v1'
'''

SHAPES_V2 = (SHAPES.replace('v1', 'v2')
             .replace('    GREEN = 2', '    GREEN = 2\n    BLUE = 3')
             .replace("GONE = 'gone v2'\n", '')
             .replace('    count = 0\n', '    count, more = 0, 1\n')
             .replace('return count\n', 'return count + more\n')
             .replace('x * 1', 'x * 2'))

DEPENDENT = '''
from {base}.shapes import Shape


class Sub(Shape):
    def area(self):
        return 'sub v1 of ' + super().area()
'''


class Faulty(Journal):
    """Makes change number `fail_at` of a refresh fail. With `refuse`,
    its target refuses that change and every later write, undo included."""
    fail_at = None
    refuse = False

    def __init__(self, modules=None):
        super().__init__(modules)
        self.changes = 0
        self.refused = set()
        self.rolling_back = False

    @staticmethod
    def _target(change, args):
        owner = getattr(change, '__self__', None)
        if owner is not None and not isinstance(
                owner, (types.ModuleType, Journal)):
            return id(owner), id(args[0]) if args else None
        return tuple(id(arg) for arg in args[:2])

    def _apply(self, change, *args):
        target = self._target(change, args)
        if target in self.refused:
            raise AttributeError('refused again')
        if not self.rolling_back:
            self.changes += 1
            if self.changes == self.fail_at:
                if self.refuse:
                    self.refused.add(target)
                raise AttributeError(f'injected fault at {self.fail_at}')
        super()._apply(change, *args)

    def rollback(self):
        self.rolling_back = True
        return super().rollback()


@pytest.fixture
def packages(tmp_path, monkeypatch):
    """A package with every kind of definition, and a dependent one,
    imported, edited on disk; the after-load hook fills registries."""
    monkeypatch.syspath_prepend(str(tmp_path))
    base, dependent = unique_name('faultbase'), unique_name('faultdep')
    write_files(tmp_path / base, {'__init__.py': 'from . import shapes\n',
                                  'shapes.py': SHAPES})
    write_files(tmp_path / dependent, {
        '__init__.py': DEPENDENT.format(base=base)})
    importlib.import_module(dependent)
    shapes = sys.modules[f'{base}.shapes']
    held = types.SimpleNamespace(
        shape=shapes.Shape(), point=shapes.Point(), red=shapes.Color.RED,
        sub=sys.modules[dependent].Sub(), area=shapes.Shape.area,
        greet=shapes.greet, step=shapes.step, square=shapes.square)
    held.point.x = 1
    assert held.shape.cached == 'cached v1' and held.square(3) == 3
    write_files(tmp_path / base, {'shapes.py': SHAPES_V2})
    write_files(tmp_path / dependent, {'__init__.py': DEPENDENT.format(
        base=base).replace('v1', 'v2')})
    registry, holder = {}, types.SimpleNamespace()

    def after_load(package, module, journal):
        journal.keep(holder)
        holder.last = package  # outside the journal: `keep` undoes it
        journal.setitem(registry, package, module)
        journal.setattr(holder, package, 'registered')

    yield types.SimpleNamespace(
        names=[base, dependent], folder=tmp_path, held=held,
        after_load=after_load, registries=(registry, holder))
    for name in [m for m in sys.modules
                 if m.split('.')[0] in (base, dependent)]:
        del sys.modules[name]


class Freezer:
    """What an object of the packages holds, as nested tuples of the
    very objects; other modules' objects count by identity only."""

    def __init__(self, in_packages):
        self.in_packages = in_packages  # module name -> whether ours
        self.seen = set()

    def owned(self, obj):
        module = getattr(obj, '__module__', None)
        return isinstance(module, str) and self.in_packages(module)

    def __call__(self, value):
        if id(value) in self.seen or isinstance(value, (str, int, type(None))):
            return value
        self.seen.add(id(value))
        if isinstance(value, dict):
            return value, tuple((k, self(v)) for k, v in value.items())
        if isinstance(value, (list, tuple, set)):
            return value, tuple(self(item) for item in value)
        if isinstance(value, (classmethod, staticmethod)):
            return value, self(value.__func__)
        if isinstance(value, property):
            return value, self(value.fget), self(value.fset)
        if isinstance(value, functools.cached_property):
            return value, self(value.func)
        if isinstance(value, functools._lru_cache_wrapper):
            return value, self(value.__wrapped__), value.cache_info().currsize
        if isinstance(value, types.ModuleType) or not (
                self.owned(value) or self.owned(type(value))):
            return value
        if isinstance(value, types.FunctionType):
            return value, tuple(self(getattr(value, part)) for part in (
                '__code__', '__defaults__', '__kwdefaults__', '__doc__',
                '__annotations__', '__dict__')), tuple(
                self(cell.cell_contents) for cell in value.__closure__ or ())
        if isinstance(value, type):
            return value, tuple((k, self(v)) for k, v in vars(value).items())
        return value, type(value), self(getattr(value, '__dict__', None))


def state_of(packages):
    modules = tuple(sorted(
        (name, module) for name, module in sys.modules.items()
        if name.split('.')[0] in packages.names))
    freeze = Freezer(lambda module: module.split('.')[0] in packages.names)
    registry, holder = packages.registries
    return (frozenset(sys.modules), modules,
            tuple(freeze(vars(module)) for _, module in modules),
            freeze(vars(packages.held)), freeze(registry),
            freeze(vars(holder)))


def assert_same(before, after, path='state'):
    if isinstance(before, tuple):
        assert isinstance(after, tuple) and len(after) == len(before), path
        for index, (b, a) in enumerate(zip(before, after)):
            assert_same(b, a, f'{path}[{index}]')
    elif isinstance(before, (frozenset, str, int)):
        assert before == after, path
    else:
        assert before is after, path


def assert_old_code_runs(held):
    assert held.shape.area() == 'area v1' and held.shape.size == 'size v1'
    assert held.sub.area() == 'sub v1 of area v1'
    assert held.area(held.shape) == 'area v1'
    assert held.greet() == 'greet v1!' and held.step() == 0
    assert held.point.where() == 'where v1' and held.point.x == 1
    assert held.shape.cached == 'cached v1' and held.square(3) == 3
    assert held.red.value == 1 and type(held.red).RED is held.red


def refresh(packages, mode):
    classic = packages.names if mode == 'classic' else ()
    return refresh_packages(packages.names, packages.after_load, classic)


@pytest.mark.parametrize('mode', ['in place', 'classic'])
@pytest.mark.parametrize('refuse', [False, True],
                         ids=['raises', 'refuses writes'])
def test_a_failure_at_each_change_changes_nothing(packages, monkeypatch,
                                                  mode, refuse):
    monkeypatch.setattr(engine_refresh, 'Journal', Faulty)
    monkeypatch.setattr(Faulty, 'refuse', refuse)
    before = state_of(packages)
    for fail_at in range(1, 500):
        monkeypatch.setattr(Faulty, 'fail_at', fail_at)
        try:
            refresh(packages, mode)
        except RefreshError as error:
            assert 'injected fault' in str(error.error)
            assert error.rollback_failures == ()
            assert_same(before, state_of(packages), f'change {fail_at}')
            assert_old_code_runs(packages.held)
        else:
            break  # fewer changes than fail_at: it went through
    # Every change failed once (a few dozen), then the refresh went through.
    assert fail_at > {'in place': 30, 'classic': 8}[mode]
    shapes = sys.modules[f'{packages.names[0]}.shapes']
    assert shapes.greet() == 'greet v2!' and shapes.Color.BLUE.value == 3


@pytest.mark.parametrize('phase, files', [
    ('plan', {1: {'__init__.py': 'def broken(:\n'}}),
    ('exec', {0: {'shapes.py': SHAPES_V2 + '\nraise ValueError("exec")\n'}}),
    ('dependent', {1: {'__init__.py': 'raise ValueError("dependent")\n'}}),
    ('after load', {}),
])
@pytest.mark.parametrize('mode', ['in place', 'classic'])
def test_a_failure_in_each_phase_changes_nothing(packages, phase, files,
                                                 mode):
    for index, written in files.items():
        write_files(packages.folder / packages.names[index], written)
    if phase == 'after load':
        hook = packages.after_load

        def failing(package, module, journal):
            hook(package, module, journal)
            if package == packages.names[1]:
                raise ValueError('after load')
        packages.after_load = failing
    before = state_of(packages)
    with pytest.raises(RefreshError):
        refresh(packages, mode)
    assert_same(before, state_of(packages))
    assert_old_code_runs(packages.held)


@pytest.mark.parametrize('refuse', [False, True],
                         ids=['raises', 'refuses writes'])
def test_reload_module_fails_at_each_change_and_changes_nothing(
        packages, monkeypatch, refuse):
    monkeypatch.setattr(inplace, 'Journal', Faulty)
    monkeypatch.setattr(Faulty, 'refuse', refuse)
    shapes = sys.modules[f'{packages.names[0]}.shapes']
    before = state_of(packages)
    for fail_at in range(1, 500):
        monkeypatch.setattr(Faulty, 'fail_at', fail_at)
        try:
            inplace.reload_module(shapes)
        except AttributeError as error:
            assert 'injected fault' in str(error)
            assert_same(before, state_of(packages), f'change {fail_at}')
            assert_old_code_runs(packages.held)
        else:
            break
    assert fail_at > 20 and shapes.greet() == 'greet v2!'
