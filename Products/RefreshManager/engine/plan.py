"""What a refresh of one package will execute, and in which order.

Planning reads and compiles every source file before anything changes,
so a syntax error in any module stops the refresh while the old code is
still untouched. The code objects are kept for execution: each file is
read and compiled once.
"""
from dataclasses import dataclass
from types import CodeType

from .imports import dependencies
from .modules import package_modules
from .modules import source_path
from .order import dependency_order


@dataclass(frozen=True)
class Step:
    name: str
    path: str
    is_package: bool
    code: CodeType | None  # None: the file is gone, the module goes too


@dataclass(frozen=True)
class Plan:
    package: str
    steps: tuple
    broken_cycles: tuple  # (module, imported module) edges ignored


def compile_file(path):
    """The module code of the file at `path`, or None if it is gone.

    Compiled from the source every time: a ``.pyc`` written in the same
    second for a file of the same size would look current and be stale.
    """
    try:
        with open(path, 'rb') as source:
            data = source.read()
    except FileNotFoundError:
        return None
    return compile(data, path, 'exec', dont_inherit=True)


def plan_package(package, modules=None):
    """Plan the reload of every loaded module of `package`.

    Raises SyntaxError (with file and line) for a module that no longer
    compiles.
    """
    loaded = package_modules(package, modules)
    steps = {}
    for name, module in loaded.items():
        path = source_path(module)
        steps[name] = Step(name, path, hasattr(module, '__path__'),
                           compile_file(path))
    needs = {
        name: dependencies(step.code, name, step.is_package, loaded)
        if step.code is not None else set()
        for name, step in steps.items()
    }
    order, broken = dependency_order(needs)
    return Plan(package, tuple(steps[name] for name in order), tuple(broken))
