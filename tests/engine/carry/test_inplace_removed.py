"""Names the new source no longer binds go, in the module and in class
bodies, and only those: what was set from outside stays."""
import importlib
import os
import py_compile
import sys

from ...inplace_module import module  # noqa: F401 (fixture)
from ...packages import write_files
from ..apply.test_engine import package  # noqa: F401 (fixture)
from ..apply.test_engine import refresh


V1 = '''
import os

LIMIT = 1
GONE = 2


def helper():
    return LIMIT


class Thing:
    kind = 'thing'
    colour = 'red'

    def describe(self):
        return self.kind
'''

V2 = '''
LIMIT = 1


class Thing:
    kind = 'thing'

    def describe(self):
        return self.kind
'''


def outside_additions(mod):
    mod.set_from_outside = 'stays'
    mod.Thing.declared_at_run_time = 'stays'


def assert_v2_bindings_only(mod, report):
    assert not hasattr(mod, 'GONE') and not hasattr(mod, 'helper')
    assert not hasattr(mod, 'os')
    assert not hasattr(mod.Thing, 'colour')
    assert mod.set_from_outside == 'stays'
    assert mod.Thing.declared_at_run_time == 'stays'
    assert sorted(report.removed) == ['GONE', 'Thing.colour', 'helper', 'os']


def test_first_reload_knows_what_the_import_bound(module):
    """The import wrote the module's cached bytecode: it says what the
    imported version bound."""
    mod = module.load(V1)
    outside_additions(mod)
    report = module.reload(V2)
    assert_v2_bindings_only(mod, report)


def test_later_reloads_know_what_the_previous_reload_bound(module):
    mod = module.load('VALUE = 0\n')
    module.reload(V1)
    outside_additions(mod)
    report = module.reload(V2)
    assert_v2_bindings_only(mod, report)
    report = module.reload(V2.replace("kind = 'thing'", "pass"))
    assert not hasattr(mod.Thing, 'kind') and report.removed == ['Thing.kind']


def test_bytecode_of_another_version_is_not_trusted(module, monkeypatch):
    """The cached bytecode belongs to an older source than the one the
    module was imported from: unknowable, so only the functions and
    classes the new source no longer defines go."""
    module.load('OLDER = 1\n\ndef helper():\n    return "older"\n')
    sys.modules.pop(module.name)
    monkeypatch.setattr(sys, 'dont_write_bytecode', True)
    module.write(V1 + '\n\n# longer than the older source\n')
    importlib.invalidate_caches()
    mod = module.module = importlib.import_module(module.name)
    mod.OLDER = 'set from outside'
    report = module.reload(V2)
    assert mod.OLDER == 'set from outside' and mod.GONE == 2
    assert not hasattr(mod, 'helper') and 'helper' in report.removed


def test_slots_unchanged_keep_their_descriptors(module):
    source = '''
        class Point:
            __slots__ = ('x', 'y')

            def __init__(self, x, y):
                self.x, self.y = x, y

            def total(self):
                return self.x + self.y + OFFSET
        OFFSET = {offset}
    '''
    mod = module.load(source.format(offset=0))
    Point, old = mod.Point, mod.Point(1, 2)
    report = module.reload(source.format(offset=10))
    new = mod.Point(3, 4)
    assert mod.Point is Point and report.replaced == []
    assert old.total() == 13 and new.total() == 17
    old.x = 5
    assert old.x == 5 and type(new) is Point


def test_a_module_that_cannot_be_weakly_referenced():
    """Plone puts zope.deferredimport's ModuleProxy objects into
    sys.modules; what the engine remembers of them must still work."""
    from Products.RefreshManager.engine.record import known

    class Unreferenceable:
        __slots__ = ('__name__', '__dict__')

    module = Unreferenceable()
    table = known.ModuleTable()
    assert table.get(module) is None
    table[module] = 'bound'
    assert table.get(module) == 'bound'
    assert table.pop(module) == 'bound' and table.get(module) is None


def test_a_foreign_object_is_read_without_running_its_code(package):
    """As plone.supermodel's ``parseinfo``: an object whose
    ``__getattr__`` raises KeyError, in a module refreshed for the first
    time (what it bound is read from its cached bytecode, which means
    looking at what each value wraps): the refresh works."""
    name, folder = package
    write_files(folder, {'__init__.py': '', 'mod.py': INFO})
    module = importlib.import_module(f'{name}.mod')
    py_compile.compile(module.__file__, cfile=module.__cached__)  # as an
    assert os.path.exists(module.__cached__)  # import writing bytecode
    write_files(folder, {'mod.py': INFO.replace('return 1', 'return 2')})
    refresh('in place', [name])
    assert module.answer() == 2


INFO = '''\\
import functools


class Info:
    def __getattr__(self, name):
        raise KeyError(name)


info = Info()


def plain():
    return 0


@functools.wraps(plain)
def answer():
    return 1
'''
