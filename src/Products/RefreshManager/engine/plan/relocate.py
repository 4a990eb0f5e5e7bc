"""Put new definitions into a module's code, and the lines after an
edit where they now are.

The module code is rebuilt, not compiled: the changed definitions' new
code objects take the old ones' places among the constants (in the
module body or a class body); every code object that starts below the
edit moves as many lines as the edit added or removed (its table counts
from its first line: changing that moves it all); and the bodies that
hold the edit get their positions rewritten (see `locations`): below
the edit, moved; a statement that ended where the edited definition
ended (the ``def``, the ``class`` around it) ends where it ends now.

Since 3.13 a class body also stores its first line as ``__firstlineno__``
(`inspect.getsource` reads it): a moved class body gets that number
rewritten too, or, where the compiler would have laid its constants out
otherwise, the edit is given up (`NotExact`) and the whole file compiles.
"""
import dis
from bisect import bisect_left
from dataclasses import dataclass
from dataclasses import field
from types import CodeType

from ..read.locations import entries
from ..read.locations import rewritten


OPTIMIZED = 0x0001  # CO_OPTIMIZED: a function's code, not a body's
_FIRSTLINENO = '__firstlineno__'
_EXTENDED_ARG = dis.opmap['EXTENDED_ARG']
_LOAD_CONST = dis.opmap['LOAD_CONST']
_LOAD_SMALL_INT = dis.opmap.get('LOAD_SMALL_INT')  # 3.14: ints 0-255
_STORE_NAME = dis.opmap['STORE_NAME']


class NotExact(Exception):
    """Rebuilding would not give the compiler's code: compile it all."""


@dataclass
class Edit:
    # (line, lines moved below it), by line: each edited definition's
    # last line and how far everything below it moved, all edits above
    # it counted
    shifts: list = field(default_factory=list)
    new: dict = field(default_factory=dict)  # id(old code) -> new code
    bodies: set = field(default_factory=set)  # ids of class bodies edited
    # (end line, end column) -> (new end line, new end column)
    moves: dict = field(default_factory=dict)

    def moved(self, line):
        """Where the old line `line` is now."""
        at = bisect_left(self.shifts, (line,)) - 1
        return line if at < 0 else line + self.shifts[at][1]


def bodies(code):
    """`code` (a module or class body) and the class bodies within."""
    yield code
    for const in code.co_consts:
        if isinstance(const, CodeType) and not const.co_flags & OPTIMIZED:
            yield from bodies(const)


def end_moves(before, after):
    """How the ends of statements moved between two compiles of one
    definition's lines (their bodies: a module's, a class's), or None
    when anything else about their positions differs."""
    moves = {}
    for old_body, new_body in zip(bodies(before), bodies(after)):
        old_entries, new_entries = entries(old_body), entries(new_body)
        if len(old_entries) != len(new_entries):
            return None
        for (length, old), (new_length, new) in zip(old_entries,
                                                     new_entries):
            if length != new_length or old[0] != new[0] or \
                    old[2] != new[2]:
                return None
            end, new_end = (old[1], old[3]), (new[1], new[3])
            if end != new_end and moves.setdefault(end, new_end) != new_end:
                return None
    return moves


def _store_of(raw, name):
    """The offset of the first ``STORE_NAME name`` in the bytecode `raw`,
    or -1."""
    wanted, at = bytes((_STORE_NAME, name)), -1
    while True:
        at = raw.find(wanted, at + 1)
        if at < 0 or at % 2 == 0:
            return at


def _first_line_stored(code, consts, first):
    """The parts of the class body `code` (with the constants `consts`)
    that store `first` as ``__firstlineno__``, as the compiler writes
    them: the constant, or 3.14's small-int argument."""
    raw, name = code.co_code, code.co_names.index(_FIRSTLINENO)
    at = _store_of(raw, name) if name < 256 else -1
    if at < 2 or raw[at - 4:at - 3] == bytes((_EXTENDED_ARG,)):
        raise NotExact(code.co_qualname)
    op, arg = raw[at - 2], raw[at - 1]
    small = _LOAD_SMALL_INT is not None and 0 <= first < 256
    if op == _LOAD_SMALL_INT and small:
        return {'co_code': raw[:at - 1] + bytes((first,)) + raw[at:]}
    ops, args = raw[0::2], raw[1::2]
    shared = sum(1 for load, value in zip(ops, args)
                 if load == _LOAD_CONST and value == arg) != 1
    if op != _LOAD_CONST or small or shared or any(
            type(const) is int and const == first for const in consts):
        raise NotExact(code.co_qualname)
    return {'co_consts': consts[:arg] + (first,) + consts[arg + 1:]}


def _moved_to(code, first, **parts):
    """`code` with `parts` replaced, starting on line `first`; a class
    body's ``__firstlineno__`` moved with it."""
    if first != code.co_firstlineno and _FIRSTLINENO in code.co_names \
            and not code.co_flags & OPTIMIZED \
            and code.co_name != '<module>':
        parts.update(_first_line_stored(
            code, parts.get('co_consts', code.co_consts), first))
    return code.replace(co_firstlineno=first, **parts)


def shifted(code, delta):
    """`code` and all within it, `delta` lines further down."""
    first = code.co_firstlineno + delta
    if CodeType not in map(type, code.co_consts):  # most: looked at in C
        return _moved_to(code, first)
    return _moved_to(code, first, co_consts=tuple(
        shifted(const, delta) if type(const) is CodeType else const
        for const in code.co_consts))


def _const(const, edit):
    if not isinstance(const, CodeType):
        return const
    new = edit.new.get(id(const))
    if new is not None:
        return new
    if id(const) in edit.bodies:
        return rebuilt(const, edit)
    delta = edit.moved(const.co_firstlineno) - const.co_firstlineno
    return shifted(const, delta) if delta else const


def _mover(edit):
    """Where a position is now. Called for every entry of a body's
    table: below every edit, where most of them are, it is one test."""
    moves = edit.moves
    last, total = edit.shifts[-1] if edit.shifts else (0, 0)

    def move(position):
        line, end, column, end_column = position
        moved = moves.get((end, end_column))
        if line > last:
            line += total
            end = end + total if moved is None else moved[0]
        else:
            line = edit.moved(line)
            end = edit.moved(end) if moved is None else moved[0]
        return line, end, column, (end_column if moved is None
                                   else moved[1])
    return move


def rebuilt(code, edit):
    """The body `code` (a module's, or a class's in `edit.bodies`) as
    compiling its edited source would make it."""
    # Constants above every edit that were not edited stay: one test.
    still = edit.shifts[0][0] if edit.shifts else float('inf')
    touched = edit.new.keys() | edit.bodies
    consts = tuple(
        const if type(const) is not CodeType or id(const) not in touched
        and const.co_firstlineno <= still else _const(const, edit)
        for const in code.co_consts)
    if not edit.moves and not edit.shifts:
        return code.replace(co_consts=consts)
    first = edit.moved(code.co_firstlineno)
    return _moved_to(code, first, co_consts=consts,
                    co_linetable=rewritten(code, _mover(edit), first))
