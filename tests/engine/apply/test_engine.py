"""The engine on real packages written to disk, without Zope."""
import importlib
import sys
import threading

import pytest

from Products.RefreshManager.engine.apply.refresh import RefreshError
from Products.RefreshManager.engine.apply.refresh import refresh_packages

from ...packages import remove_file
from ...packages import unique_name
from ...packages import write_files


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A fresh package name on a temporary sys.path entry."""
    monkeypatch.syspath_prepend(str(tmp_path))
    name = unique_name('enginepkg')
    yield name, tmp_path / name
    for module in [m for m in sys.modules if m.split('.')[0] == name]:
        del sys.modules[module]


@pytest.fixture(params=['in place', 'classic'])
def mode(request):
    return request.param


def refresh(mode, packages, after_load=None):
    classic = packages if mode == 'classic' else ()
    return refresh_packages(packages, after_load, classic)


def snapshot(name):
    return {k: v for k, v in sys.modules.items() if k.split('.')[0] == name}


def test_edit_is_seen_by_modules_that_import_it(mode, package):
    name, folder = package
    write_files(folder, {
        '__init__.py': 'from .views import render\n',
        'config.py': 'GREETING = "hello"\n',
        'views.py': '''
            from .config import GREETING
            def render():
                return GREETING
        ''',
    })
    pkg = importlib.import_module(name)
    assert pkg.render() == 'hello'
    write_files(folder, {'config.py': 'GREETING = "bonjour"\n'})
    report = refresh(mode, [name])
    assert sys.modules[name].render() == 'bonjour'
    assert sys.modules[name].config is sys.modules[f'{name}.config']
    [package_report] = report.packages
    assert package_report.reloaded == (
        f'{name}.config', f'{name}.views', name)
    assert report.seconds > 0


def test_modules_reload_in_import_order_not_name_order(mode, package):
    """`a_user` sorts first but needs the new `z_base`: the wrong order
    would raise ImportError."""
    name, folder = package
    write_files(folder, {
        '__init__.py': '',
        'z_base.py': 'def old():\n    return 1\n',
        'a_user.py': 'from .z_base import old\nVALUE = old()\n',
    })
    importlib.import_module(f'{name}.a_user')
    write_files(folder, {
        'z_base.py': 'def new():\n    return 2\n',
        'a_user.py': 'from .z_base import new\nVALUE = new()\n',
    })
    report = refresh(mode, [name])
    assert sys.modules[f'{name}.a_user'].VALUE == 2
    assert report.packages[0].reloaded == (
        name, f'{name}.z_base', f'{name}.a_user')


@pytest.mark.parametrize('broken_source, error_type', [
    ('def broken(:\n', SyntaxError),
    ('from .nowhere import thing\n', ImportError),
    ('raise RuntimeError("module level")\n', RuntimeError),
])
def test_failure_restores_every_module(mode, package, broken_source,
                                       error_type):
    name, folder = package
    write_files(folder, {
        '__init__.py': 'from . import a, b\n',
        'a.py': 'VALUE = 1\n',
        'b.py': 'from .a import VALUE\nDOUBLE = VALUE * 2\n',
    })
    importlib.import_module(name)
    before = snapshot(name)
    parent_attrs = dict(vars(sys.modules[name]))
    write_files(folder, {
        'a.py': 'VALUE = 10\n',  # reloads fine before the failure
        'b.py': 'from .a import VALUE\nDOUBLE = VALUE * 2\n' + broken_source,
    })
    with pytest.raises(RefreshError) as info:
        refresh(mode, [name])
    assert isinstance(info.value.error, error_type)
    assert info.value.package == name
    assert type(info.value.error).__name__ in info.value.traceback
    assert snapshot(name) == before
    assert all(sys.modules[k] is v for k, v in before.items())
    assert vars(sys.modules[name]) == parent_attrs
    assert sys.modules[f'{name}.b'].DOUBLE == 2

    write_files(folder, {'b.py': 'from .a import VALUE\nDOUBLE = VALUE * 2\n'})
    refresh(mode, [name])
    assert sys.modules[f'{name}.b'].DOUBLE == 20


def test_modules_first_imported_by_a_failed_refresh_are_removed(
        mode, package):
    name, folder = package
    write_files(folder, {'__init__.py': 'VALUE = 1\n'})
    importlib.import_module(name)
    before = snapshot(name)
    write_files(folder, {
        'helper.py': 'HELP = True\n',
        '__init__.py': 'from . import helper\nraise ValueError("late")\n',
    })
    with pytest.raises(RefreshError):
        refresh(mode, [name])
    assert snapshot(name) == before
    assert not hasattr(sys.modules[name], 'helper')


def test_a_failing_after_load_hook_rolls_back(mode, package):
    name, folder = package
    write_files(folder, {'__init__.py': 'VALUE = 1\n'})
    old = importlib.import_module(name)
    write_files(folder, {'__init__.py': 'VALUE = 2\n'})
    registry = type('Registry', (), {})()

    def after_load(package_name, module, journal):
        journal.setattr(registry, 'product', module)
        raise LookupError('initialize failed')

    with pytest.raises(RefreshError) as info:
        refresh(mode, [name], after_load)
    assert isinstance(info.value.error, LookupError)
    assert sys.modules[name] is old
    assert not hasattr(registry, 'product')


def test_nothing_changed_runs_nothing(mode, package):
    """No file changed: no module runs, and neither does the hook."""
    name, folder = package
    write_files(folder, {'__init__.py': 'VALUE = 1\n'})
    importlib.import_module(name)
    calls = []
    refresh(mode, [name])  # the engine now knows the module
    report = refresh(mode, [name], lambda *args: calls.append(args))
    assert report.packages[0].executed == () and calls == []
    write_files(folder, {'__init__.py': 'VALUE = 2\n'})
    report = refresh(mode, [name], lambda *args: calls.append(args))
    assert report.packages[0].executed == (name,) and len(calls) == 1


def test_each_package_reports_its_own_time(mode, package, tmp_path):
    name, folder = package
    other = unique_name('enginetime')
    write_files(folder, {'__init__.py': 'VALUE = 1\n'})
    write_files(tmp_path / other, {'__init__.py': 'VALUE = 1\n'})
    report = refresh(mode, [name, other])
    first, second = report.packages
    assert first.seconds > 0 and second.seconds > 0
    assert first.seconds + second.seconds <= report.seconds
    del sys.modules[other]


def test_a_failing_package_rolls_back_those_before_it(mode, package,
                                                     tmp_path):
    name, folder = package
    other = unique_name('enginedep')
    write_files(folder, {'__init__.py': 'VALUE = 1\n'})
    write_files(tmp_path / other, {'__init__.py': 'VALUE = 1\n'})
    first, second = importlib.import_module(name), importlib.import_module(
        other)
    write_files(folder, {'__init__.py': 'VALUE = 2\n'})
    write_files(tmp_path / other, {'__init__.py': 'VALUE = 2 / 0\n'})
    with pytest.raises(RefreshError) as info:
        refresh(mode, [name, other])
    assert info.value.package == other
    assert sys.modules[name] is first and sys.modules[other] is second
    del sys.modules[other]


def test_unloaded_package_is_imported(mode, package):
    name, folder = package
    write_files(folder, {'__init__.py': 'from . import part\n',
                         'part.py': 'X = 1\n'})
    report = refresh(mode, [name])
    assert sys.modules[f'{name}.part'].X == 1
    assert report.packages[0].reloaded == ()
    assert report.packages[0].imported == (name, f'{name}.part')


def test_opted_out_module_is_kept(mode, package):
    name, folder = package
    write_files(folder, {
        '__init__.py': 'from . import state, logic\n',
        'state.py': '__refresh_module__ = False\nCOUNTER = []\n',
        'logic.py': 'from .state import COUNTER\n',
    })
    importlib.import_module(name)
    state = sys.modules[f'{name}.state']
    state.COUNTER.append(1)
    report = refresh(mode, [name])
    assert sys.modules[f'{name}.state'] is state
    assert sys.modules[f'{name}.logic'].COUNTER == [1]
    assert sys.modules[name].state is state
    assert f'{name}.state' not in report.packages[0].reloaded


def test_import_cycle_is_reported(mode, package):
    name, folder = package
    write_files(folder, {
        '__init__.py': 'VERSION = 1\nfrom . import user\n',
        'user.py': 'from . import VERSION\n',
    })
    importlib.import_module(name)
    report = refresh(mode, [name])
    assert report.packages[0].broken_cycles == ((name, f'{name}.user'),)
    assert report.packages[0].reloaded == (name, f'{name}.user')


def test_module_whose_file_is_gone_is_removed(mode, package):
    name, folder = package
    write_files(folder, {'__init__.py': '', 'gone.py': 'X = 1\n'})
    importlib.import_module(f'{name}.gone')
    remove_file(folder, 'gone.py')
    report = refresh(mode, [name])
    assert f'{name}.gone' not in sys.modules
    assert not hasattr(sys.modules[name], 'gone')
    assert report.packages[0].removed == (f'{name}.gone',)


def test_refreshes_run_one_after_the_other(mode, package, tmp_path):
    import builtins
    slow = '''
        import time
        from builtins import __dict__ as builtins
        spans = builtins.setdefault('_refresh_test_spans', [])
        start = time.monotonic()
        time.sleep(0.2)
        spans.append((start, time.monotonic()))
    '''
    name, folder = package
    other = unique_name('engineslow')
    write_files(folder, {'__init__.py': slow})
    write_files(tmp_path / other, {'__init__.py': slow})
    builtins._refresh_test_spans = []
    threads = [threading.Thread(target=refresh, args=(mode, [package_name]))
               for package_name in (name, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (s1, e1), (s2, e2) = sorted(builtins._refresh_test_spans)
    del builtins._refresh_test_spans, sys.modules[other]
    assert e1 <= s2


def test_only_changed_modules_and_their_importers_run_again(mode, package):
    name, folder = package
    write_files(folder, {
        '__init__.py': 'from . import base, user, other\n',
        'base.py': 'VALUE = 1\n',
        'user.py': 'from .base import VALUE\nDOUBLE = VALUE * 2\n',
        'other.py': 'X = 1\n',
    })
    importlib.import_module(name)
    first = refresh(mode, [name]).packages[0]
    assert len(first.reloaded) == 4  # nothing known yet: all of them
    assert refresh(mode, [name]).packages[0].reloaded == ()

    write_files(folder, {'base.py': 'VALUE = 5\n'})
    report = refresh(mode, [name]).packages[0]
    assert report.reloaded == (f'{name}.base', f'{name}.user', name)
    assert sys.modules[f'{name}.user'].DOUBLE == 10

    write_files(folder, {'other.py': 'X = 2\n'})
    assert refresh(mode, [name]).packages[0].reloaded == (
        f'{name}.other', name)


def test_importers_in_later_packages_run_again(mode, package, tmp_path):
    name, folder = package
    other = unique_name('engineuser')
    write_files(folder, {'__init__.py': 'VALUE = 1\n'})
    write_files(tmp_path / other, {
        '__init__.py': f'from {name} import VALUE\n',
        'unrelated.py': 'X = 1\n'})
    importlib.import_module(other)
    importlib.import_module(f'{other}.unrelated')
    refresh(mode, [name, other])
    write_files(folder, {'__init__.py': 'VALUE = 2\n'})
    first, second = refresh(mode, [name, other]).packages
    assert first.reloaded == (name,) and second.reloaded == (other,)
    assert sys.modules[other].VALUE == 2
    for module in [m for m in sys.modules if m.split('.')[0] == other]:
        del sys.modules[module]


def test_names_the_new_source_no_longer_binds_are_gone(mode, package):
    name, folder = package
    write_files(folder, {'__init__.py': 'import os\nLIMIT = 1\nKEPT = 2\n'})
    module = importlib.import_module(name)
    refresh(mode, [name])  # the engine learns what the source binds
    sys.modules[name].set_from_outside = True
    write_files(folder, {'__init__.py': 'KEPT = 3\n'})
    refresh(mode, [name])
    module = sys.modules[name]
    assert module.KEPT == 3
    assert not hasattr(module, 'LIMIT') and not hasattr(module, 'os')
    if mode == 'in place':
        assert module.set_from_outside
