"""Compile only the definitions whose bodies changed.

Compiling is nearly all of what a refresh of a big module costs, and
most edits change the body of a function or method or two. Then only
those definitions are compiled again, each on its own, and the module
code is rebuilt around them (see `relocate`): it is the code compiling
the whole file gives (the tests compare them on real modules), for the
price of compiling each changed definition twice.

Nothing is trusted that is not checked. A definition's lines are
compiled alone at their own line numbers, in a class of the same name
for a method, after a line importing the names the module imports (the
compiler reads attributes of imported names differently). The old text
compiled that way must give exactly the code object the module has,
and the old and new compiles must differ in that code object and the
definition's end only: an edit of a decorator, a default or a
signature, which the module body runs, compiles the whole file, as does
an edit of the module or a class body, lines added or removed in more
than one place, or a file in another encoding than UTF-8.
"""
import __future__
import dis
import re
from bisect import bisect_right
from itertools import compress
from itertools import count
from operator import ne

from .locations import READABLE
from .relocate import OPTIMIZED
from .relocate import Edit
from .relocate import bodies
from .relocate import end_moves
from .relocate import rebuilt


_FUTURE_FLAGS = 0
for _feature in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _feature).compiler_flag
_IMPORT_STORE = re.compile(b'[%s](%s*%s)' % (
    re.escape(bytes(sorted((dis.opmap['IMPORT_NAME'],
                            dis.opmap['IMPORT_FROM'])))),
    re.escape(bytes([dis.opmap['EXTENDED_ARG']])),
    re.escape(bytes([dis.opmap['STORE_NAME']]))))
_CODING = re.compile(rb'^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)',
                     re.MULTILINE)
_UTF8 = (b'utf-8', b'utf8', b'utf_8')
_AT_MOST = 8  # definitions compiled twice each: beyond, the whole file

_LAST = {}  # path -> (source, its module code): what an edit is read from


def compile_source(data, path):
    """The module code of the source `data` of the file at `path`."""
    last = _LAST.get(path)
    code = None if last is None else _recompiled(last, data, path)
    if code is None:
        code = compile(data, path, 'exec', dont_inherit=True)
    _LAST[path] = (data, code)
    return code


def _common(old, new):
    """How many items two lists share from their start, found by halving
    (list comparison runs at C speed)."""
    low, high = 0, min(len(old), len(new))
    while low < high:
        middle = (low + high + 1) // 2
        if old[:middle] == new[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _edit(old, new):
    """``(changed old line numbers, Edit)`` of two texts: with as many
    lines, each line that differs; otherwise the one stretch of lines
    between their common start and end, which moves what follows."""
    old_lines, new_lines = old.split(b'\n'), new.split(b'\n')
    if len(old_lines) == len(new_lines):
        lines = list(compress(count(1), map(ne, old_lines, new_lines)))
        return lines, Edit(after=lines[-1])
    start = _common(old_lines, new_lines)
    end = min(_common(old_lines[::-1], new_lines[::-1]),
              min(len(old_lines), len(new_lines)) - start)
    old_end = len(old_lines) - end  # the stretch: start + 1 to old_end
    # Lines added between two lines: both must be in the definition.
    lines = [start, start + 1] if old_end == start else [start + 1, old_end]
    return lines, Edit(after=old_end, delta=len(new_lines) - len(old_lines))


def _in_utf8(data):
    """Whether `data` is read as UTF-8 (as its lines alone would be)."""
    head = data[:data.find(b'\n', data.find(b'\n') + 1) % (len(data) + 1)]
    cookie = _CODING.search(head)
    return cookie is None or cookie.group(1).lower() in _UTF8


def _definitions(module_code):
    """``(function code, class body or None)`` of each function the
    module body or one of its class bodies defines directly."""
    for const in module_code.co_consts:
        if not hasattr(const, 'co_flags'):
            continue
        if const.co_flags & OPTIMIZED:
            yield const, None
            continue
        for member in const.co_consts:  # a class body
            if hasattr(member, 'co_flags') and member.co_flags & OPTIMIZED:
                yield member, const


def _last_line(code):
    return max(end or 0 for _, end, _, _ in code.co_positions())


def _enclosing(module_code, lines):
    """The definitions whose lines hold the `lines`, or None when one
    of them lies outside every definition."""
    found = sorted((function.co_firstlineno, index, function, klass)
                   for index, (function, klass)
                   in enumerate(_definitions(module_code)))
    firsts = [first for first, _, _, _ in found]
    enclosing = {}
    for line in lines:
        at = bisect_right(firsts, line) - 1
        if at < 0:
            return None
        _, _, function, klass = found[at]
        if line > _last_line(function):
            return None
        enclosing[id(function)] = function, klass
    return list(enclosing.values())


def _imported(module_code):
    """The names the module body binds by an import."""
    raw = module_code.co_code
    ops, args = raw[0::2], raw[1::2]
    return sorted({module_code.co_names[int.from_bytes(
        args[match.start(1):match.end()], 'big')]
        for match in _IMPORT_STORE.finditer(ops)})


def _snippet(data, first, last, klass, imported):
    """Lines `first` to `last` of `data` alone, at their line numbers,
    in a class named like `klass` (a class body) if given, after a line
    importing the `imported` names."""
    head = [] if klass is None else [b'class %s:' % klass.co_name.encode()]
    if imported:
        head.insert(0, b'import ' + b', '.join(
            name.encode() for name in imported))
    if first <= len(head):
        return None
    lines = data.split(b'\n')[first - 1:last]
    return b'\n' * (first - 1 - len(head)) + b'\n'.join(head + lines) + \
        b'\n'


def _qualname(code):
    return getattr(code, 'co_qualname', None)  # Python 3.11+


def _defined(snippet_code, name):
    for function, _ in _definitions(snippet_code):
        if function.co_name == name:
            return function
    return None


def _recompiled_definition(old_data, data, path, function, klass, flags,
                           imported, delta):
    """The new code of the definition `function` and how the ends of
    the statements it closes moved; None when it takes more."""
    first, last = function.co_firstlineno, _last_line(function)
    try:
        before, after = (
            compile(_snippet(text, first, end, klass, imported), path,
                    'exec', flags=flags, dont_inherit=True)
            for text, end in ((old_data, last), (data, last + delta)))
    except (SyntaxError, ValueError, TypeError):
        return None  # the whole file tells where, if it is wrong
    old, new = _defined(before, function.co_name), \
        _defined(after, function.co_name)
    if old != function or new is None or \
            _qualname(old) != _qualname(function):  # not compared by ==
        return None
    moves = end_moves(before, after) if READABLE else {}
    if moves is None or moves and not READABLE:
        return None
    check = Edit(after=last, delta=delta, new={id(old): new}, moves=moves,
                 bodies={id(body) for body in bodies(before)})
    if rebuilt(before, check) != after:
        return None
    return new, moves


def _recompiled(last, data, path):
    old_data, module_code = last
    if data == old_data:
        return module_code
    if not _in_utf8(data):
        return None
    lines, edit = _edit(old_data, data)
    if edit.delta and not READABLE:
        return None
    definitions = _enclosing(module_code, lines)
    if definitions is None or len(definitions) > _AT_MOST or \
            edit.delta and len(definitions) > 1:
        return None
    flags = module_code.co_flags & _FUTURE_FLAGS
    imported = _imported(module_code)
    for function, klass in definitions:
        found = _recompiled_definition(old_data, data, path, function, klass,
                                       flags, imported, edit.delta)
        if found is None:
            return None
        edit.new[id(function)] = found[0]
        edit.moves.update(found[1])
        if klass is not None:
            edit.bodies.add(id(klass))
    try:
        return rebuilt(module_code, edit)
    except ValueError:
        return None
