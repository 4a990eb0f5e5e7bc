"""Read and write a code object's locations table (``co_linetable``).

The body of a module or a class records where each statement it runs
starts and ends, a ``def`` included: its end is where the function's
last line ends. So an edit of that line changes the body's table too,
though not its bytecode. `incremental` gives such a body its new
positions here, entry by entry (the entries and their lengths stay:
the bytecode is the same), written the way the compiler writes them
(Python 3.11's format, see CPython's ``Objects/locations.md``).
"""
import sys


READABLE = sys.version_info >= (3, 11)
_NONE, _LONG, _NO_COLUMN, _ONE_LINE = 15, 14, 13, 10


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


def entries(code):
    """``[length, (line, end line, column, end column)]`` per entry of
    `code`'s table; a part is None where the compiler gave none."""
    data, at, line, found = code.co_linetable, 0, code.co_firstlineno, []
    while at < len(data):
        first = data[at]
        kind, length = (first >> 3) & 15, (first & 7) + 1
        at += 1
        if kind == _NONE:
            found.append([length, (None, None, None, None)])
            continue
        if kind == _LONG:
            delta, at = _svarint(data, at)
            end, at = _varint(data, at)
            column, at = _varint(data, at)
            end_column, at = _varint(data, at)
            line += delta
            found.append([length, (line, line + end, column - 1 if column
                                   else None, end_column - 1 if end_column
                                   else None)])
        elif kind == _NO_COLUMN:
            delta, at = _svarint(data, at)
            line += delta
            found.append([length, (line, line, None, None)])
        elif kind >= _ONE_LINE:
            line += kind - _ONE_LINE
            found.append([length, (line, line, data[at], data[at + 1])])
            at += 2
        else:
            column = kind * 8 + ((data[at] >> 4) & 7)
            found.append([length, (line, line, column,
                                   column + (data[at] & 15))])
            at += 1
    return found


def _write_varint(out, value):
    while value >= 64:
        out.append(64 | (value & 63))
        value >>= 6
    out.append(value)


def _write_svarint(out, value):
    _write_varint(out, ((-value) << 1) | 1 if value < 0 else value << 1)


def table(found, firstlineno):
    """The ``co_linetable`` that holds the `found` entries."""
    out, previous = bytearray(), firstlineno
    for length, (line, end, column, end_column) in found:
        head = 128 | (length - 1)
        if line is None:
            out.append(head | _NONE << 3)
            continue
        delta = line - previous
        previous = line
        if column is None or end_column is None:
            if end == line:
                out.append(head | _NO_COLUMN << 3)
                _write_svarint(out, delta)
                continue
        elif end == line:
            if delta == 0 and column < 80 and \
                    0 <= end_column - column < 16:
                out += bytes((head | (column // 8) << 3,
                              (column % 8) << 4 | (end_column - column)))
                continue
            if 0 <= delta < 3 and column < 128 and end_column < 128:
                out += bytes((head | (_ONE_LINE + delta) << 3, column,
                              end_column))
                continue
        out.append(head | _LONG << 3)
        _write_svarint(out, delta)
        _write_varint(out, end - line)
        _write_varint(out, 0 if column is None else column + 1)
        _write_varint(out, 0 if end_column is None else end_column + 1)
    return bytes(out)
