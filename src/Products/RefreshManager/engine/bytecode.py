"""What a module's body does, read from its compiled bytecode (cheaper
than an AST, and the code object is needed anyway): the imports it runs
and the names it and its class bodies bind.

Imports count in the module body and in class bodies, under ``if`` and
``try`` too. Imports inside functions run later; counting them would only
invent cycles.
"""
import dis
import functools
import inspect
from types import CodeType


_CONSTANT_LOADS = ('LOAD_CONST', 'LOAD_SMALL_INT')


def _executed_code(code):
    """The code objects that run when the module body runs."""
    pending = [code]
    while pending:
        current = pending.pop()
        yield current
        pending += [const for const in current.co_consts
                    if isinstance(const, CodeType)
                    and not const.co_flags & inspect.CO_OPTIMIZED]


def executed_imports(code):
    """Yield ``(level, module, fromlist)`` for each import that runs."""
    for current in _executed_code(code):
        constants = [None, None]
        for instruction in dis.get_instructions(current):
            if instruction.opname in _CONSTANT_LOADS:
                constants = [constants[1], instruction.argval]
            elif instruction.opname == 'IMPORT_NAME':
                level, fromlist = constants
                yield level or 0, instruction.argval, fromlist


class Bindings:
    """The names one executed version of a module bound while it loaded:
    those of its body (None when ``import *`` makes them unknowable) and,
    by qualified name, those of each class body (read when first asked
    for: most refreshes remove no class member)."""

    def __init__(self, code):
        stored, star = _stores(code)
        self.code = code
        self.names = None if star else frozenset(name for name, _ in stored)

    @functools.cached_property
    def classes(self):
        classes = {}
        pending = [(self.code, '')]
        while pending:
            current, prefix = pending.pop()
            for const in current.co_consts:
                if isinstance(const, CodeType) and not (
                        const.co_flags & inspect.CO_OPTIMIZED):  # a class
                    qualname = prefix + const.co_name
                    stored, _ = _stores(const)
                    classes[qualname] = classes.get(qualname, frozenset()) | {
                        name for name, is_global in stored if not is_global}
                    pending.append((const, qualname + '.'))
        return classes


_STORES = frozenset(dis.opmap[name] for name in ('STORE_NAME', 'STORE_GLOBAL'))
_STORE_GLOBAL = dis.opmap['STORE_GLOBAL']
_EXTENDED_ARG = dis.opmap['EXTENDED_ARG']
_IMPORT_STAR = dis.opmap.get('IMPORT_STAR')  # until 3.11
_CALL_INTRINSIC_1 = dis.opmap.get('CALL_INTRINSIC_1')  # import * is 2


def _stores(code):
    """``(name, is_global)`` for each name `code` stores, and whether it
    runs ``import *``. Reads the raw instructions: `dis` is a hundred
    times slower, and this runs on every module a refresh executes."""
    raw, names = code.co_code, code.co_names
    found, star, extended = [], False, 0
    for op, arg in zip(raw[0::2], raw[1::2]):
        if op == _EXTENDED_ARG:
            extended = (extended | arg) << 8
            continue
        arg |= extended
        extended = 0
        if op in _STORES:
            found.append((names[arg], op == _STORE_GLOBAL))
        elif op == _IMPORT_STAR or (op == _CALL_INTRINSIC_1 and arg == 2):
            star = True
    return found, star


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
