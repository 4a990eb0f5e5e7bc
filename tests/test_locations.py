"""The locations table is read and written the way CPython writes it."""
import sys

import pytest

from Products.RefreshManager.engine import locations
from Products.RefreshManager.engine.bytecode import all_code


pytestmark = pytest.mark.skipif(not locations.READABLE,
                                reason='Python 3.11 tables')


def _codes():
    """Every code object of the modules loaded here, compiled afresh."""
    for name, module in sorted(sys.modules.items()):
        path = getattr(module, '__file__', None) or ''
        if not path.endswith('.py'):
            continue
        try:
            with open(path, 'rb') as source:
                code = compile(source.read(), path, 'exec')
        except (OSError, SyntaxError, ValueError):
            continue
        yield from all_code(code)


def test_tables_are_written_back_byte_for_byte():
    """Reading then writing gives the compiler's bytes for every code
    object of the Zope stack, and the positions read are those
    ``co_positions`` gives, code unit by code unit."""
    import Zope2.App.startup  # noqa: F401 (a bigger corpus)
    checked = 0
    for code in _codes():
        found = locations.entries(code)
        assert locations.table(found, code.co_firstlineno) == \
            code.co_linetable, code
        expanded = [tuple(position) for length, position in found
                    for _ in range(length)]
        assert expanded == list(code.co_positions()), code
        checked += 1
    assert checked > 10000
