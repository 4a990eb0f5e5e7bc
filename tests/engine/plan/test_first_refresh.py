"""The first refresh of a package runs only what changed since it was
loaded: Zope remembers every loaded module's file when it has started
(`remember_loaded`), as Zope 2 knew each file's time from loading the
product. Without that memory, every module counted as changed, and a
first click ran a whole package (66 modules of Products.CMFCore)."""
import importlib
import os
import py_compile
import time

import pytest

from Products.RefreshManager.engine.read.imported import module_code
from Products.RefreshManager.engine.record.sync import remember_loaded

from ...packages import write_files
from ..apply.test_engine import package  # noqa: F401 (fixture)
from ..apply.test_engine import refresh


FILES = {
    '__init__.py': 'from . import views\n',
    'config.py': 'GREETING = "hello"\n',
    'views.py': 'from .config import GREETING\n\n\n'
                'def render():\n    return GREETING\n',
    'other.py': 'def other():\n    return 1\n',
    'unrelated.py': 'from . import other\n',
}


@pytest.mark.parametrize('mode', ['in place', 'classic'])
def test_the_first_refresh_runs_what_changed_and_its_importers(package,
                                                               mode):
    name, folder = package
    write_files(folder, FILES)
    pkg = importlib.import_module(name)
    importlib.import_module(f'{name}.unrelated')
    remember_loaded()  # Zope has started
    time.sleep(0.01)
    write_files(folder, {'config.py': 'GREETING = "bonjour"\n'})
    report = refresh(mode, [name])
    assert set(report.packages[0].executed) == {
        f'{name}.config', f'{name}.views', name}
    assert pkg.views.render() == 'bonjour'
    # Nothing changed since: the next refresh runs nothing.
    assert refresh(mode, [name]).packages[0].executed == ()


def test_without_the_memory_every_module_runs(package):
    """A module loaded after Zope remembered (or in a script that never
    did) counts as changed: running it again is what a fresh import
    would do."""
    name, folder = package
    write_files(folder, FILES)
    importlib.import_module(name)
    importlib.import_module(f'{name}.unrelated')
    report = refresh('in place', [name])
    assert set(report.packages[0].executed) == {
        f'{name}.{module}' for module in
        ('config', 'views', 'other', 'unrelated')} | {name}


def test_import_targets_come_from_a_current_pyc_else_the_source(tmp_path):
    path = tmp_path / 'mod.py'
    path.write_text('import os\n')
    compiled = py_compile.compile(str(path), doraise=True)
    stat = os.stat(path)
    # The same size and second: the header matches, the .pyc is read
    # (why it is never used to run code, only to read imports).
    path.write_text('import re\n')
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert 'os' in module_code(str(path)).co_names
    # A .pyc that does not match the file is not read.
    with open(compiled, 'r+b') as pyc:
        pyc.seek(12)
        pyc.write(b'\xff\xff\xff\x7f')
    assert 're' in module_code(str(path)).co_names
    os.remove(path)
    assert module_code(str(path)) is None
