"""What a module's body does, read from its compiled bytecode (cheaper
than an AST, and the code object is needed anyway): the imports it runs
and the names it binds.

Imports count in the module body and in class bodies, under ``if`` and
``try`` too. Imports inside functions run later; counting them would only
invent cycles.
"""
import dis
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


def bound_names(code):
    """The names the module body binds, or None when ``import *`` makes
    that unknowable."""
    names = set()
    for instruction in dis.get_instructions(code):
        if instruction.opname in ('STORE_NAME', 'STORE_GLOBAL'):
            names.add(instruction.argval)
        elif 'IMPORT_STAR' in (instruction.opname, instruction.argrepr):
            return None
    return frozenset(names)


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
