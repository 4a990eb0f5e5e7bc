"""What a refresh of one package will execute, and in which order.

Planning reads and parses every source file before anything changes, so a
syntax error in any module stops the refresh while the old code is still
untouched. The parsed trees are kept for execution: each file is read and
parsed once.
"""
import ast
from dataclasses import dataclass

from .imports import dependencies
from .modules import package_modules
from .modules import source_path
from .order import dependency_order


@dataclass(frozen=True)
class Step:
    name: str
    path: str
    is_package: bool
    tree: ast.Module | None  # None: the file is gone, the module goes too


@dataclass(frozen=True)
class Plan:
    package: str
    steps: tuple
    broken_cycles: tuple  # (module, imported module) edges ignored


def _parse(path):
    try:
        with open(path, 'rb') as source:
            data = source.read()
    except FileNotFoundError:
        return None
    return ast.parse(data, filename=path)


def plan_package(package, modules=None):
    """Plan the reload of every loaded module of `package`.

    Raises SyntaxError (with file and line) for a module that no longer
    parses.
    """
    loaded = package_modules(package, modules)
    steps = {}
    for name, module in loaded.items():
        path = source_path(module)
        steps[name] = Step(name, path, hasattr(module, '__path__'),
                           _parse(path))
    needs = {
        name: dependencies(step.tree, name, step.is_package, loaded)
        if step.tree is not None else set()
        for name, step in steps.items()
    }
    order, broken = dependency_order(needs)
    return Plan(package, tuple(steps[name] for name in order), tuple(broken))
