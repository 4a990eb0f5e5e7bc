"""Read and write a code object's locations table (``co_linetable``).

The body of a module or a class records where each statement it runs
starts and ends, a ``def`` included: its end is where the function's
last line ends. So an edit of that line changes the body's table too,
though not its bytecode. `incremental` gives such a body its new
positions here, entry by entry (the entries and their lengths stay:
the bytecode is the same), written the way the compiler writes them
(Python 3.11's format, see CPython's ``Objects/locations.md``).
"""
import re
from itertools import accumulate


_NONE, _LONG, _NO_COLUMN, _ONE_LINE = 15, 14, 13, 10
_ENTRY = re.compile(rb'[\x80-\xff]')  # an entry's first byte


def _varint(data, at):
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 63) << shift
        shift += 6
        if not byte & 64:
            return value, at


def _svarint(data, at):
    value, at = _varint(data, at)
    return (-(value >> 1) if value & 1 else value >> 1), at


def _read(data, line):
    """``(start, end, length, (line, end line, column, end column))`` of
    each entry of the table `data` of a code whose first line is
    `line`; a part is None where the compiler gave none."""
    at = 0
    while at < len(data):
        start, first = at, data[at]
        kind, length = (first >> 3) & 15, (first & 7) + 1
        at += 1
        if kind == _NONE:
            position = None, None, None, None
        elif kind == _LONG:
            delta, at = _svarint(data, at)
            end, at = _varint(data, at)
            column, at = _varint(data, at)
            end_column, at = _varint(data, at)
            line += delta
            position = (line, line + end, column - 1 if column else None,
                        end_column - 1 if end_column else None)
        elif kind == _NO_COLUMN:
            delta, at = _svarint(data, at)
            line += delta
            position = line, line, None, None
        elif kind >= _ONE_LINE:
            line += kind - _ONE_LINE
            position = line, line, data[at], data[at + 1]
            at += 2
        else:
            column = kind * 8 + ((data[at] >> 4) & 7)
            position = line, line, column, column + (data[at] & 15)
            at += 1
        yield start, at, length, position


def entries(code):
    """``[length, (line, end line, column, end column)]`` per entry of
    `code`'s table."""
    return [[length, position] for _, _, length, position
            in _read(code.co_linetable, code.co_firstlineno)]


def rewritten(code, move, firstlineno):
    """`code`'s table with each position made ``move(position)``, for
    the code starting at `firstlineno` now. An entry written the same
    way as before (lines count from the entry before: below a few lines
    added, most are) is copied. The entries are found by their first
    bytes and their positions read by ``co_positions`` (both in C)."""
    data, out = code.co_linetable, bytearray()
    starts = [match.start() for match in _ENTRY.finditer(data)]
    units = accumulate(((data[start] & 7) + 1 for start in starts),
                       initial=0)
    positions = list(code.co_positions())
    old_previous, previous = code.co_firstlineno, firstlineno
    for start, end, unit in zip(starts, starts[1:] + [len(data)], units):
        position = positions[unit]
        if position[0] is None:
            out += data[start:end]
            continue
        new = move(position)
        if new[0] - previous == position[0] - old_previous and \
                new[1] - new[0] == position[1] - position[0] and \
                new[2:] == position[2:]:
            out += data[start:end]
        else:
            write_entry(out, (data[start] & 7) + 1, new, previous)
        old_previous, previous = position[0], new[0]
    return bytes(out)


def _write_varint(out, value):
    while value >= 64:
        out.append(64 | (value & 63))
        value >>= 6
    out.append(value)


def _write_svarint(out, value):
    _write_varint(out, ((-value) << 1) | 1 if value < 0 else value << 1)


def write_entry(out, length, position, previous):
    """One entry, written the way the compiler writes it."""
    line, end, column, end_column = position
    head = 128 | (length - 1)
    if line is None:
        out.append(head | _NONE << 3)
        return
    delta = line - previous
    if column is None or end_column is None:
        if end == line:
            out.append(head | _NO_COLUMN << 3)
            _write_svarint(out, delta)
            return
    elif end == line:
        if delta == 0 and column < 80 and 0 <= end_column - column < 16:
            out += bytes((head | (column // 8) << 3,
                          (column % 8) << 4 | (end_column - column)))
            return
        if 0 <= delta < 3 and column < 128 and end_column < 128:
            out += bytes((head | (_ONE_LINE + delta) << 3, column,
                          end_column))
            return
    out.append(head | _LONG << 3)
    _write_svarint(out, delta)
    _write_varint(out, end - line)
    _write_varint(out, 0 if column is None else column + 1)
    _write_varint(out, 0 if end_column is None else end_column + 1)
