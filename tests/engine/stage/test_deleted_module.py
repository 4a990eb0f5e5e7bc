"""A module whose file was deleted is gone for the refresh: a module that
still imports it fails the refresh, which changes nothing; once the file
is back, its new code is what runs."""
import importlib
import sys

import pytest

from Products.RefreshManager.engine.apply.refresh import RefreshError

from ...packages import write_files
from ..apply.test_engine import mode  # noqa: F401 (fixture)
from ..apply.test_engine import package  # noqa: F401 (fixture)
from ..apply.test_engine import refresh


@pytest.mark.parametrize('statement, use', [
    ('from .logic import answer', 'answer()'),
    ('from . import logic', 'logic.answer()'),
    ('import {name}.logic', '{name}.logic.answer()'),
])
def test_a_deleted_module_still_imported_fails_the_refresh(
        mode, package, statement, use):
    name, folder = package
    content = (f'{statement}\n\n\ndef show():\n    return {use}\n'
               .replace('{name}', name))
    write_files(folder, {'__init__.py': 'from . import content\n',
                         'content.py': content,
                         'logic.py': 'def answer():\n    return "old"\n'})
    importlib.import_module(f'{name}.content')
    refresh(mode, [name])
    module = sys.modules[f'{name}.content']
    (folder / 'logic.py').unlink()
    with pytest.raises(RefreshError) as failed:
        refresh(mode, [name])
    assert 'logic.py was deleted' in str(failed.value)
    assert sys.modules[f'{name}.content'] is module
    assert module.show() == 'old'  # nothing changed
    write_files(folder, {'logic.py': 'def answer():\n    return "new"\n'})
    refresh(mode, [name])
    assert sys.modules[f'{name}.content'].show() == 'new'


def test_a_deleted_module_nobody_imports_goes(mode, package):
    name, folder = package
    write_files(folder, {'__init__.py': '', 'gone.py': 'X = 1\n'})
    importlib.import_module(f'{name}.gone')
    refresh(mode, [name])
    (folder / 'gone.py').unlink()
    [report] = refresh(mode, [name]).packages
    assert report.removed == (f'{name}.gone',)
    assert f'{name}.gone' not in sys.modules
    assert not hasattr(sys.modules[name], 'gone')
