"""Refresh packages all or nothing.

One call refreshes a product and its dependents as a single unit: every
change goes through one journal, and any failure rolls all of them back,
so the old code keeps serving exactly as before.
"""
import dataclasses
import importlib
import sys
import time
import traceback
from dataclasses import dataclass

from . import known
from .deadline import Deadline
from .deadline import RefreshTimeout
from .execute import adopt_staged
from .execute import stage
from .gate import GATE
from .gate import GateTimeout
from .journal import Journal
from .lock import REFRESH_LOCK
from .modules import in_package
from .plan import plan_package
from .stage import Staging
from .unstageable import reaches_itself


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

    @property
    def executed(self):
        """The modules whose code ran: reloaded or first imported."""
        return self.reloaded + self.imported


@dataclass(frozen=True)
class RefreshReport:
    packages: tuple
    seconds: float
    exclusive: float = 0.0  # seconds no request ran: the apply

    @property
    def classes_replaced(self):
        """Whether objects may still have old classes: cached persistent
        objects must then be loaded again."""
        return any(not p.in_place or p.replaced for p in self.packages)


class RefreshError(Exception):
    """A refresh failed and was rolled back."""

    def __init__(self, package, error, rollback_failures=()):
        super().__init__(f'{package}: {type(error).__name__}: {error}')
        self.package = package
        self.error = error
        # (undo step, exception) for what the rollback could not undo
        self.rollback_failures = tuple(rollback_failures)
        self.traceback = ''.join(traceback.format_exception(error))


@dataclass
class _StagedPackage:
    package: str
    in_place: bool
    plan: object
    staged: list  # what applies each step of the plan
    imported: tuple = ()  # modules first imported while staging
    seconds: float = 0.0


def _stage_package(staged, journal, staging, in_module):
    """Run the changed modules of one package off to the side (in the
    modules themselves for the names in `in_module`)."""
    started = time.perf_counter()
    staged.staged = [stage(step, journal, staging, staged.in_place,
                           step.name in in_module)
                     for step in staged.plan.steps]
    if staged.package not in journal.modules:  # one Zope never imported
        importlib.import_module(staged.package)
    staged.seconds += time.perf_counter() - started


def _apply_package(staged, journal, staging, after_load, hooked):
    """Apply one staged package; its report.

    `after_load` runs only if some module of the package ran or went
    away, or the package is `hooked`: when no file changed, nothing at
    all is executed.
    """
    started = time.perf_counter()
    plan, package = staged.plan, staged.package
    replaced = []
    for step, change in zip(plan.steps, staged.staged):
        result = change.apply(journal)
        if result is not None:
            replaced += [(f'{step.name}.{name}', why)
                         for name, why in result.replaced]
    for name in staged.imported:
        adopt_staged(journal.modules[name], journal, staging)
    if after_load is not None and (plan.steps or staged.imported or hooked):
        after_load(package, journal.modules[package], journal)
    return PackageReport(
        package=package,
        in_place=staged.in_place,
        reloaded=tuple(s.name for s in plan.steps if s.code is not None),
        imported=staged.imported,
        removed=tuple(s.name for s in plan.steps if s.code is None),
        broken_cycles=plan.broken_cycles,
        replaced=tuple(replaced),
        seconds=staged.seconds + time.perf_counter() - started,
    )


def refresh_packages(packages, after_load=None, classic=(), hooked=(),
                     timeout=None, applied=None):
    """Reload the changed modules of each package, and the modules that
    import them, in the order given: in place, but the classic way for
    the packages in `classic`.

    The new code runs off to the side first, while requests are served
    by the old code; then, holding the exclusive side of the `GATE` (no
    request runs meanwhile), the result is applied, `after_load` runs for
    each package and `applied(report)` once all succeeded. A module that
    cannot be staged (see `unstageable`) makes the whole refresh run
    under the exclusive side.

    `after_load(package, module, journal)` runs after a package's modules
    are applied (Zope re-registers the product there), unless none of
    them changed and the package is not in `hooked` (packages the hook
    has work of its own for); what it changes through the journal is
    rolled back with the rest. Raises RefreshError after rolling back
    when anything fails, also when the refresh is still running after
    `timeout` seconds (None: no limit), or waited that long for another
    refresh or for the running requests.
    """
    with GATE.parked():
        locked = REFRESH_LOCK.acquire(timeout=-1 if timeout is None
                                      else timeout)
    if not locked:
        raise RefreshError(packages[0], RefreshTimeout(
            f'another refresh was still running after {timeout:g} s'))
    try:
        unit = _Unit(packages, classic, timeout)
        return unit.run(after_load, hooked, applied)
    finally:
        REFRESH_LOCK.release()


class _Unit:
    """One refresh: every package planned and staged, then all applied
    under the gate, or everything rolled back."""

    def __init__(self, packages, classic, timeout):
        self.package = packages[0]  # the one at work, to name in an error
        self.timeout = timeout
        self.ends = None if timeout is None else time.monotonic() + timeout
        self.fired = False
        importlib.invalidate_caches()  # see files added since the last import
        self.journal = Journal(sys.modules)
        self.staging = Staging(self.journal.modules)
        self.packages = [_StagedPackage(name, name not in classic, None, [])
                         for name in packages]
        self.exclusive = None  # when the gate was taken

    def _left(self):
        return None if self.ends is None else max(
            0.0, self.ends - time.monotonic())

    def _within_limit(self, call, *args):
        deadline = Deadline(self._left())
        try:
            with deadline:
                return call(*args)
        finally:
            self.fired = self.fired or deadline.fired

    def _failed(self, error):
        """Roll back; the exception to raise."""
        failures = self.journal.rollback()
        if isinstance(error, KeyboardInterrupt):
            return error
        if isinstance(error, GateTimeout):
            error = RefreshTimeout(
                f'{error} at the refresh time limit of {self.timeout:g} s; '
                f'nothing was changed')
        elif self.fired:
            error = RefreshTimeout(
                f'stopped at the refresh time limit of {self.timeout:g} s'
            ).with_traceback(error.__traceback__)
        return RefreshError(self.package, error, failures)

    def _exclusive(self):
        GATE.acquire(self._left())
        self.exclusive = time.perf_counter()

    def _stage(self):
        executed = set()
        for staged in self.packages:
            self.package = staged.package
            started = time.perf_counter()
            staged.plan = plan_package(staged.package, self.journal.modules,
                                       frozenset(executed))
            executed.update(step.name for step in staged.plan.steps)
            staged.seconds = time.perf_counter() - started
            self.journal.new_modules_under(staged.package)
        in_module = {step.name for staged in self.packages
                     for step in staged.plan.steps
                     if step.code is not None and reaches_itself(step.code)}
        if in_module:
            self._exclusive()
        before = set(self.journal.modules)
        with self.staging:
            for staged in self.packages:
                self.package = staged.package
                _stage_package(staged, self.journal, self.staging, in_module)
        for staged in self.packages:
            staged.imported = tuple(sorted(
                name for name in self.journal.modules
                if name not in before and in_package(name, staged.package)))

    def _apply(self, after_load, hooked):
        reports = []
        for staged in self.packages:
            self.package = staged.package
            reports.append(_apply_package(
                staged, self.journal, self.staging, after_load,
                staged.package in hooked))
        return reports

    def run(self, after_load, hooked, applied):
        started = time.perf_counter()
        try:
            try:
                self._within_limit(self._stage)
                if self.exclusive is None:
                    self._exclusive()
                reports = self._within_limit(self._apply, after_load, hooked)
            except BaseException as error:
                raise self._failed(error) from error
            self.journal.commit()
            report = RefreshReport(tuple(reports),
                                   time.perf_counter() - started)
            if applied is not None:
                applied(report)
        finally:
            if self.exclusive is not None:
                GATE.release()
                exclusive = time.perf_counter() - self.exclusive
            self.staging.finish()
        for staged in self.packages:
            for name, facts in staged.plan.seen.items():
                if facts[0] is None:  # the file is gone
                    known.MODULES.pop(name, None)
                else:
                    known.MODULES[name] = facts
        return dataclasses.replace(report, exclusive=exclusive)
