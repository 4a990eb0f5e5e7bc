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

A patch is read from the bytecode (as `instructions` reads it, the same
on every version): a store into an attribute of an object loaded from a
name bound by an import (``utils.f.__code__ = …``, ``Class.method = …``),
or into an item of such an object's ``__globals__`` or ``__dict__``, or
``setattr()`` on it; or a call of a function of the same package that
does one of those (``csrf.applyPatches()``), or does it to an argument
the module passes it an imported object for (``apply.patch(target)``).

Decoding instructions with `dis` costs more than compiling the module,
and nearly every module patches nothing. So a search of the raw opcode
bytes (in C) comes first (`_may_patch`): a module can patch only if its
body stores into an attribute or an item or names ``setattr``, or loads
a name that leads, through attributes its body names, to a function of
the package that does. Only then are its instructions decoded. The
search reads one version's opcodes: on a version CI has not proven
(`versions`), every module is decoded.
"""
import dis
import inspect
import re
import sys
import types

from ..read import versions
from ..read.instructions import NAME_STORES
from ..read.instructions import STATEMENT_ENDS
from ..read.instructions import chain
from ..read.instructions import dotted
from ..read.instructions import plain
from ..read.instructions import store_target


OPT_IN = '__refresh_run_again__'
_IMPORTS = ('IMPORT_NAME', 'IMPORT_FROM')
_NAMESPACES = ('__globals__', '__dict__')
_TAKE_ATTRIBUTES = (types.ModuleType, type, types.FunctionType)


def _opcodes(*names):
    """A search of opcode bytes for any of the instructions `names`."""
    found = sorted(dis.opmap[name] for name in names
                   if dis.opmap.get(name, 256) < 256)  # not pseudo
    return re.compile(b'[%s]' % re.escape(bytes(found)))


_OBJECT_STORE = _opcodes('STORE_ATTR', 'STORE_SUBSCR')
_ATTR_LOAD = _opcodes('LOAD_ATTR', 'LOAD_METHOD')
_NAME_LOAD = re.compile(b'%s*%s' % (
    re.escape(bytes([dis.opmap['EXTENDED_ARG']])),
    _opcodes('LOAD_NAME', 'LOAD_GLOBAL').pattern))
_LOAD_GLOBAL = dis.opmap['LOAD_GLOBAL']
_GLOBAL_SHIFT = 1 if sys.version_info >= (3, 11) else 0  # low bit: NULL


def _may_store(code):
    """Whether `code` may store into an object (never wrong to say so)."""
    if not versions.RAW_OPCODES:
        return True
    return 'setattr' in code.co_names or \
        _OBJECT_STORE.search(code.co_code[0::2]) is not None


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
            _may_store(value.__code__)
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
    if _may_store(code):
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


class _Reading:
    """What one code object's instructions do that may patch: its stores
    into objects (``(line, what it does, through a parameter)``), the
    names rooted in imports, and every dotted name it loads, with the
    statement it is in (a call's arguments follow its callee there)."""

    def __init__(self, code, imported, parameters=()):
        self.roots, self.parameters = set(imported), parameters
        self.patches, self.loaded, self._setattrs = [], [], []
        ops = plain(code)
        statement = 0
        for index, op in enumerate(ops):
            if op.name in NAME_STORES and index and \
                    ops[index - 1].name in _IMPORTS:
                self.roots.add(op.arg)
            elif op.name == 'STORE_ATTR':
                self._store(op.line, store_target(ops, index),
                            'sets {}.' + op.arg)
            elif op.name == 'STORE_SUBSCR':
                found = chain(ops, index - 2)
                if found and found[1] and found[1][-1] in _NAMESPACES:
                    self._store(op.line, found, 'sets {}[…]')
            elif index + 1 == len(ops) or ops[index + 1].name != 'LOAD_ATTR':
                found = chain(ops, index)  # a dotted name's last load
                if found is not None:
                    self.loaded.append((op.line, found, statement))
            statement += op.name in STATEMENT_ENDS
        self._setattrs = [(line, self.arguments(at)[0])
                          for at, (line, found, _) in enumerate(self.loaded)
                          if found == ('setattr', []) and self.arguments(at)]

    def _store(self, line, target, what):
        if target and (target[0] in self.roots
                       or target[0] in self.parameters):
            self.patches.append((line, what.format(dotted(target)),
                                 target[0] not in self.roots))

    def with_setattr(self, namespace):
        """`patches` and the ``setattr()`` calls among them, in the order
        of the lines: a call on an object that takes attributes (a
        module, a class, a function; looked up in `namespace`) or on a
        parameter. Its first argument is known only as the first dotted
        name after it: ``setattr(sys.modules[__name__], …)`` loads
        ``sys.modules``, a dict, which is no target."""
        for line, target in self._setattrs:
            if target in ((name, []) for name in self.parameters) or (
                    target[0] in self.roots and isinstance(
                        _resolve(namespace, target), _TAKE_ATTRIBUTES)):
                self._store(line, target, 'calls setattr() on {}')
        self._setattrs = []
        return sorted(self.patches)

    def arguments(self, at):
        """The dotted names loaded after ``loaded[at]`` in its statement:
        its arguments, if it is called."""
        statement = self.loaded[at][2]
        found = []
        for _, loaded, where in self.loaded[at + 1:]:
            if where != statement:
                break
            found.append(loaded)
        return found


def _resolve(namespace, found):
    """What `found` names, looked up without running code (no property,
    no ``__getattr__``), as `_reaches_patching_function` does."""
    name, attrs = found
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


def _parameters(code):
    count = code.co_argcount + code.co_kwonlyargcount
    count += bool(code.co_flags & inspect.CO_VARARGS)
    count += bool(code.co_flags & inspect.CO_VARKEYWORDS)
    return frozenset(code.co_varnames[:count])


def _patching_function(value, package):
    """What a function of `package` patches, as ``(what it does, whether
    it does it to an argument)``, or None."""
    if not isinstance(value, types.FunctionType) or not _in_package(
            value.__module__, package):
        return None
    code = value.__code__
    reading = _Reading(code, _imported_globals(value), _parameters(code))
    patches = reading.with_setattr(value.__globals__)
    if not patches:
        return None
    direct = [(what, False) for _, what, through in patches
              if not through]
    return (direct or [(patches[0][1], True)])[0]


def patch_reason(code, module, package):
    """Why the module `module`, about to run `code`, is a patch module:
    its first patch as text, or None when it is not one."""
    namespace = vars(module)
    if namespace.get(OPT_IN):
        return None
    found = None
    if _may_patch(code, namespace, package):
        found = _first_patch(code, namespace, package)
    return found or _saved_original(namespace, module.__name__)


def _saved_original(namespace, name):
    """Whether the module holds another module's function (the original
    it saved, as ``_original = GroupForm.update``) whose place now holds
    a function of this module: it patched that place, from wherever the
    patch was applied. Read from what the objects are now, not from the
    bytecode, and without running their code. Run again, its top level
    would save its own patch as the original."""
    for key, value in list(namespace.items()):
        if type(value) is not types.FunctionType or value.__module__ == name:
            continue
        home = sys.modules.get(value.__module__)
        current = home
        for part in value.__qualname__.split('.'):
            if current is None or part == '<locals>':
                current = None
                break
            current = inspect.getattr_static(current, part, None)
        if isinstance(current, (classmethod, staticmethod)):
            current = current.__func__
        if current is not value and type(current) is types.FunctionType \
                and current.__module__ == name:
            return (f'{key} holds the original {value.__module__}.'
                    f'{value.__qualname__}, which this module\'s '
                    f'{current.__qualname__} replaced')
    return None


def _first_patch(code, namespace, package):
    """`patch_reason` from the decoded instructions."""
    reading = _Reading(code, ())
    patches = reading.with_setattr(namespace)
    if patches:
        line, what, _ = patches[0]
        return f'line {line} {what}, an object it imported'
    found = {}
    for at, (line, callee, _) in enumerate(reading.loaded):
        function = _resolve(namespace, callee)
        if id(function) not in found:
            found[id(function)] = _patching_function(function, package)
        if found[id(function)] is None:
            continue
        what, to_argument = found[id(function)]
        if not to_argument:
            return f'line {line} calls {dotted(callee)}(), which {what}'
        imported = [argument for argument in reading.arguments(at)
                    if argument[0] in reading.roots]
        if imported:
            return (f'line {line} calls {dotted(callee)}('
                    f'{dotted(imported[0])}), which {what}')
    return None
