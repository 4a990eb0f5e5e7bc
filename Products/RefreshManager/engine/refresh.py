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

from .execute import execute_fresh
from .journal import Journal
from .lock import REFRESH_LOCK
from .modules import in_package
from .plan import plan_package


@dataclass(frozen=True)
class PackageReport:
    package: str
    reloaded: tuple  # module names, in the order they were executed
    imported: tuple  # modules first imported by this refresh
    removed: tuple  # modules dropped because their file is gone
    broken_cycles: tuple  # (module, imported module) edges ignored


@dataclass(frozen=True)
class RefreshReport:
    packages: tuple
    seconds: float


class RefreshError(Exception):
    """A refresh failed and was rolled back."""

    def __init__(self, package, error):
        super().__init__(f'{package}: {type(error).__name__}: {error}')
        self.package = package
        self.error = error
        self.traceback = ''.join(traceback.format_exception(error))


def _refresh_package(package, journal, after_load):
    plan = plan_package(package, journal.modules)
    before = set(journal.modules)
    journal.new_modules_under(package)
    removed = []
    for step in plan.steps:
        if execute_fresh(step, journal) is None:
            removed.append(step.name)
    module = importlib.import_module(package)
    if after_load is not None:
        after_load(package, module, journal)
    return PackageReport(
        package=package,
        reloaded=tuple(s.name for s in plan.steps if s.name not in removed),
        imported=tuple(sorted(n for n in journal.modules
                              if n not in before and in_package(n, package))),
        removed=tuple(removed),
        broken_cycles=plan.broken_cycles,
    )


def refresh_packages(packages, after_load=None):
    """Reload every loaded module of each package, in the order given.

    `after_load(package, module, journal)` runs after a package's modules
    are reloaded (Zope re-registers the product there); what it changes
    through the journal is rolled back with the rest. Raises RefreshError
    after rolling back when anything fails.
    """
    with REFRESH_LOCK:
        started = time.perf_counter()
        importlib.invalidate_caches()  # see files added since the last import
        journal = Journal(sys.modules)
        reports = []
        for package in packages:
            try:
                reports.append(_refresh_package(package, journal, after_load))
            except BaseException as error:
                journal.rollback()
                if isinstance(error, KeyboardInterrupt):
                    raise
                raise RefreshError(package, error) from error
        return RefreshReport(tuple(reports), time.perf_counter() - started)
