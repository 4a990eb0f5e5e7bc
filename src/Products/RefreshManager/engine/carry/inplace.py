"""Carry a module's new definitions into its existing objects.

A plain reload makes new functions and classes; whatever held the old
ones (instances, subclasses in other modules, registries, adapters and
views registered at start) keeps running old code. Here the module's
current source first runs off to the side, in a copy of the module's
namespace (see `stage`), while the old code keeps serving. Then, in one
short step, each new definition is carried into the old object of the
same name (see `merge`), the old objects take the new ones' places in
what the new code filled while it loaded, and functions it made move
into the module's namespace (see `adopt`), and the names the new source
no longer binds go (see `bound`).

Every change goes through a `Journal`: if anything fails, the module
and every object in it are exactly as before.
"""
from dataclasses import dataclass
from dataclasses import field
from types import FunctionType

from . import bound
from .adopt import Adopter
from ..read.bytecode import Bindings
from ..stage.journal import Journal
from .merge import Updater
from .containers import is_registry
from .containers import merge_registry
from .classes import defined_in
from ..read.modules import source_path
from ..plan.plan import compile_file
from ..stage.staging import Staging
from ..stage.unstageable import reaches_itself


@dataclass
class ReloadReport:
    module: str
    updated: list = field(default_factory=list)  # carried into old objects
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    replaced: list = field(default_factory=list)  # (name, why not in place)
    # (name, entries) of containers that kept entries the new code does
    # not make: registered at run time by other code (see `merge`)
    kept: list = field(default_factory=list)


_ABSENT = object()


def _dunder(name):
    return name.startswith('__') and name.endswith('__')


def _dropped(module_name, old, namespace, previous, current):
    """Names the new source no longer binds, to be removed: those the
    previous source bound, when known; otherwise the functions and
    classes it defined that the new source did not make again (they are
    still the very same objects). Names set from outside stay."""
    if previous is not None and None not in (previous.names, current.names):
        return [name for name in previous.names - current.names
                if name in old and name in namespace and not _dunder(name)]
    return [name for name, value in old.items()
            if namespace.get(name) is value
            and defined_in(value, module_name, name)]


# What a module statement sets once and refuses to find set already:
# zope.interface's ``moduleProvides`` ("can only be used once in a module
# definition"). The new code runs on a copy of the old namespace, so the
# old declaration goes first, as in a fresh import.
_SET_ONCE = {'moduleProvides': '__provides__'}


class StagedUpdate:
    """A module's new code, run into a staging namespace (a copy of the
    module's, see `stage`) while the module stays as it is; `apply`
    carries the result into the module and its objects.

    Code that looks its own module up (see `unstageable`) runs in the
    module itself instead (`in_module`), under the journal: the caller
    makes sure no request runs meanwhile.
    """

    def __init__(self, module, code, staging, journal, in_module=False):
        self.module = module
        self.staging = staging
        self.previous, self.current = bound.previous(module), Bindings(code)
        self.before = dict(vars(module))
        if in_module:
            journal.keep(module)
            self.namespace = vars(module)
        else:
            self.namespace = staging.stage_module(module.__name__, module)
        for call, name in _SET_ONCE.items():
            if call in code.co_names and name in self.namespace:
                journal.delitem(self.namespace, name)
        exec(code, self.namespace)

    def apply(self, journal):
        """Carry the staged definitions into the old objects, and the
        module's namespace to what the new code left; a `ReloadReport`."""
        module, namespace, old = self.module, self.namespace, self.before
        report = ReloadReport(module.__name__)
        live = vars(module)
        journal.keep(module)
        dropped = _dropped(module.__name__, old, namespace, self.previous,
                           self.current)
        updater = Updater(module.__name__, journal, report, self.previous,
                          self.current, self.staging.stands, home=live)
        values, dunders, functions, others = {}, [], [], []
        for name, value in namespace.items():
            if _dunder(name):
                dunders.append(name)
                continue
            values[name] = value
            current = old.get(name, _ABSENT)
            if current is _ABSENT:
                report.added.append(name)
            elif current is value:
                continue
            elif type(value) is type(current) is FunctionType:
                functions.append((name, current, value))
            elif isinstance(value, type):  # what the module made of its
                values[name] = updater.merge(current, value, name)  # classes
            else:  # follows them
                others.append(name)
        values.update(zip([name for name, _, _ in functions],
                          updater.merge_functions(functions)))
        for name in others:
            current, value = old[name], values[name]
            if is_registry(current, value):
                values[name] = merge_registry(updater, current, value, name)
            else:
                values[name] = updater.merge(current, value, name)
        settled = updater.settled(old.values())
        self.staging.stands.update(updater.replaced_by_old())
        adopter = Adopter(module.__name__, journal, self.staging, settled)
        for name, value in values.items():
            if id(value) not in settled:
                values[name] = adopter.replacement(value)
        for function in updater.new_defaults:
            adopter.defaults(function)
        values.update((name, adopter.replacement(namespace[name]))
                      for name in dunders
                      if old.get(name, self) is not namespace[name])
        live.update(values)
        for name in old:
            if name not in namespace and name in live:
                del live[name]  # the new code deleted it
        for name in dropped:
            del live[name]
            report.removed.append(name)
        bound.record(module, self.current, journal)
        return report


def reload_module(module):
    """Re-execute `module`'s current source and carry it into the module
    itself: its existing functions and classes get the new definitions.

    Returns a `ReloadReport`. Raises (SyntaxError, or whatever the new
    source raises) leaving the module and its objects untouched.
    """
    path = source_path(module)
    if path is None:
        raise ValueError(f'{module.__name__} has no Python source file')
    code = compile_file(path)
    if code is None:
        raise FileNotFoundError(path)
    journal = Journal()
    staging = Staging()
    try:
        with staging:
            staged = StagedUpdate(module, code, staging, journal,
                                  reaches_itself(code))
        report = staged.apply(journal)
    except BaseException as error:
        failures = journal.rollback()
        if failures and hasattr(error, 'add_note'):
            error.add_note('Rollback could not undo: ' + '; '.join(
                step for step, _ in failures))
        raise
    finally:
        staging.finish()
    journal.commit()
    return report
