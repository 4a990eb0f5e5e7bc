"""What a refresh of one package will execute, and in which order.

Only modules whose file changed since the engine last saw it (or, for a
module it has not run yet, since it was loaded), and the modules that
import them (here or in a package refreshed before in the
same refresh), are executed again: an importer holds what it imported.
Planning compiles every one of them before anything changes, so a syntax
error stops the refresh while the old code is still untouched; the code
objects are kept for execution.
"""
from dataclasses import dataclass
from types import CodeType

from ..record import known
from ..record import originals
from ..read.files import fingerprint
from .incremental import compile_source
from ..read.bytecode import dependencies
from ..read.bytecode import import_targets
from ..read.imported import module_code
from ..read.modules import package_modules
from ..read.modules import source_path
from .order import dependency_order
from .order import reachable
from .patches import patch_reason


@dataclass(frozen=True)
class Step:
    name: str
    path: str
    is_package: bool
    code: CodeType | None  # None: the file is gone, the module goes too
    # Why it is a patch module (its top level is not run again), or None.
    patch: str | None = None


@dataclass(frozen=True)
class Plan:
    package: str
    steps: tuple
    broken_cycles: tuple  # (module, imported module) edges ignored
    seen: dict  # what to remember once the refresh succeeded


def compile_file(path):
    """The module code of the file at `path`, or None if it is gone.

    Compiled from the source every time: a ``.pyc`` written in the same
    second for a file of the same size would look current and be stale
    (but only the definition that changed, where that is enough: see
    `incremental`).
    """
    try:
        with open(path, 'rb') as source:
            data = source.read()
    except FileNotFoundError:
        return None
    return compile_source(data, path)


def _step(name, module, package):
    path = source_path(module)
    code = compile_file(path)
    return Step(name, path, hasattr(module, '__path__'), code,
                None if code is None else patch_reason(code, module, package))


def _facts(state, code, name, is_package):
    """What `known` keeps of a module: fingerprint and import targets."""
    if code is None:
        return state, frozenset()
    return state, import_targets(code, name, is_package)


def _as_loaded(name, module, path, state):
    """What `known` would keep of a module the engine has not run, if its
    file is as it was when it was loaded (at Zope's start): it has not
    changed, so it does not run again. None otherwise."""
    if state is None or known.LOADED.get(name) != state:
        return None
    code = module_code(path)
    if code is None:
        return None
    return _facts(state, code, name, hasattr(module, '__path__'))


def plan_package(package, modules=None, changed_before=frozenset(),
                 in_place=True):
    """Plan the reload of the loaded modules of `package` that changed,
    or import a changed module (`changed_before`: modules executed
    earlier in the same refresh); in place, also those whose original
    module a classic refresh replaced (see `originals`).

    Raises SyntaxError (with file and line) for a module that no longer
    compiles.
    """
    loaded = package_modules(package, modules)
    steps, seen, changed = {}, {}, set()
    for name, module in loaded.items():
        path = source_path(module)
        state = fingerprint(path)
        remembered = known.MODULES.get(name) or _as_loaded(
            name, module, path, state)
        if state is not None and remembered and remembered[0] == state \
                and not (in_place and originals.pending(name, module)):
            seen[name] = remembered
            continue
        step = steps[name] = _step(name, module, package)
        seen[name] = _facts(state, step.code, name, step.is_package)
        changed.add(name)
    candidates = set(loaded) | set(changed_before)
    needs = {name: dependencies(seen[name][1], name, candidates)
             for name in loaded}
    importers = {name: [] for name in candidates}
    for name, needed in needs.items():
        for dependency in needed:
            importers[dependency].append(name)
    starts = changed | {name for name, needed in needs.items()
                        if needed & set(changed_before)}
    affected = set(reachable(starts, importers.__getitem__)) & set(loaded)
    for name in affected - set(steps):  # unchanged, but an importer
        steps[name] = _step(name, loaded[name], package)
    order, broken = dependency_order(
        {name: needs[name] & affected for name in affected})
    return Plan(package, tuple(steps[name] for name in order),
                tuple(broken), seen)
