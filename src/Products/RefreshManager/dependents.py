"""Dependent products: which products follow a product's refresh.

A dependent subclasses the product (or imports from it), so its modules
must be executed again after the product's to pick up the new classes.
"""
from types import FunctionType
from types import ModuleType

from .engine.read.modules import in_package
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


def imports_from(package, other):
    """Whether a loaded module of the package `other` holds something of
    `package` (a module, a class, a function): it imported from it, so it
    may subclass or call what a refresh of `package` changes."""
    for module in package_modules(other).values():
        for value in list(vars(module).values()):
            source = _source(value)
            if isinstance(source, str) and in_package(source, package):
                return True
    return False


def _source(value):
    """The module `value` comes from, read without running its code."""
    if isinstance(value, ModuleType):
        return value.__name__
    if isinstance(value, FunctionType):
        return value.__module__
    kind = value if isinstance(value, type) else type(value)
    return vars(kind).get('__module__')
