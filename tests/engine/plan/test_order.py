from Products.RefreshManager.engine.read.bytecode import dependencies
from Products.RefreshManager.engine.read.bytecode import import_targets
from Products.RefreshManager.engine.plan.order import dependency_order
from Products.RefreshManager.engine.plan.order import find_path
from Products.RefreshManager.engine.plan.order import reachable


def test_dependencies_come_first():
    order, broken = dependency_order(
        {'app': {'models', 'util'}, 'models': {'util'}, 'util': set()})
    assert order == ['util', 'models', 'app']
    assert broken == []


def test_cycle_is_broken_the_same_way_every_time():
    graph = {'b': {'a'}, 'a': {'c'}, 'c': {'b'}}
    results = {tuple(map(tuple, dependency_order(dict(reversed(
        list(graph.items())))))) for _ in range(5)}
    results.add(tuple(map(tuple, dependency_order(graph))))
    assert len(results) == 1
    order, broken = dependency_order(graph)
    assert order == ['a', 'b', 'c']
    assert broken == [('a', 'c')]


def test_priority_decides_ties_and_which_cycle_member_leads():
    graph = {'z': {'b'}, 'b': {'z', 'c'}, 'c': {'b'}, 'y': set()}
    assert dependency_order(graph, priority=['z', 'b', 'c', 'y']) == (
        ['y', 'z', 'b', 'c'], [('z', 'b'), ('b', 'c')])


def test_unknown_dependencies_are_ignored():
    assert dependency_order({'a': {'os', 'b'}, 'b': set()}) == (
        ['b', 'a'], [])


def test_reachable_and_find_path():
    edges = {'a': ['b', 'c'], 'b': ['c'], 'c': ['a'], 'd': []}
    assert reachable(['a'], edges.get) == ['a', 'b', 'c']
    assert reachable(['d', 'b'], edges.get) == ['d', 'b', 'c', 'a']
    assert find_path('b', 'a', edges.get) == ('b', 'c', 'a')
    assert find_path('a', 'd', edges.get) is None


def deps(source, name='pkg.mod', is_package=False,
         candidates=('pkg', 'pkg.mod', 'pkg.a', 'pkg.b', 'pkg.sub',
                     'pkg.sub.c')):
    targets = import_targets(compile(source, name, 'exec'), name, is_package)
    return dependencies(targets, name, set(candidates))


def test_import_forms():
    assert deps('import pkg.a') == {'pkg.a'}
    assert deps('import pkg.sub.c as c') == {'pkg.sub.c'}
    assert deps('from pkg import a, b') == {'pkg.a', 'pkg.b'}
    assert deps('from pkg import CONSTANT') == {'pkg'}
    assert deps('from . import a') == {'pkg.a'}
    assert deps('from .sub import c') == {'pkg.sub.c'}
    assert deps('from .. import a', name='pkg.sub.c') == {'pkg.a'}
    assert deps('from . import c', name='pkg.sub', is_package=True) == {
        'pkg.sub.c'}
    assert deps('import os, pkg.nothing') == {'pkg'}


def test_only_imports_that_run_at_load_time_count():
    source = '''
        try:
            from pkg import a
        except ImportError:
            pass
        class K:
            from pkg import b
        def later():
            from pkg.sub import c
        handler = lambda: __import__('pkg.sub')
    '''
    import textwrap
    assert deps(textwrap.dedent(source)) == {'pkg.a', 'pkg.b'}


def test_a_module_does_not_depend_on_itself():
    assert deps('import pkg.mod') == set()
