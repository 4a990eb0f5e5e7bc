"""Compile only the definitions whose bodies changed.

Compiling is nearly all of what a refresh of a big module costs, and
most edits change the body of a function or method or two. Then only
those definitions are compiled again, each on its own, and the module
code is rebuilt around them, what follows them moved by the lines they
gained or lost (see `relocate`): it is the code compiling the whole
file gives (the tests compare them on real modules), for the price of
compiling each changed definition twice.

Nothing is trusted that is not checked. A definition's lines are
compiled alone at their own line numbers, in a class of the same name
for a method, after a line importing the names the module imports (the
compiler reads attributes of imported names differently). The old text
compiled that way must give exactly the code object the module has,
and the old and new compiles must differ in that code object and the
definition's end only: an edit of a decorator, a default or an
annotation, which the module body runs, compiles the whole file, as
does an edit of the module or a class body, of more than `_AT_MOST`
definitions, or of a file in another encoding than UTF-8.
"""
import __future__
import dis
import re
from itertools import compress
from itertools import count
from itertools import islice
from operator import ne
from types import CodeType

from ..read import versions
from .relocate import OPTIMIZED
from .relocate import Edit
from .relocate import NotExact
from .relocate import bodies
from .relocate import end_moves
from .relocate import rebuilt
from .relocate import shifted


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
# Below this many bytes, compiling the file costs less than checking a
# definition compiled alone (measured: 5 functions, 229 bytes: 45 µs
# against 51; 10 functions and a class, 954 bytes: 160 against 136).
_SMALL = 1024

_LAST = {}  # path -> (source, its module code): what an edit is read from


def compile_source(data, path):
    """The module code of the source `data` of the file at `path`."""
    last = _LAST.get(path)
    code = None if last is None else _recompiled(last, data, path)
    if code is None:
        code = compile(data, path, 'exec', dont_inherit=True)
    _LAST[path] = (data, code)
    return code


def _common(old, new, old_at, new_at):
    """How many lines two lists share from `old_at` and `new_at` on
    (compared in C, each line once over the whole walk)."""
    differ = compress(count(), map(ne, islice(old, old_at, None),
                                   islice(new, new_at, None)))
    return next(differ, min(len(old) - old_at, len(new) - new_at))


def _found_after(lines, wanted, start):
    """The index from `start` on where `lines` go on as `wanted`."""
    if not wanted:
        return None
    at = start
    while True:
        try:
            at = lines.index(wanted[-1], at + len(wanted) - 1)
        except ValueError:
            return None
        begin = at - len(wanted) + 1
        if lines[begin:at + 1] == wanted:
            return begin
        at += 1


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


def _latest(codes, line):
    """The code object among `codes` that starts last at or above
    `line`, or None, also when two start on that line. (3.14's lazy
    annotations are code objects of their own on their owner's first
    line; an edit of them shows in the compiles `_recompiled_definition`
    compares.)"""
    found, first, twice = None, 0, False
    for code in codes:
        if type(code) is CodeType and first <= code.co_firstlineno <= line \
                and code.co_name != '__annotate__':
            twice = found is not None and code.co_firstlineno == first
            found, first = code, code.co_firstlineno
    return None if twice else found


def _holding(module_code, line):
    """``(first, last, function, class body or None, next first line)``
    of the definition whose lines hold `line` (a function of the module
    body or of one of its class bodies), or None."""
    found = _latest(module_code.co_consts, line)
    klass = None
    if found is not None and not found.co_flags & OPTIMIZED:
        klass, found = found, _latest(found.co_consts, line)
    last = None if found is None or not found.co_flags & OPTIMIZED \
        else _last_line(found)
    if last is None or line > last:
        return None
    following = [code.co_firstlineno for code in (klass or module_code)
                 .co_consts if type(code) is CodeType
                 and code.co_firstlineno > found.co_firstlineno]
    if klass is not None:  # what follows the class, if nothing in it
        following += [code.co_firstlineno for code in module_code.co_consts
                      if type(code) is CodeType
                      and code.co_firstlineno > klass.co_firstlineno]
    return found.co_firstlineno, last, found, klass, \
        min(following, default=None)


def _changes(old_lines, new_lines, module_code):
    """``(first, last, function, class body, lines moved above it, its
    new lines)`` of each definition the edit changed, found by walking
    both texts: from where they differ, in the definition holding that
    line, to where the lines after it (up to the next definition's first
    line) come again. None when a change lies outside of definitions."""
    changes, old_at, new_at = [], 0, 0
    while True:
        same = _common(old_lines, new_lines, old_at, new_at)
        old_at, new_at = old_at + same, new_at + same
        if old_at == len(old_lines) and new_at == len(new_lines):
            return changes
        # In a definition, or right after one: lines added at its end.
        found = _holding(module_code, old_at + 1) or \
            _holding(module_code, old_at)
        if found is None or len(changes) == _AT_MOST:
            return None
        first, last, function, klass, following = found
        after = old_lines[last:following] if following else \
            old_lines[last:]
        offset = new_at - old_at
        if following:
            end = _found_after(new_lines, after, new_at)
        else:
            end = len(new_lines) - len(after)
            if end < new_at or new_lines[end:] != after:
                end = None
        if end is None:
            return None
        changes.append((first, last, function, klass, offset,
                        new_lines[first - 1 + offset:end]))
        old_at, new_at = last, end


def _imported(module_code):
    """The names the module body binds by an import."""
    raw = module_code.co_code
    ops, args = raw[0::2], raw[1::2]
    return sorted({module_code.co_names[int.from_bytes(
        args[match.start(1):match.end()], 'big')]
        for match in _IMPORT_STORE.finditer(ops)})


def _snippet(lines, first, klass, imported):
    """The `lines` alone, from line `first` on, in a class named like
    `klass` (a class body) if given, after a line importing the
    `imported` names."""
    head = [] if klass is None else [b'class %s:' % klass.co_name.encode()]
    if imported:
        head.insert(0, b'import ' + b', '.join(
            name.encode() for name in imported))
    if first <= len(head):
        return None
    return b'\n' * (first - 1 - len(head)) + b'\n'.join(head + lines) + \
        b'\n'


def _defined(snippet_code, name):
    for function, _ in _definitions(snippet_code):
        if function.co_name == name:
            return function
    return None


def _recompiled_definition(path, change, old_lines, flags, imported):
    """The new code of a changed definition, at its line number, and how
    the ends of the statements it closes moved (to where they are now);
    None when it takes more."""
    first, last, function, klass, offset, lines = change
    try:
        before, after = (
            compile(_snippet(text, first, klass, imported), path, 'exec',
                    flags=flags, dont_inherit=True)
            for text in (old_lines[first - 1:last], lines))
    except (SyntaxError, ValueError, TypeError):
        return None  # the whole file tells where, if it is wrong
    old, new = _defined(before, function.co_name), \
        _defined(after, function.co_name)
    if old != function or new is None or \
            old.co_qualname != function.co_qualname:  # not compared by ==
        return None
    moves = end_moves(before, after)
    delta = len(lines) - (last - first + 1)
    if moves is None:
        return None
    check = Edit(shifts=[(last, delta)] if delta else [], moves=moves,
                 new={id(old): new}, bodies={id(b) for b in bodies(before)})
    if rebuilt(before, check) != after:
        return None
    return shifted(new, offset) if offset else new, {
        end: (line + offset, column) for end, (line, column) in moves.items()}


def _recompiled(last, data, path):
    old_data, module_code = last
    if data == old_data:
        return module_code
    if not versions.POSITIONS or len(data) < _SMALL or not _in_utf8(data):
        return None  # (3.10 has neither positions nor qualified names)
    old_lines = old_data.split(b'\n')
    changes = _changes(old_lines, data.split(b'\n'), module_code)
    if not changes:
        return None
    try:
        return _rebuilt(module_code, changes, path, old_lines)
    except NotExact:
        return None


def _rebuilt(module_code, changes, path, old_lines):
    flags = module_code.co_flags & _FUTURE_FLAGS
    imported = _imported(module_code)
    edit = Edit()
    for change in changes:
        found = _recompiled_definition(path, change, old_lines, flags,
                                       imported)
        if found is None:
            return None
        first, last, function, klass, offset, lines = change
        edit.new[id(function)] = found[0]
        edit.moves.update(found[1])
        if klass is not None:
            edit.bodies.add(id(klass))
        delta = offset + len(lines) - (last - first + 1)
        if delta != (edit.shifts[-1][1] if edit.shifts else 0):
            edit.shifts.append((last, delta))
    return rebuilt(module_code, edit)
