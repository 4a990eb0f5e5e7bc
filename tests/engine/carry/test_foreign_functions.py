"""Functions another module or another reloader left where the module's
own stood: a monkey patch stays (its saved original gets the new code),
and a method another reloader made runs the new code with the module's
globals and ``super()`` naming the class the module holds."""
import importlib
import sys

from plone.reload.xreload import Reloader

from ...packages import unique_name
from ...packages import write_files
from ..apply.test_engine import package  # noqa: F401 (fixture)
from ..apply.test_engine import refresh


CHILD = '''
class Base:
    def hello(self):
        return "base"


class Child(Base):
    def hello(self):
        return "child " + super().hello() + " {version}"


class Grandchild(Child):
    def hello(self):
        return super().hello() + " grand"
'''


def test_after_plone_reload_super_names_the_class_the_module_holds(
        package):
    """plone.reload puts a new method with a ``__class__`` cell naming a
    class of its own into the old class (its known limit: every
    ``super()`` call then raises TypeError); a refresh afterwards puts
    it right, for old and new instances and for subclasses."""
    name, folder = package
    write_files(folder, {'__init__.py': '',
                         'mod.py': CHILD.replace('{version}', 'v1')})
    module = importlib.import_module(f'{name}.mod')
    old, grand = module.Child(), module.Grandchild()
    refresh('in place', [name])
    write_files(folder, {'mod.py': CHILD.replace('{version}', 'v2')})
    Reloader(module).reload()
    write_files(folder, {'mod.py': CHILD.replace('{version}', 'v3')})
    [report] = refresh('in place', [name]).packages
    assert old.hello() == 'child base v3'
    assert grand.hello() == 'child base v3 grand'
    assert module.Child().hello() == 'child base v3'
    hello = vars(module.Child)['hello']
    assert hello.__globals__ is vars(module)


def test_a_monkey_patch_stays_and_its_original_gets_the_new_code(
        package, tmp_path):
    """As Products.CMFPlone's ``patches.speed`` replaces a method of
    Products.CMFCore: refreshing the patched module must not carry its
    new code into the patch's function (which runs with the patch
    module's globals: NameError), and the original the patch calls runs
    the new code."""
    name, folder = package
    patcher = unique_name('patcher')
    write_files(folder, {
        '__init__.py': '',
        'tool.py': 'from os.path import join\n\n\nclass Tool:\n'
                   '    def path(self, name):\n'
                   '        return join("v1", name)\n'})
    tool = importlib.import_module(f'{name}.tool')
    write_files(tmp_path, {f'{patcher}.py': f'''
from {name}.tool import Tool

_original = Tool.path


def path(self, name):
    return "patched " + _original(self, name)


Tool.path = path
'''})
    importlib.import_module(patcher)
    refresh('in place', [name])
    write_files(folder, {'tool.py': (folder / 'tool.py').read_text()
                         .replace('"v1"', '"v2"')})
    refresh('in place', [name])
    assert tool.Tool().path('x') == 'patched v2/x'
    assert vars(tool.Tool)['path'] is sys.modules[patcher].path
