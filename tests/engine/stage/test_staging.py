"""The new code runs off to the side and is applied at once, on the
engine without Zope: other threads see the old modules until then, the
staged modules see each other, and what the new code made ends up with
the module's own globals."""
import builtins
import importlib
import sys
import threading
import types

import pytest

from Products.RefreshManager.engine.stage import staging as stage
from Products.RefreshManager.engine.apply.refresh import refresh_packages

from ...inplace_module import module  # noqa: F401 (a fixture)
from ...packages import write_files
from ..apply.test_engine import mode  # noqa: F401 (a fixture)
from ..apply.test_engine import package  # noqa: F401 (a fixture)
from ..apply.test_engine import refresh


WAIT = 10


def test_other_threads_see_the_old_module_while_the_new_code_runs(
        mode, package):
    name, folder = package
    write_files(folder, {'__init__.py': '', 'slow.py': '''
        VALUE = 1

        def value():
            return VALUE
    '''})
    slow = importlib.import_module(f'{name}.slow')
    value = slow.value
    pause = builtins._staging_pause = {
        'inside': threading.Event(), 'go': threading.Event()}
    write_files(folder, {'slow.py': '''
        import builtins

        VALUE = 2
        builtins._staging_pause['inside'].set()
        builtins._staging_pause['go'].wait(10)

        def value():
            return VALUE
    '''})
    done = []
    refreshing = threading.Thread(
        target=lambda: done.append(refresh(mode, [name])))
    refreshing.start()
    try:
        assert pause['inside'].wait(WAIT)
        # Halfway through the new code, this thread sees the old module,
        # also through a fresh import:
        imported = importlib.import_module(f'{name}.slow')
        assert imported is slow and sys.modules[f'{name}.slow'] is slow
        assert slow.VALUE == 1 and slow.value() == 1 and value() == 1
        assert getattr(sys.modules[name], 'slow') is slow
    finally:
        pause['go'].set()
        refreshing.join(WAIT)
        del builtins._staging_pause
    assert done
    assert sys.modules[f'{name}.slow'].value() == 2
    if mode == 'in place':
        assert value() == 2


def test_the_staged_modules_see_each_other(mode, package):
    name, folder = package
    write_files(folder, {
        '__init__.py': 'from . import a, b\n',
        'a.py': '''
            class Base:
                def who(self):
                    return 'old'
        ''',
        'b.py': '''
            from . import a

            class Sub(a.Base):
                pass
        ''',
    })
    importlib.import_module(name)
    a_before = sys.modules[f'{name}.a']
    base = a_before.Base
    write_files(folder, {
        'a.py': '''
            NEW = 'new'

            class Base:
                def who(self):
                    return NEW
        ''',
        'b.py': f'''
            import {name}.a
            from . import a
            from .a import NEW

            class Sub(a.Base):
                pass

            ALSO = {name}.a.NEW
            TOP = {name}
        ''',
    })
    refresh(mode, [name])
    a, b = sys.modules[f'{name}.a'], sys.modules[f'{name}.b']
    assert b.a is a
    assert b.NEW == b.ALSO == 'new'
    assert b.Sub.__bases__ == (a.Base,) and b.Sub().who() == 'new'
    if mode == 'in place':
        assert a is a_before and a.Base is base
        assert b.TOP is sys.modules[name]
    # Classic: the package is replaced after b ran (it imports b), so b
    # holds the package it found, as a sequential reload gives it.


def test_a_classic_product_subclassing_one_refreshed_in_place(tmp_path,
                                                              monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    names = ['stagingbase', 'stagingsub']
    write_files(tmp_path, {
        'stagingbase/__init__.py': '''
            class Base:
                def who(self):
                    return 'old'
        ''',
        'stagingsub/__init__.py': '''
            from stagingbase import Base

            class Sub(Base):
                pass
        ''',
    })
    try:
        base = importlib.import_module('stagingbase').Base
        importlib.import_module('stagingsub')
        write_files(tmp_path, {'stagingbase/__init__.py': '''
            class Base:
                def who(self):
                    return 'new'
        '''})
        refresh_packages(names, classic=['stagingsub'])
        sub = sys.modules['stagingsub'].Sub
        # The new subclass is based on the live class, not on the staged
        # one that was carried into it:
        assert sub.__bases__ == (base,) and sub().who() == 'new'
        assert issubclass(sub, base)
    finally:
        for name in names:
            sys.modules.pop(name, None)


MADE_WHILE_STAGING = '''
    import functools
    from . import registry

    X = 'new'
    HANDLERS = {}
    G = globals()


    def decorator(function):
        @functools.wraps(function)
        def wrapper(*args):
            return function(*args)
        return wrapper


    def added():
        return X


    @decorator
    def decorated():
        return X


    @functools.lru_cache
    def cached():
        return X


    def with_default(get=lambda: X):
        return get()


    class Kept:
        def method(self):
            return X

        def added(self):
            return X

        @classmethod
        def create(cls):
            return X

        @staticmethod
        def static():
            return X

        @property
        def prop(self):
            return X


    class Replaced:
        __slots__ = ('b',)

        def method(self):
            return X


    HANDLERS['added'] = added
    PARTIAL = functools.partial(added)
    registry.HANDLERS.append(lambda: X)
'''


def functions_of(module):
    """Every function reachable from the module's names, classes,
    containers, wrappers and closures."""
    found, seen = [], set()
    pending = list(vars(module).values())
    while pending:
        value = pending.pop()
        if id(value) in seen or isinstance(value, types.ModuleType):
            continue
        seen.add(id(value))
        if isinstance(value, types.FunctionType):
            found.append(value)
            pending += [cell.cell_contents for cell in value.__closure__ or ()]
            pending += list(value.__defaults__ or ())
            pending += list(vars(value).values())
        elif isinstance(value, type):
            if value.__module__ == module.__name__:
                pending += list(vars(value).values())
        elif isinstance(value, dict) and value is not vars(module):
            pending += list(value.values())
        elif isinstance(value, (list, tuple)):
            pending += list(value)
        elif isinstance(value, (classmethod, staticmethod)):
            pending.append(value.__func__)
        elif isinstance(value, property):
            pending += [value.fget, value.fset, value.fdel]
        elif isinstance(value, functools_wrappers()):
            pending.append(getattr(value, '__wrapped__', None)
                           or value.func)
    return found


def functools_wrappers():
    import functools
    return (functools._lru_cache_wrapper, functools.partial)


def test_what_the_new_code_made_gets_the_module_globals(package):
    name, folder = package
    write_files(folder, {
        '__init__.py': '',
        'registry.py': 'HANDLERS = []\n',
        'made.py': '''
            from . import registry

            X = 'old'

            class Kept:
                def method(self):
                    return X

            class Replaced:
                __slots__ = ('a',)
        ''',
    })
    made = importlib.import_module(f'{name}.made')
    registry = importlib.import_module(f'{name}.registry')
    refresh_packages([name])  # the engine has seen every module now
    handlers = registry.HANDLERS
    write_files(folder, {'made.py': MADE_WHILE_STAGING})
    refresh_packages([name])
    functions = functions_of(made)
    assert len(functions) >= 13
    assert all(f.__globals__ is vars(made) for f in functions), [
        f.__qualname__ for f in functions if f.__globals__ is not vars(made)]
    assert made.G is vars(made)
    assert made.HANDLERS['added'] is made.added is made.PARTIAL.func
    assert made.Kept().added() == made.Kept.create() == 'new'
    assert made.with_default() == made.cached() == made.decorated() == 'new'
    # Given to another module's registry that `made` does not reach (the
    # registry module was not refreshed this time): it reads the
    # module's globals as they are now.
    assert registry.HANDLERS is handlers and handlers[-1]() == 'new'
    made.X = 'changed later'
    assert handlers[-1]() == 'changed later'


def test_a_module_that_looks_itself_up_runs_in_the_module(mode, package):
    name, folder = package
    source = '''
        import sys

        for _name in ('ONE', 'TWO'):
            setattr(sys.modules[__name__], _name, '{version}')
    '''
    write_files(folder, {'__init__.py': '',
                         'names.py': source.replace('{version}', 'v1')})
    importlib.import_module(f'{name}.names')
    write_files(folder, {'names.py': source.replace('{version}', 'v2')})
    refresh(mode, [name])
    names = sys.modules[f'{name}.names']
    assert (names.ONE, names.TWO) == ('v2', 'v2')


def test_names_the_new_code_deletes_go(module):
    module.load('TEMPORARY = 1\nKEPT = 1\n')
    module.reload('TEMPORARY = 2\nKEPT = 2\ndel TEMPORARY\n')
    assert not hasattr(module.module, 'TEMPORARY')
    assert module.module.KEPT == 2


def test_a_new_module_gets_what_stands_for_the_staged_objects(package):
    name, folder = package
    write_files(folder, {'__init__.py': 'from . import a\n',
                         'a.py': 'def old():\n    return 1\n'})
    importlib.import_module(name)
    write_files(folder, {
        '__init__.py': 'from . import a, c\n',
        'a.py': 'def old():\n    return 1\n\ndef added():\n    return 2\n',
        'c.py': 'from .a import added, old\n',
    })
    [report] = refresh_packages([name]).packages
    a, c = sys.modules[f'{name}.a'], sys.modules[f'{name}.c']
    assert report.imported == (f'{name}.c',)
    assert c.added is a.added and c.old is a.old
    assert c.added.__globals__ is vars(a)


@pytest.fixture(autouse=True)
def _no_import_hook_left():
    yield
    assert builtins.__import__ is not stage._staged_import


def test_threads_switch_often_while_code_stages(package):
    """Staged code that computes without waiting must not hold the GIL
    for a whole switch interval each time a request thread wants it
    back: while a refresh stages, the interval is short, and then as it
    was."""
    name, folder = package
    before = sys.getswitchinterval()
    write_files(folder, {'__init__.py': 'import sys\nSEEN = 0\n'})
    importlib.import_module(name)
    write_files(folder, {'__init__.py':
                         'import sys\nSEEN = sys.getswitchinterval()\n'})
    refresh_packages([name])
    assert sys.modules[name].SEEN <= stage.STAGING_SWITCH_INTERVAL < before
    assert sys.getswitchinterval() == before
