"""Dependent products: which products follow a product's refresh.

A dependent subclasses the product (or imports from it), so its modules
must be executed again after the product's to pick up the new classes.
"""
from .engine.order import dependency_order
from .engine.order import find_path
from .engine.order import reachable


def refresh_chain(start, dependents_of):
    """`start`, then every product reachable through `dependents_of`,
    each once, each after the products it is a dependent of."""
    rest = reachable(start, dependents_of)[1:]
    depends_on = {name: set() for name in rest}
    for name in [start] + rest:
        for dependent in dependents_of(name):
            if dependent in depends_on and name != start:
                depends_on[dependent].add(name)
    order, _broken = dependency_order(depends_on)
    return [start] + order


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
