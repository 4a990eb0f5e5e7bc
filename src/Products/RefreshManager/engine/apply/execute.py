"""Stage a module's current source, to apply it later: in place, or as a
new module.

In place (the default) the source runs in a copy of the module's
namespace, and applying carries its definitions into the old objects
(see `inplace`). The classic (Zope 2) way runs it as a new module
object, which applying puts in ``sys.modules`` and in its parent package
in place of the old one; the old module is never touched, so rollback
only has to put it back. Either way nothing live changes until applied.
"""
import importlib.util
from types import ModuleType

from ..carry import bound
from ..record import originals
from ..carry.adopt import Adopter
from ..read.bytecode import Bindings
from ..carry.inplace import ReloadReport
from ..carry.inplace import StagedUpdate
from ..carry.bodies import update_bodies


def _fresh_module(step, old, staging):
    search = list(old.__path__) if step.is_package else None
    spec = importlib.util.spec_from_file_location(
        step.name, step.path, submodule_search_locations=search)
    module = importlib.util.module_from_spec(spec)
    if step.is_package:
        # Submodules stay reachable as attributes, as after an import.
        for attr, value in vars(old).items():
            name = f'{step.name}.{attr}'
            current = staging.staged.get(name) or staging.modules.get(name)
            if isinstance(value, ModuleType) and current is not None:
                setattr(module, attr, current)
    return module


def _parent(step, journal):
    parent_name, _, attr = step.name.rpartition('.')
    return (journal.modules.get(parent_name) if parent_name else None), attr


class _Removal:
    """A module whose file is gone is removed (any module still importing
    it fails in turn)."""

    def __init__(self, step):
        self.step = step

    def apply(self, journal):
        journal.set_module(self.step.name, None)
        parent, attr = _parent(self.step, journal)
        if parent is not None:
            journal.delattr(parent, attr)


class _NewBodies:
    """A patch module: running it again would patch twice, so its
    functions and methods only get their new bodies, in either mode."""

    def __init__(self, step):
        self.step = step

    def apply(self, journal):
        module = journal.modules[self.step.name]
        return ReloadReport(self.step.name, updated=update_bodies(
            module, self.step.code, journal))


class _BroughtBack(StagedUpdate):
    """In place, a module a classic refresh replaced: its original comes
    back (see `originals`) and the new code is carried into that one."""

    def apply(self, journal):
        parent, attr = _parent(self.step, journal)
        originals.bring_back(journal, self.step.name, parent, attr)
        return super().apply(journal)


class _Replacement:
    """The classic way: a new module object (in ``sys.modules`` already
    while it runs if it runs `in_module`, see `unstageable`)."""

    def __init__(self, step, old, staging, journal, in_module):
        self.step = step
        self.staging = staging
        self.module = _fresh_module(step, old, staging)
        staging.add(step.name, self.module)
        if in_module:
            journal.set_module(step.name, self.module)
        exec(step.code, vars(self.module))

    def apply(self, journal):
        adopt_staged(self.module, journal, self.staging)
        originals.remember(journal, self.step.name,
                           journal.modules[self.step.name])
        journal.set_module(self.step.name, self.module)
        bound.record(self.module, Bindings(self.step.code), journal)
        parent, attr = _parent(self.step, journal)
        if parent is not None:
            journal.setattr(parent, attr, self.module)


def adopt_staged(module, journal, staging):
    """A module that is not updated in place (a new one, or one first
    imported while staging) gets the live objects that stand for what
    other modules' staged code made (a staged class it subclasses, a
    function it imported)."""
    if not staging.stands:
        return
    adopter = Adopter(module.__name__, journal, staging, ())
    namespace = vars(module)
    for name, value in list(namespace.items()):
        new = adopter.replacement(value)
        if new is not value:
            journal.setitem(namespace, name, new)


def stage(step, journal, staging, in_place, in_module=False):
    """Run the module `step` names off to the side (in the module itself
    if `in_module`); what is returned applies it (``apply(journal)``, the
    in-place `ReloadReport` or None).
    """
    if step.code is None:
        return _Removal(step)
    if step.patch is not None:
        return _NewBodies(step)
    old = journal.modules[step.name]
    if in_place and originals.pending(step.name, old):
        update = _BroughtBack(originals.original(step.name), step.code,
                              staging, journal, in_module)
        update.step = step
        return update
    if in_place:
        return StagedUpdate(old, step.code, staging, journal, in_module)
    return _Replacement(step, old, staging, journal, in_module)
