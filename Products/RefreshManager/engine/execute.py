"""Execute a module's current source as a new module object.

This is the classic (Zope 2) way to refresh: the new module replaces the
old one in ``sys.modules`` and in its parent package, and the old module
object is never touched, so rollback only has to put it back.
"""
import importlib.util
import sys
from types import ModuleType


def _fresh_module(step, old):
    search = list(old.__path__) if step.is_package else None
    spec = importlib.util.spec_from_file_location(
        step.name, step.path, submodule_search_locations=search)
    module = importlib.util.module_from_spec(spec)
    if step.is_package:
        # Submodules stay reachable as attributes, as after an import.
        for attr, value in vars(old).items():
            current = sys.modules.get(f'{step.name}.{attr}')
            if isinstance(value, ModuleType) and current is not None:
                setattr(module, attr, current)
    return module


def execute_fresh(step, journal):
    """Replace the module `step` names with a freshly executed one.

    Returns the new module, or None when its file is gone (the module is
    removed; any module still importing it fails in turn).
    """
    old = journal.modules[step.name]
    parent_name, _, attr = step.name.rpartition('.')
    parent = journal.modules.get(parent_name) if parent_name else None
    if step.tree is None:
        journal.set_module(step.name, None)
        if parent is not None:
            journal.delattr(parent, attr)
        return None
    module = _fresh_module(step, old)
    code = compile(step.tree, step.path, 'exec', dont_inherit=True)
    journal.set_module(step.name, module)
    exec(code, vars(module))
    if parent is not None:
        journal.setattr(parent, attr, module)
    return module
