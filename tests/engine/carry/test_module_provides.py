"""A module that declares what it provides (``moduleProvides``) runs
again: zope.interface refuses a second declaration in one module body,
and the new code runs on a copy of the old namespace, so the old one
goes first, as in a fresh import. (plone.supermodel's ``interfaces``
could not be refreshed.)"""
import importlib

import pytest

from ...packages import write_files
from ..apply.test_engine import package  # noqa: F401 (fixture)
from ..apply.test_engine import refresh


SOURCE = '''
from zope.interface import Interface, moduleProvides


class IUtilities(Interface):
    pass


moduleProvides(IUtilities)
VALUE = VERSION
'''


@pytest.mark.parametrize('mode', ['in place', 'classic'])
def test_a_module_that_provides_an_interface_refreshes(package, mode):
    name, folder = package
    write_files(folder, {'__init__.py': '',
                         'tools.py': SOURCE.replace('VERSION', '1')})
    tools = importlib.import_module(f'{name}.tools')
    write_files(folder, {'tools.py': SOURCE.replace('VERSION', '2')})
    refresh(mode, [name])
    tools = importlib.import_module(f'{name}.tools')
    assert tools.VALUE == 2
    assert tools.IUtilities.providedBy(tools)
