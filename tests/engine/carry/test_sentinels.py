"""A sentinel another module imports keeps its identity everywhere the
new code put it, method defaults included: z3c.form's ``NO_VALUE`` (a
class and then its instance under one name), compared with ``is`` all
over Plone's forms; a method's default held the new one after a
refresh, and every edit form failed."""
import importlib
import time

from ...packages import write_files
from ..apply.test_engine import package  # noqa: F401 (fixture)
from ..apply.test_engine import refresh


INTERFACES = '''
class NO_VALUE:
    def __repr__(self):
        return '<NO_VALUE>'


NO_VALUE = NO_VALUE()


def helper():
    return VERSION
'''
WIDGET = '''
from .interfaces import NO_VALUE


def query(default=NO_VALUE):
    return default


class Widget:
    value = NO_VALUE

    def get(self, default=NO_VALUE, *, missing=NO_VALUE):
        return default, missing
'''


def test_a_sentinel_in_method_defaults_stays_the_same_object(package):
    name, folder = package
    write_files(folder, {'__init__.py': '', 'widget.py': WIDGET,
                         'interfaces.py': INTERFACES.replace('VERSION', '1')})
    interfaces = importlib.import_module(f'{name}.interfaces')
    widget = importlib.import_module(f'{name}.widget')
    sentinel = interfaces.NO_VALUE
    for version in ('2', '1'):  # an edit, then the file as it was
        time.sleep(0.01)
        write_files(folder, {'interfaces.py': INTERFACES.replace(
            'VERSION', version)})
        refresh('in place', [name])
        assert interfaces.helper() == int(version)
        assert interfaces.NO_VALUE is sentinel
        assert widget.query() is sentinel
        assert widget.Widget.value is sentinel
        assert widget.Widget().get() == (sentinel, sentinel)
        assert all(value is sentinel for value in widget.Widget().get())
