"""What the class statement itself records (3.13+: ``__firstlineno__``
and ``__static_attributes__``) follows the file: in the code the
incremental compile rebuilds, and in the classes a refresh keeps."""
import importlib
import inspect
import sys

import pytest

from Products.RefreshManager.engine.plan import incremental

from ...packages import write_files
from ..apply.test_engine import mode  # noqa: F401 (fixture)
from ..apply.test_engine import package  # noqa: F401 (fixture)
from ..apply.test_engine import refresh
from .test_incremental import recompiled


needs_313 = pytest.mark.skipif(
    sys.version_info < (3, 13), reason='the class statement records these '
    'since Python 3.13')

def _module(blank, statements):
    """A function of `statements` lines, `blank` empty lines, then a
    decorated class whose method sets an attribute."""
    return (b'def first():\n' + b'    a = 1\n' * statements
            + b'    return 1\n\n\n' + b'\n' * blank
            + b'@staticmethod\nclass C:\n    x = 1\n\n'
            b'    def m(self):\n        self.a = 1\n')


@pytest.fixture(autouse=True)
def any_size(monkeypatch):
    monkeypatch.setattr(incremental, '_SMALL', 0)


@pytest.mark.parametrize('blank, before, after', [
    (0, 1, 2),      # the usual case: a line added above a class
    (0, 2, 1),      # a line removed above it
    (240, 1, 20),   # 3.14: a small int (< 256) becomes a constant
    (250, 4, 1),    # 3.14: a constant becomes a small int
])
def test_a_class_moved_by_an_edit_above_gets_its_new_first_line(
        blank, before, after):
    """Whatever the path taken (the rebuild, or the whole file where the
    compiler lays the constants out otherwise), the code is the whole
    file's: `recompiled` compares them, constants included."""
    recompiled(_module(blank, before), _module(blank, after))


def test_a_class_whose_line_is_also_a_constant_of_its_body():
    """``x = 5`` in a class on line 5 shares the constant with
    ``__firstlineno__``: moving the class must not change ``x``."""
    old = b'def first():\n    return 1\n\n\nclass C:\n    x = 5\n' + \
        b'\n' * 20 + b'# end\n'
    code, _fast = recompiled(old, old.replace(b'return 1',
                                              b'y = 1\n    return y'))
    namespace = {}
    exec(code, namespace)
    assert namespace['C'].x == 5


@needs_313
def test_a_kept_class_takes_its_new_first_line_and_attributes(mode,
                                                              package):
    """A line added above a class, and an attribute set in a method: the
    class a refresh keeps (or makes) tells `inspect` where it is now."""
    name, folder = package
    source = ('def first():\n    return 1\n\n\n'
              'class C:\n    def m(self):\n        self.a = 1\n')
    write_files(folder, {'__init__.py': '', 'mod.py': source})
    old = importlib.import_module(f'{name}.mod').C
    assert old.__firstlineno__ == 5
    refresh(mode, [name])
    edited = source.replace('return 1', 'x = 2\n    return x').replace(
        'self.a = 1', 'self.a = 1\n        self.b = 2')
    (folder / 'mod.py').write_text(edited)
    refresh(mode, [name])
    cls = sys.modules[f'{name}.mod'].C
    assert (cls is old) == (mode == 'in place')
    assert cls.__firstlineno__ == 6
    assert cls.__static_attributes__ == ('a', 'b')
    assert inspect.getsource(cls).startswith('class C:\n')
