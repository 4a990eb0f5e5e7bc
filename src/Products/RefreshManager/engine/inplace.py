"""Carry a module's new definitions into its existing objects.

A plain reload makes new functions and classes; whatever held the old
ones (instances, subclasses in other modules, registries, adapters and
views registered at start) keeps running old code. Here the module's
current source runs in the module's own namespace, so new functions see
the same globals, and then each new definition is carried into the old
object of the same name (see `merge`), the old objects take the new
ones' places in what the new code filled while it loaded (see `adopt`),
and the names the new source no longer binds go (see `bound`).

Every change goes through a `Journal`: if anything fails, the module
and every object in it are exactly as before.
"""
from dataclasses import dataclass
from dataclasses import field

from . import bound
from .adopt import Adopter
from .bytecode import Bindings
from .journal import Journal
from .merge import Updater
from .classes import defined_in
from .modules import source_path
from .plan import compile_file


@dataclass
class ReloadReport:
    module: str
    updated: list = field(default_factory=list)  # carried into old objects
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    replaced: list = field(default_factory=list)  # (name, why not in place)


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


def update_module(module, code, journal):
    """Run `code` (the module's compiled source) in the module and carry
    the new definitions into the old objects; a `ReloadReport`."""
    report = ReloadReport(module.__name__)
    namespace = vars(module)
    previous, current = bound.previous(module), Bindings(code)
    journal.keep(module)
    old = dict(namespace)
    exec(code, namespace)
    dropped = _dropped(module.__name__, old, namespace, previous, current)
    updater = Updater(module.__name__, journal, report, previous, current)
    names = [name for name in namespace if not _dunder(name)]
    # Classes first: what the module made of them follows them.
    names.sort(key=lambda name: not isinstance(namespace[name], type))
    for name in names:
        if name not in old:
            report.added.append(name)
        elif old[name] is not namespace[name]:
            namespace[name] = updater.merge(old[name], namespace[name], name)
    settled = updater.settled(old.values())
    adopter = Adopter(module.__name__, journal, updater.replaced_by_old(),
                      settled)
    for name in names:
        if id(namespace[name]) not in settled:
            namespace[name] = adopter.replacement(namespace[name])
    for name in dropped:
        del namespace[name]
        report.removed.append(name)
    bound.record(module, current, journal)
    return report


def reload_module(module):
    """Re-execute `module`'s current source into the module itself,
    carrying new definitions into its existing functions and classes.

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
    try:
        report = update_module(module, code, journal)
    except BaseException as error:
        failures = journal.rollback()
        if failures and hasattr(error, 'add_note'):
            error.add_note('Rollback could not undo: ' + '; '.join(
                step for step, _ in failures))
        raise
    journal.commit()
    return report
