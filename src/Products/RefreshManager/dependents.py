"""Dependent products: which products follow a product's refresh.

A dependent subclasses the product (or imports from it), so its modules
must be executed again after the product's to pick up the new classes.
"""
from types import FunctionType
from types import ModuleType

from .engine.read.bytecode import import_targets
from .engine.read.files import fingerprint
from .engine.read.imported import module_code
from .engine.read.modules import in_package
from .engine.read.modules import source_path
from .engine.record import known
from .engine.read.modules import package_modules
from .engine.plan.order import dependency_order
from .engine.plan.order import find_path
from .engine.plan.order import reachable


def refresh_chain(starts, dependents_of):
    """`starts` and every product reachable from them through
    `dependents_of`, each once, each after the products it is a dependent
    of. Where an old setting makes a cycle, the products in the order
    they were found lead, so what was asked for comes first."""
    found = reachable(starts, dependents_of)
    depends_on = {name: set() for name in found}
    for name in found:
        for dependent in dependents_of(name):
            depends_on[dependent].add(name)
    return dependency_order(depends_on, priority=found)[0]


def selection_problems(name, selections, refreshable, dependents_of):
    """Why `selections` cannot be `name`'s dependents; empty when fine."""
    problems = []
    for choice in selections:
        if choice == name:
            problems.append(f'{choice} cannot be its own dependent.')
        elif choice not in refreshable:
            problems.append(
                f'{choice} is not an installed, refreshable product.')
        else:
            cycle = find_path(choice, name, dependents_of)
            if cycle is not None:
                problems.append(
                    'That would make a cycle: '
                    + ' \u2192 '.join((name,) + cycle) + '.')
    return problems


def import_order(names, products):
    """The products `names` ordered so that each comes after those it
    imports from (and otherwise by name): refreshed in one unit, a
    product then runs on the new code of the products under it."""
    needs = {name: {other for other in names if other != name
                    and imports_from(products[other].package,
                                     products[name].package)}
             for name in names}
    return dependency_order(needs, priority=sorted(names))[0]


def imports_from(package, other):
    """Whether a loaded module of the package `other` imports from
    `package`: its import statements say so, where the engine has read
    them, or it holds something of `package` (a module, a class, a
    function), so it may subclass or call what a refresh changes."""
    for name, module in package_modules(other).items():
        if any(in_package(target, package)
               for target in _import_targets(name, module)):
            return True
        for value in list(vars(module).values()):
            source = _source(value)
            if isinstance(source, str) and in_package(source, package):
                return True
    return False


_READ = {}  # path -> (fingerprint, import targets) of files read here


def _import_targets(name, module):
    """What the module `name` imports: as the engine read it when it ran
    the module, else read from its file (once per version of the file)."""
    facts = known.MODULES.get(name)
    if facts:
        return facts[1]
    path = source_path(module)
    state = fingerprint(path)
    read = _READ.get(path)
    if read is None or read[0] != state:
        code = module_code(path)
        if code is None:
            return ()
        read = _READ[path] = (state, import_targets(
            code, name, hasattr(module, '__path__')))
    return read[1]


def _source(value):
    """The module `value` comes from, read without running its code."""
    if isinstance(value, ModuleType):
        return value.__name__
    if isinstance(value, FunctionType):
        return value.__module__
    kind = value if isinstance(value, type) else type(value)
    return vars(kind).get('__module__')
