"""What a module's body does, read from its compiled bytecode (cheaper
than an AST, and the code object is needed anyway): the imports it runs
and the names it and its class bodies bind.

Imports count in the module body and in class bodies, under ``if`` and
``try`` too. Imports inside functions run later; counting them would only
invent cycles.

A refresh needs both for every module it executes, so one scan of the
raw instructions finds both, and it is kept for as long as its code
object lives: the planner and the in-place update share it. The scan
searches the opcode bytes with a regular expression (in C) for the few
instructions it needs, instead of decoding every instruction: `dis` is a
hundred times slower than the compile it would follow. That search reads
one version's opcodes; on a version CI has not proven (`versions`), the
instructions are decoded instead.
"""
import dis
import inspect
import re
import weakref
from types import CodeType

from . import versions
from .instructions import plain


def _opcode(name):
    return dis.opmap.get(name)


_EXTENDED_ARG = _opcode('EXTENDED_ARG')
_STORE_NAME = _opcode('STORE_NAME')
_STORE_GLOBAL = _opcode('STORE_GLOBAL')
_IMPORT_NAME = _opcode('IMPORT_NAME')
_IMPORT_STAR = _opcode('IMPORT_STAR')  # until 3.11
_CALL_INTRINSIC_1 = _opcode('CALL_INTRINSIC_1')  # 3.12: import * is 2
_INTRINSIC_IMPORT_STAR = 2
_LOAD_CONST = _opcode('LOAD_CONST')
_LOAD_SMALL_INT = _opcode('LOAD_SMALL_INT')  # 3.14
_IMPORT_NAME_BYTE = bytes([_IMPORT_NAME])
# The instructions a scan needs, with their EXTENDED_ARG prefixes.
_WANTED = re.compile(b'%s*[%s]' % (
    re.escape(bytes([_EXTENDED_ARG])),
    re.escape(bytes(sorted(
        op for op in (_STORE_NAME, _STORE_GLOBAL, _IMPORT_NAME,
                      _IMPORT_STAR, _CALL_INTRINSIC_1) if op is not None)))))


def _constant(code, ops, args, end):
    """The constant loaded by the instruction that ends at `end` (None
    if it loads none), and the index of its first ``EXTENDED_ARG``
    prefix. (Inline caches are zeros in ``co_code``: never a prefix.)"""
    if end < 0:
        return None, end
    start = end
    while start and ops[start - 1] == _EXTENDED_ARG:
        start -= 1
    arg = int.from_bytes(args[start:end + 1], 'big')
    if ops[end] == _LOAD_CONST:
        return code.co_consts[arg], start
    if ops[end] == _LOAD_SMALL_INT:
        return arg, start
    return None, start


class _Body:
    """The instructions one body (the module's or a class's) runs that
    matter here: what it stores, which imports it runs (``(level,
    module, fromlist)``, as the compiler loads them right before each
    ``IMPORT_NAME``), whether it runs ``import *``."""

    __slots__ = ('stores', 'imports', 'star')

    def __init__(self, code):
        self.stores, self.imports, self.star = [], [], False
        if versions.RAW_OPCODES:
            self._search(code)
        else:
            self._decode(code)

    def _search(self, code):
        raw = code.co_code
        ops, args, names = raw[0::2], raw[1::2], code.co_names
        for match in _WANTED.finditer(ops):
            start, end = match.span()
            op = ops[end - 1]
            arg = args[start] if end - start == 1 else int.from_bytes(
                args[start:end], 'big')
            if op == _STORE_NAME or op == _STORE_GLOBAL:
                self.stores.append((names[arg], op == _STORE_GLOBAL))
            elif op == _IMPORT_NAME:
                fromlist, start = _constant(code, ops, args, start - 1)
                level, _ = _constant(code, ops, args, start - 1)
                self.imports.append((level or 0, names[arg], fromlist))
            elif op == _IMPORT_STAR or (
                    op == _CALL_INTRINSIC_1 and arg == _INTRINSIC_IMPORT_STAR):
                self.star = True

    def _decode(self, code):
        ops = plain(code)
        for index, op in enumerate(ops):
            if op.name in ('STORE_NAME', 'STORE_GLOBAL'):
                self.stores.append((op.arg, op.name == 'STORE_GLOBAL'))
            elif op.name == 'IMPORT_NAME':
                fromlist, level = (
                    ops[at].arg if ops[at].name == 'LOAD_CONST' else None
                    for at in (index - 1, index - 2))
                self.imports.append((level or 0, op.arg, fromlist))
            elif op.name == 'IMPORT_STAR' or (
                    op.name == 'CALL_INTRINSIC_1'
                    and op.arg == _INTRINSIC_IMPORT_STAR):
                self.star = True


def _class_bodies(code, prefix=''):
    """``(qualname, code)`` of each class body the module code `code`
    runs, nested classes too, in the order of the source."""
    for const in code.co_consts:
        if isinstance(const, CodeType) and not (
                const.co_flags & inspect.CO_OPTIMIZED):
            qualname = prefix + const.co_name
            yield qualname, const
            yield from _class_bodies(const, qualname + '.')


class _Scan:
    """What a module's code does when it runs: its body's stores, and
    the imports of its body and class bodies (a class body is scanned
    only if it has an ``IMPORT_NAME`` at all, which a search of its
    opcode bytes tells). Holds no code object, so it can be cached for
    the code's lifetime."""

    __slots__ = ('module', 'imports')

    def __init__(self, code):
        self.module = _Body(code)
        self.imports = list(self.module.imports)
        for _, body in _class_bodies(code):
            if not versions.RAW_OPCODES or \
                    _IMPORT_NAME_BYTE in body.co_code[0::2]:
                self.imports += _Body(body).imports


_SCANS = {}  # id(code object) -> its _Scan, while the code object lives


def all_code(code):
    """`code` and every code object nested in it, functions included."""
    pending = [code]
    while pending:
        current = pending.pop()
        yield current
        pending += [c for c in current.co_consts if isinstance(c, CodeType)]


def scan(code):
    """The `_Scan` of the module code `code`, made once per code object."""
    key = id(code)
    found = _SCANS.get(key)
    if found is None:
        found = _SCANS[key] = _Scan(code)
        weakref.finalize(code, _SCANS.pop, key, None)
    return found


def executed_imports(code):
    """``(level, module, fromlist)`` for each import that runs."""
    return scan(code).imports


class Bindings:
    """The names one executed version of a module bound while it loaded:
    those of its body (None when ``import *`` makes them unknowable) and,
    by qualified name, those of each class body."""

    __slots__ = ('names', 'code', '_classes')

    def __init__(self, code):
        body = scan(code).module
        self.code = code
        self.names = None if body.star else frozenset(
            name for name, _ in body.stores)
        self._classes = None

    @property
    def classes(self):
        """Read when first asked for: most refreshes remove no class
        member."""
        if self._classes is None:
            classes = {}
            for qualname, body in _class_bodies(self.code):
                classes[qualname] = classes.get(qualname, frozenset()) | {
                    name for name, is_global in _Body(body).stores
                    if not is_global}
            self._classes = classes
        return self._classes


def absolute_target(level, module, name, is_package):
    """The module an import names, with relative levels resolved."""
    if not level:
        return module
    base = name if is_package else name.rpartition('.')[0]
    for _ in range(level - 1):
        base = base.rpartition('.')[0]
    return f'{base}.{module}' if module else base


def _innermost(dotted, candidates):
    """The longest prefix of `dotted` among `candidates`, or None."""
    while dotted:
        if dotted in candidates:
            return dotted
        dotted = dotted.rpartition('.')[0]
    return None


def import_targets(code, name, is_package):
    """The absolute dotted names the module `name` imports, as far as
    they can be told apart: ``from p import m`` gives ``p.m`` (which may
    be a submodule or a name in ``p``)."""
    found = set()
    for level, module, fromlist in executed_imports(code):
        base = absolute_target(level, module, name, is_package)
        names = [attr for attr in fromlist or () if attr != '*']
        if names:
            found.update(f'{base}.{attr}' for attr in names)
        else:
            found.add(base)
    return frozenset(found)


def dependencies(targets, name, candidates):
    """The members of `candidates` that import `targets` name: a target
    counts as the innermost candidate it lies in (``p.m`` is the
    submodule ``p.m`` when that is a candidate, else ``p``)."""
    found = {_innermost(target, candidates) for target in targets}
    found.discard(None)
    found.discard(name)
    return found
