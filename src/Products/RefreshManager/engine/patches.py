"""Import-time monkey patches: modules whose top level changes objects of
other modules.

Running such a module again patches twice: Products.CMFPlone's
``patches/gtbn.py`` saves ``getToolByName``'s code as the "original" and
installs its own; run again, the saved original is the patched code,
which then calls itself forever. So a refresh does not run a patch
module's top level again; it only gives the module's functions (and its
classes' methods) their new bodies, which the installed patches already
call. A module whose top level is safe to run again says so with
``__refresh_run_again__ = True``.

A patch is read from the bytecode: a store into an attribute of an
object loaded from a name bound by an import (``utils.f.__code__ = …``,
``Class.method = …``), a store into an item of such an object's
``__globals__`` or ``__dict__``, or a call of a function of the same
package that does one of those (``csrf.applyPatches()``).

Decoding instructions with `dis` costs more than compiling the module,
and nearly every module patches nothing. So a search of the raw opcode
bytes (in C) comes first (`_may_patch`): a module can patch only if its
body stores into an attribute or an item, or loads a name that leads,
through attributes its body names, to a function of the package that
does. Only then are its instructions decoded.
"""
import dis
import inspect
import re
import sys
import types


OPT_IN = '__refresh_run_again__'
_IMPORTS = ('IMPORT_NAME', 'IMPORT_FROM')
_NAME_LOADS = ('LOAD_NAME', 'LOAD_GLOBAL', 'LOAD_FAST', 'LOAD_DEREF')
_ATTR_LOADS = ('LOAD_ATTR', 'LOAD_METHOD')
_NAME_STORES = ('STORE_NAME', 'STORE_GLOBAL', 'STORE_FAST')
_NAMESPACES = ('__globals__', '__dict__')


def _opcodes(*names):
    """A search of opcode bytes for any of the instructions `names`."""
    found = sorted(dis.opmap[name] for name in names
                   if dis.opmap.get(name, 256) < 256)  # not pseudo
    return re.compile(b'[%s]' % re.escape(bytes(found)))


_OBJECT_STORE = _opcodes('STORE_ATTR', 'STORE_SUBSCR')
_ATTR_LOAD = _opcodes(*_ATTR_LOADS)
_NAME_LOAD = re.compile(b'%s*%s' % (
    re.escape(bytes([dis.opmap['EXTENDED_ARG']])),
    _opcodes('LOAD_NAME', 'LOAD_GLOBAL').pattern))
_LOAD_GLOBAL = dis.opmap['LOAD_GLOBAL']
_GLOBAL_SHIFT = 1 if sys.version_info >= (3, 11) else 0  # low bit: NULL


def _stores_into_objects(code):
    return _OBJECT_STORE.search(code.co_code[0::2]) is not None


def _loaded_names(code):
    """The names `code`'s own instructions load by ``LOAD_NAME`` or
    ``LOAD_GLOBAL`` (how a module body reads its globals)."""
    raw = code.co_code
    ops, args = raw[0::2], raw[1::2]
    for match in _NAME_LOAD.finditer(ops):
        start, end = match.span()
        arg = int.from_bytes(args[start:end], 'big')
        if ops[end - 1] == _LOAD_GLOBAL:
            arg >>= _GLOBAL_SHIFT
        yield code.co_names[arg]


def _reaches_patching_function(value, attributes, package, seen):
    """Whether `value`, or what the `attributes` lead to from it, may be
    a function of `package` that stores into an object: more than
    `patch_reason` finds (any of the names leads on from anywhere), never
    less (both look attributes up without running code)."""
    if value is None or id(value) in seen:
        return False
    seen.add(id(value))
    if isinstance(value, (classmethod, staticmethod)):
        value = value.__func__
    if isinstance(value, types.FunctionType):
        return _in_package(value.__module__, package) and \
            _stores_into_objects(value.__code__)
    if not attributes:
        return False
    spaces = [vars(base) for base in type(value).__mro__]
    try:
        spaces.append(vars(value))
    except Exception:  # no __dict__
        pass
    if isinstance(value, type):
        spaces += [vars(base) for base in value.__mro__[1:]]
    return any(
        _reaches_patching_function(space[attr], attributes, package, seen)
        for space in spaces
        for attr in attributes & space.keys())


def _may_patch(code, namespace, package):
    """False when `code`, the body of the module whose namespace is
    `namespace`, certainly patches nothing (see `patch_reason`)."""
    if _stores_into_objects(code):
        return True
    ops = code.co_code[0::2]
    attributes = frozenset(code.co_names) if _ATTR_LOAD.search(ops) \
        else frozenset()
    seen = set()
    # Local names too: a comprehension inlined into the body (3.12+).
    names = (*_loaded_names(code), *code.co_varnames, *code.co_cellvars)
    return any(_reaches_patching_function(namespace.get(name), attributes,
                                          package, seen)
               for name in names)


def _in_package(module, package):
    return module == package or module.startswith(package + '.')


def _line(instruction, last):
    line = getattr(instruction, 'line_number', None)  # Python 3.13+
    if line is None and not isinstance(instruction.starts_line, bool):
        line = instruction.starts_line
    return line or last


def _chain(instructions, end):
    """``(name, [attributes])`` of the dotted expression whose last load
    is ``instructions[end]``, or None when it is something else."""
    attrs = []
    while end >= 0 and instructions[end].opname in _ATTR_LOADS:
        attrs.append(instructions[end].argval)
        end -= 1
    if end < 0 or instructions[end].opname not in _NAME_LOADS:
        return None
    return instructions[end].argval, attrs[::-1]


def _store_target(instructions, index):
    """The chain a ``STORE_ATTR`` at `index` stores into; an augmented
    assignment (``obj.x += 1``) loads it, copies it and swaps first."""
    before = index - 1
    if instructions[before].opname in ('SWAP', 'ROT_TWO'):
        for back in range(before - 1, -1, -1):
            if instructions[back].opname in ('COPY', 'DUP_TOP'):
                return _chain(instructions, back - 1)
        return None
    return _chain(instructions, before)


def _stores(code, imported):
    """``(line, target, chains loaded)`` of `code`'s own instructions:
    each store into an object reached from a name in `imported` (which
    grows with the names the code's own imports bind)."""
    imported = set(imported)
    instructions = list(dis.get_instructions(code))
    line = code.co_firstlineno
    patches, loaded = [], []
    for index, instruction in enumerate(instructions):
        line = _line(instruction, line)
        name = instruction.opname
        if name in _NAME_STORES and index and \
                instructions[index - 1].opname in _IMPORTS:
            imported.add(instruction.argval)
        elif name == 'STORE_ATTR':
            chain = _store_target(instructions, index)
            if chain and chain[0] in imported:
                patches.append((line, '.'.join(
                    [chain[0], *chain[1], instruction.argval])))
        elif name == 'STORE_SUBSCR':
            chain = _chain(instructions, index - 2)
            if chain and chain[0] in imported and chain[1] and \
                    chain[1][-1] in _NAMESPACES:
                patches.append((line, '.'.join([chain[0], *chain[1]])
                                + '[…]'))
        elif name in _NAME_LOADS or name in _ATTR_LOADS:
            chain = _chain(instructions, index)
            if chain is not None and (
                    index + 1 == len(instructions)
                    or instructions[index + 1].opname not in _ATTR_LOADS):
                loaded.append((line, chain))
    return patches, loaded


def _resolve(namespace, chain):
    """What `chain` names, looked up without running code (no property,
    no ``__getattr__``), as `_reaches_patching_function` does."""
    name, attrs = chain
    value = namespace.get(name)
    for attr in attrs:
        value = inspect.getattr_static(value, attr, None)
    if isinstance(value, (classmethod, staticmethod)):
        value = value.__func__
    return value


def _imported_globals(function):
    """The globals of `function` that come from other modules."""
    own = function.__module__
    return {name for name, value in function.__globals__.items()
            if isinstance(value, types.ModuleType)
            or getattr(value, '__module__', own) != own}


def _patching_function(value, package):
    """What a function of `package` patches, or None."""
    if not isinstance(value, types.FunctionType) or not _in_package(
            value.__module__, package):
        return None
    patches, _loaded = _stores(value.__code__, _imported_globals(value))
    return patches[0][1] if patches else None


def patch_reason(code, module, package):
    """Why the module `module`, about to run `code`, is a patch module:
    its first patch as text, or None when it is not one."""
    namespace = vars(module)
    if namespace.get(OPT_IN) or not _may_patch(code, namespace, package):
        return None
    return _first_patch(code, namespace, package)


def _first_patch(code, namespace, package):
    """`patch_reason` from the decoded instructions."""
    patches, loaded = _stores(code, ())
    if patches:
        line, target = patches[0]
        return f'line {line} sets {target}, an object it imported'
    checked = set()
    for line, chain in loaded:
        function = _resolve(namespace, chain)
        if id(function) in checked:
            continue
        checked.add(id(function))
        target = _patching_function(function, package)
        if target is not None:
            return (f'line {line} calls {".".join([chain[0], *chain[1]])}'
                    f'(), which sets {target}')
    return None


def _function_codes(code, prefix=''):
    """``(qualified name, code)`` of the functions `code` defines at its
    top level and in the bodies of its classes."""
    for const in code.co_consts:
        if not isinstance(const, types.CodeType) or \
                const.co_name.startswith('<'):
            continue
        if const.co_flags & inspect.CO_OPTIMIZED:
            yield prefix + const.co_name, const
        elif not prefix:  # a class body
            yield from _function_codes(const, const.co_name + '.')


def _function(namespace, qualname):
    head, _, attr = qualname.partition('.')
    value = namespace.get(head)
    if attr:
        value = vars(value).get(attr) if isinstance(value, type) else None
    if isinstance(value, (classmethod, staticmethod)):
        value = value.__func__
    return value if isinstance(value, types.FunctionType) else None


def update_bodies(module, code, journal):
    """Give `module`'s functions and methods the bodies `code` defines
    for them, without running `code`; the qualified names updated."""
    updated = []
    for qualname, new in _function_codes(code):
        function = _function(vars(module), qualname)
        if function is None or function.__code__ == new or \
                function.__code__.co_freevars != new.co_freevars:
            continue
        journal.assign(function, '__code__', new)
        updated.append(qualname)
    return updated
