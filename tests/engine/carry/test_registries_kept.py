"""Dicts, sets and lists a module's top level makes again keep their
identity and what other code registered in them at run time: as it was,
plus the new. Products.CMFCore's ``utils`` makes an empty dict of tool
interfaces that other packages fill when they are imported; running the
module again emptied it, and Plone's edit and add forms failed (500)."""
import importlib

from ...packages import write_files
from ..apply.test_engine import package  # noqa: F401 (fixture)
from ..apply.test_engine import refresh


UTILS = '''
_tool_interfaces = {}
_hooks = []
_names = set()
COLORS = {'red': 1, 'green': 2}


def register_tool(name, interface):
    _tool_interfaces[name] = interface
    _names.add(name)


def tool_interface(name):
    return _tool_interfaces.get(name, 'VERSION')
'''
OTHER = '''
from .utils import register_tool, _hooks
register_tool('portal_languages', 'ILanguageTool')
_hooks.append('a hook')
'''


def test_what_other_code_registered_stays(package):
    name, folder = package
    write_files(folder, {'__init__.py': '', 'other.py': OTHER,
                         'utils.py': UTILS.replace('VERSION', 'v1')})
    utils = importlib.import_module(f'{name}.utils')
    importlib.import_module(f'{name}.other')
    registry, hooks, names = utils._tool_interfaces, utils._hooks, \
        utils._names
    write_files(folder, {'utils.py': UTILS.replace('VERSION', 'v2').replace(
        "{'red': 1, 'green': 2}", "{'red': 10}")})
    report = refresh('in place', [name])
    assert {f'{name}.utils', f'{name}.other'} <= set(
        report.packages[0].executed)  # its importer ran too
    assert utils._tool_interfaces is registry
    assert utils.tool_interface('portal_languages') == 'ILanguageTool'
    assert utils.tool_interface('nothing') == 'v2'
    assert utils._hooks is hooks and hooks.count('a hook') >= 1
    assert utils._names is names and names == {'portal_languages'}
    # An entry taken out of a literal stays: the report says so.
    assert utils.COLORS == {'red': 10, 'green': 2}
    assert (f'{name}.utils.COLORS', 1) in report.packages[0].kept


def test_nothing_registered_from_outside_nothing_kept(package):
    name, folder = package
    write_files(folder, {'__init__.py': '',
                         'utils.py': UTILS.replace('VERSION', 'v1')})
    utils = importlib.import_module(f'{name}.utils')
    write_files(folder, {'utils.py': UTILS.replace('VERSION', 'v2')})
    report = refresh('in place', [name])
    assert report.packages[0].kept == ()
    assert utils.tool_interface('x') == 'v2'
