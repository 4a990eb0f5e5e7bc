"""Refresh packages all or nothing.

One call refreshes a product and its dependents as a single unit: every
change goes through one journal, and any failure rolls all of them back,
so the old code keeps serving exactly as before.
"""
import importlib
import sys
import time
import traceback
from dataclasses import dataclass

from . import known
from . import originals
from .deadline import Deadline
from .deadline import RefreshTimeout
from .execute import execute
from .journal import Journal
from .lock import REFRESH_LOCK
from .modules import in_package
from .plan import plan_package


@dataclass(frozen=True)
class PackageReport:
    package: str
    in_place: bool  # carried into the old objects, or classic replacement
    reloaded: tuple  # module names, in the order they were executed
    imported: tuple  # modules first imported by this refresh
    removed: tuple  # modules dropped because their file is gone
    broken_cycles: tuple  # (module, imported module) edges ignored
    replaced: tuple = ()  # in place: ('module.name', why not in place)
    seconds: float = 0.0  # this package's share of the refresh
    # (module, why) of patch modules whose top level was not run again;
    # their functions got the new bodies.
    patch_modules: tuple = ()
    # In place: modules whose original object, replaced by a classic
    # refresh, was brought back and updated (see `originals`).
    restored: tuple = ()

    @property
    def executed(self):
        """The modules whose code ran: reloaded or first imported."""
        return self.reloaded + self.imported


@dataclass(frozen=True)
class RefreshReport:
    packages: tuple
    seconds: float

    @property
    def classes_replaced(self):
        """Whether objects may still have old classes: cached persistent
        objects must then be loaded again."""
        return any(not p.in_place or p.replaced or p.restored
                   for p in self.packages)


class RefreshError(Exception):
    """A refresh failed and was rolled back."""

    def __init__(self, package, error, rollback_failures=()):
        super().__init__(f'{package}: {type(error).__name__}: {error}')
        self.package = package
        self.error = error
        # (undo step, exception) for what the rollback could not undo
        self.rollback_failures = tuple(rollback_failures)
        self.traceback = ''.join(traceback.format_exception(error))


def _refresh_package(package, journal, after_load, in_place,
                     changed_before, hooked=False):
    """Refresh one package; its report and what to remember of it.

    `after_load` runs only if some module of the package ran or went
    away, or the package is `hooked`: when no file changed, nothing at
    all is executed.
    """
    started = time.perf_counter()
    plan = plan_package(package, journal.modules, changed_before, in_place)
    restored = tuple(s.name for s in plan.steps
                     if in_place and s.code and s.patch is None
                     and originals.pending(s.name, journal.modules[s.name]))
    before = set(journal.modules)
    journal.new_modules_under(package)
    replaced = []
    for step in plan.steps:
        result = execute(step, journal, in_place)
        if result is not None:
            replaced += [(f'{step.name}.{name}', why)
                         for name, why in result.replaced]
    module = importlib.import_module(package)
    imported = tuple(sorted(n for n in journal.modules
                            if n not in before and in_package(n, package)))
    if after_load is not None and (plan.steps or imported or hooked):
        after_load(package, module, journal)
    report = PackageReport(
        package=package,
        in_place=in_place,
        reloaded=tuple(s.name for s in plan.steps
                       if s.code is not None and s.patch is None),
        imported=imported,
        removed=tuple(s.name for s in plan.steps if s.code is None),
        broken_cycles=plan.broken_cycles,
        replaced=tuple(replaced),
        seconds=time.perf_counter() - started,
        patch_modules=tuple((s.name, s.patch) for s in plan.steps if s.patch),
        restored=restored,
    )
    return report, plan.seen


def refresh_packages(packages, after_load=None, classic=(), hooked=(),
                     timeout=None):
    """Reload the changed modules of each package, and the modules that
    import them, in the order given: in place, but the classic way for
    the packages in `classic`.

    `after_load(package, module, journal)` runs after a package's modules
    are reloaded (Zope re-registers the product there), unless none of
    them changed and the package is not in `hooked` (packages the hook
    has work of its own for); what it changes through the journal is
    rolled back with the rest. Raises RefreshError after rolling back
    when anything fails, also when the refresh is still running after
    `timeout` seconds (None: no limit), or waited that long for another.
    """
    if not REFRESH_LOCK.acquire(timeout=-1 if timeout is None else timeout):
        raise RefreshError(packages[0], RefreshTimeout(
            f'another refresh was still running after {timeout:g} s'))
    try:
        return _refresh_all(packages, after_load, classic, hooked, timeout)
    finally:
        REFRESH_LOCK.release()


def _refresh_all(packages, after_load, classic, hooked, timeout):
    started = time.perf_counter()
    importlib.invalidate_caches()  # see files added since the last import
    journal = Journal(sys.modules)
    reports, seen, executed = [], {}, set()
    deadline, package = Deadline(timeout), packages[0]
    try:
        try:
            with deadline:
                for package in packages:
                    report, facts = _refresh_package(
                        package, journal, after_load, package not in classic,
                        frozenset(executed), package in hooked)
                    reports.append(report)
                    seen.update(facts)
                    executed.update(report.reloaded + report.removed)
        finally:
            deadline.disarm()  # nothing is stopped after this
    except BaseException as error:
        failures = journal.rollback()
        if isinstance(error, KeyboardInterrupt):
            raise
        if deadline.fired:
            error = RefreshTimeout(
                f'stopped at the refresh time limit of {timeout:g} s'
            ).with_traceback(error.__traceback__)
        raise RefreshError(package, error, failures) from error
    journal.commit()
    for name, facts in seen.items():
        if facts[0] is None:  # the file is gone
            known.MODULES.pop(name, None)
        else:
            known.MODULES[name] = facts
    return RefreshReport(tuple(reports), time.perf_counter() - started)
