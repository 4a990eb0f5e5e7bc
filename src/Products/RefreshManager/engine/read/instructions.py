"""A code object's instructions as one instruction set on every version.

Each Python renames or combines the instructions a reader of loads and
stores looks for: 3.12 folds ``LOAD_METHOD`` into ``LOAD_ATTR``, 3.13
combines two loads or stores into one instruction (``LOAD_FAST_LOAD_FAST``),
3.14 borrows (``LOAD_FAST_BORROW``) and loads small ints by argument. Read
through `plain`, they are the plain instructions they stand for, so what
reads them (`patches`) names no version's instructions, and a version
that adds another combined form fails a test here, not a patch silently.

`dis` decodes them: this runs only for the few modules a cheaper search
could not clear.
"""
import dis
from collections import namedtuple


Op = namedtuple('Op', 'name arg line')

_COMBINED = {  # one instruction for two (3.13+): its argval is a pair
    'LOAD_FAST_LOAD_FAST': ('LOAD_FAST', 'LOAD_FAST'),
    'LOAD_FAST_BORROW_LOAD_FAST_BORROW': ('LOAD_FAST', 'LOAD_FAST'),
    'STORE_FAST_LOAD_FAST': ('STORE_FAST', 'LOAD_FAST'),
    'STORE_FAST_STORE_FAST': ('STORE_FAST', 'STORE_FAST'),
}
_RENAMED = {
    'LOAD_FAST_BORROW': 'LOAD_FAST',  # 3.14
    'LOAD_FAST_CHECK': 'LOAD_FAST',  # 3.12
    'LOAD_FAST_AND_CLEAR': 'LOAD_FAST',  # 3.12: inlined comprehensions
    'LOAD_CLASSDEREF': 'LOAD_DEREF',  # until 3.11
    'LOAD_FROM_DICT_OR_DEREF': 'LOAD_DEREF',  # 3.12+: class bodies
    'LOAD_FROM_DICT_OR_GLOBALS': 'LOAD_NAME',  # 3.12+: class bodies
    'LOAD_METHOD': 'LOAD_ATTR',  # until 3.11
    'LOAD_SMALL_INT': 'LOAD_CONST',  # 3.14
    'ROT_TWO': 'SWAP',  # until 3.10
    'DUP_TOP': 'COPY',  # until 3.10
}
NAME_LOADS = frozenset(('LOAD_NAME', 'LOAD_GLOBAL', 'LOAD_FAST',
                        'LOAD_DEREF'))
NAME_STORES = frozenset(('STORE_NAME', 'STORE_GLOBAL', 'STORE_FAST',
                         'STORE_DEREF'))
# What ends an expression statement or an assignment: a call's
# arguments are loaded before it.
STATEMENT_ENDS = NAME_STORES | {'POP_TOP', 'RETURN_VALUE', 'RETURN_CONST'}


def _line(instruction, last):
    line = getattr(instruction, 'line_number', None)  # Python 3.13+
    if line is None and not isinstance(instruction.starts_line, bool):
        line = instruction.starts_line
    return line or last


def plain(code):
    """`code`'s own instructions as `Op` (plain name, argval, line),
    ``EXTENDED_ARG`` prefixes left out."""
    ops, line = [], code.co_firstlineno
    for instruction in dis.get_instructions(code):
        line = _line(instruction, line)
        name = instruction.opname
        if name == 'EXTENDED_ARG':  # its argument is in the next one's
            continue
        combined = _COMBINED.get(name)
        if combined is None:
            ops.append(Op(_RENAMED.get(name, name), instruction.argval, line))
        else:
            first, second = instruction.argval
            ops += [Op(combined[0], first, line), Op(combined[1], second,
                                                      line)]
    return ops


def chain(ops, end):
    """``(name, [attributes])`` of the dotted expression whose last load
    is ``ops[end]``, or None when it is something else."""
    attrs = []
    while end >= 0 and ops[end].name == 'LOAD_ATTR':
        attrs.append(ops[end].arg)
        end -= 1
    if end < 0 or ops[end].name not in NAME_LOADS:
        return None
    return ops[end].arg, attrs[::-1]


def store_target(ops, index):
    """The chain the ``STORE_ATTR`` at `index` stores into; an augmented
    assignment (``obj.x += 1``) loads it, copies it and swaps first."""
    before = index - 1
    if ops[before].name == 'SWAP':
        for back in range(before - 1, -1, -1):
            if ops[back].name == 'COPY':
                return chain(ops, back - 1)
        return None
    return chain(ops, before)


def dotted(found):
    name, attrs = found
    return '.'.join([name, *attrs])
