"""On a Python CI has not proven (3.15 the day it ships), every fast path
that reads one version's internals is off: a refresh still runs the
files' code, through `dis` and whole-file compiles."""
import importlib
import sys

import pytest

from Products.RefreshManager.engine.read import versions

from ...packages import write_files
from ..apply.test_engine import mode  # noqa: F401 (fixture)
from ..apply.test_engine import package  # noqa: F401 (fixture)
from ..apply.test_engine import refresh


@pytest.fixture(autouse=True)
def unproven(monkeypatch):
    monkeypatch.setattr(versions, 'RAW_OPCODES', False)
    monkeypatch.setattr(versions, 'POSITIONS', False)


def test_a_refresh_takes_the_general_path(mode, package, tmp_path):
    name, folder = package
    target = f'{name}_target'
    write_files(tmp_path, {f'{target}.py': 'COUNT = 0\n'})
    write_files(folder, {
        '__init__.py': 'from .views import View\nfrom . import hotfix\n',
        'views.py': 'from .base import Base\n\n\nclass View(Base):\n'
                    '    def render(self):\n        return "v1 " + '
                    'self.name()\n',
        'base.py': 'class Base:\n    def name(self):\n        return "base"\n',
        'hotfix.py': f'import {target}\n{target}.COUNT += 1\n',
    })
    view = importlib.import_module(name).View()
    [first] = refresh(mode, [name]).packages  # runs every module once
    assert [module for module, _ in first.patch_modules] == [
        f'{name}.hotfix']
    (folder / 'views.py').write_text(
        (folder / 'views.py').read_text().replace('"v1 "', '"v2 "'))
    (folder / 'base.py').write_text('class Base:\n    def name(self):\n'
                                    '        return "new base"\n')
    [report] = refresh(mode, [name]).packages
    new = sys.modules[f'{name}.views'].View()
    assert new.render() == 'v2 new base'
    assert (view.render() == 'v2 new base') == (mode == 'in place')
    assert sys.modules[target].COUNT == 1  # the hotfix ran once
    assert report.reloaded.index(f'{name}.base') < report.reloaded.index(
        f'{name}.views')
