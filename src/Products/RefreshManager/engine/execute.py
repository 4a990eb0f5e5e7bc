"""Execute a module's current source: in place, or as a new module.

In place (the default) the source runs in the existing module and its
new definitions are carried into the old objects (see `inplace`). The
classic (Zope 2) way runs it as a new module object that replaces the
old one in ``sys.modules`` and in its parent package; the old module is
never touched, so rollback only has to put it back; the first module
replaced is brought back by the next refresh in place (see `originals`).
A patch module (see `patches`) is not run again in either mode.
"""
import importlib.util
import sys
from types import ModuleType

from . import bound
from . import originals
from .bytecode import Bindings
from .inplace import ReloadReport
from .inplace import update_module
from .patches import update_bodies


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


def execute(step, journal, in_place):
    """Execute the module `step` names again.

    Returns the in-place `ReloadReport`, or None. A module whose file is
    gone is removed (any module still importing it fails in turn).
    """
    old = journal.modules[step.name]
    parent_name, _, attr = step.name.rpartition('.')
    parent = journal.modules.get(parent_name) if parent_name else None
    if step.code is None:
        journal.set_module(step.name, None)
        if parent is not None:
            journal.delattr(parent, attr)
        return None
    if step.patch is not None:
        # Patches would be applied twice: new bodies only, in either mode.
        return ReloadReport(step.name, updated=update_bodies(
            old, step.code, journal))
    if in_place:
        if originals.pending(step.name, old):
            old = originals.bring_back(journal, step.name, parent, attr)
        return update_module(old, step.code, journal)
    originals.remember(journal, step.name, old)
    module = _fresh_module(step, old)
    journal.set_module(step.name, module)
    exec(step.code, vars(module))
    bound.record(module, Bindings(step.code), journal)
    if parent is not None:
        journal.setattr(parent, attr, module)
    return None
