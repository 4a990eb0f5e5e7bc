"""One refresh, as a unit of work: planned, staged, applied, or rolled
back.

Every package is planned (compiled, so a syntax error stops it before
anything runs) and its new code run off to the side (see `stage`) while
requests are served by the old code. Then, holding the exclusive side
of the `GATE` (no request runs meanwhile), the staged code is applied,
each package's after-load hook runs, and the journal commits. Any
failure rolls every change back: under the gate if it had been taken.
A module that cannot be staged (see `unstageable`) makes the whole
refresh run under the gate.
"""
import dataclasses
import gc
import importlib
import logging
import time
from dataclasses import dataclass

from ..record import known
from ..read.files import fingerprint
from ..record import originals
from ..stage.deadline import Deadline
from ..stage.deadline import RefreshTimeout
from .execute import adopt_staged
from .execute import stage
from ..stage.gate import GATE
from ..stage.gate import GateTimeout
from ..read.modules import in_package
from ..read.modules import source_path
from ..plan.plan import plan_package
from ..record.reports import PackageReport
from ..record.reports import RefreshError
from ..record.reports import RefreshReport
from ..stage.registrations import Registrations
from ..stage.staging import Staging
from ..stage.unstageable import reaches_itself


logger = logging.getLogger('Products.RefreshManager')


@dataclass
class _StagedPackage:
    package: str
    in_place: bool
    plan: object
    staged: list  # what applies each step of the plan
    imported: tuple = ()  # modules first imported while staging
    seconds: float = 0.0
    restored: tuple = ()  # in place: originals brought back (`originals`)


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
    replaced, kept = [], []
    for step, change in zip(plan.steps, staged.staged):
        result = change.apply(journal)
        if result is not None:
            replaced += [(f'{step.name}.{name}', why)
                         for name, why in result.replaced]
            kept += [(f'{step.name}.{name}', entries)
                     for name, entries in result.kept]
    for name in staged.imported:
        adopt_staged(journal.modules[name], journal, staging)
    if after_load is not None and (plan.steps or staged.imported or hooked):
        after_load(package, journal.modules[package], journal)
    return PackageReport(
        package=package,
        in_place=staged.in_place,
        reloaded=tuple(s.name for s in plan.steps
                       if s.code is not None and s.patch is None),
        imported=staged.imported,
        removed=tuple(s.name for s in plan.steps if s.code is None),
        broken_cycles=plan.broken_cycles,
        replaced=tuple(replaced),
        kept=tuple(kept),
        seconds=staged.seconds + time.perf_counter() - started,
        patch_modules=tuple((s.name, s.patch) for s in plan.steps if s.patch),
        restored=staged.restored,
    )


class Unit:
    """One refresh: every package planned and staged, then all applied
    under the gate, or everything rolled back."""

    def __init__(self, packages, classic, timeout, journal):
        self.package = packages[0]  # the one at work, to name in an error
        self.timeout = timeout
        self.ends = None if timeout is None else time.monotonic() + timeout
        self.fired = False
        importlib.invalidate_caches()  # see files added since the last import
        self.journal = journal
        self.staging = Staging(journal.modules)
        self.packages = [_StagedPackage(name, name not in classic, None, [])
                         for name in packages]
        self.exclusive = None  # when the gate was taken
        self.started_ns = time.time_ns()  # files saved later are unknown
        self.collecting = False

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
        """Take the gate; outside any deadline, so that nothing can stop
        this thread between taking it and knowing it has it."""
        GATE.acquire(self._left())
        self.exclusive = time.perf_counter()
        # No garbage collection pause inside the window: it could take
        # longer than the apply itself in a big process.
        self.collecting = gc.isenabled()
        gc.disable()

    def _plan(self):
        """Plan every package; the modules that cannot be staged."""
        executed = set()
        for staged in self.packages:
            self.package = staged.package
            started = time.perf_counter()
            staged.plan = plan_package(staged.package, self.journal.modules,
                                       frozenset(executed), staged.in_place)
            staged.restored = tuple(
                step.name for step in staged.plan.steps
                if staged.in_place and step.code and step.patch is None
                and originals.pending(step.name,
                                      self.journal.modules[step.name]))
            executed.update(step.name for step in staged.plan.steps)
            staged.seconds = time.perf_counter() - started
            self.journal.new_modules_under(staged.package)
        in_module = {step.name for staged in self.packages
                     for step in staged.plan.steps
                     if step.code is not None and reaches_itself(step.code)}
        if in_module:
            logger.info('%s look%s up their own module while loading: '
                        'refreshed while no request runs',
                        ', '.join(sorted(in_module)),
                        '' if len(in_module) > 1 else 's')
        return in_module

    def _stage(self, in_module):
        before = set(self.journal.modules)
        for staged in self.packages:
            for step in staged.plan.steps:
                if step.code is None:
                    self.staging.remove(step.name, step.path)
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
                in_module = self._within_limit(self._plan)
                if in_module:
                    self._exclusive()
                registrations = Registrations(self.journal)
                self._within_limit(self._stage, in_module)
                registrations.put_back()
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
                if self.collecting:
                    gc.enable()
            self.staging.finish()
        for staged in self.packages:
            for name, facts in staged.plan.seen.items():
                if facts[0] is None:  # the file is gone
                    known.MODULES.pop(name, None)
                else:
                    known.MODULES[name] = facts
            for name in staged.imported:  # saved since it was read: unknown
                state = fingerprint(source_path(self.journal.modules[name]))
                if state is not None and state[0] < self.started_ns:
                    known.LOADED[name] = state
        return dataclasses.replace(report, exclusive=exclusive)
