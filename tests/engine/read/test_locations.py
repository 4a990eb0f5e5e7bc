"""The locations table is read and written the way CPython writes it."""
import pytest

from Products.RefreshManager.engine.read import locations
from Products.RefreshManager.engine.read import versions
from Products.RefreshManager.engine.read.bytecode import all_code

from ...corpus import loaded_modules


pytestmark = pytest.mark.skipif(not versions.POSITIONS,
                                reason='the 3.11 table format, proven on 3.11-3.14')


def _table(found, firstlineno):
    """The table that holds the `found` entries, entry by entry."""
    out, previous = bytearray(), firstlineno
    for length, position in found:
        locations.write_entry(out, length, position, previous)
        if position[0] is not None:
            previous = position[0]
    return bytes(out)


def test_tables_are_written_back_byte_for_byte():
    """Reading then writing gives the compiler's bytes for every code
    object of the Zope stack, and the positions read are those
    ``co_positions`` gives, code unit by code unit."""
    import Zope2.App.startup  # noqa: F401 (a bigger corpus)
    checked = 0
    for code in (inner for _, outer in loaded_modules()
                 for inner in all_code(outer)):
        found = locations.entries(code)
        assert _table(found, code.co_firstlineno) == \
            code.co_linetable, code
        expanded = [tuple(position) for length, position in found
                    for _ in range(length)]
        assert expanded == list(code.co_positions()), code
        checked += 1
    assert checked > 10000
