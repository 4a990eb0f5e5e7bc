"""Refresh a product and its dependents in a running Zope.

Ties the engine to Zope: the product's dependents and refresh mode from
the settings, the product registrations redone after the reload, the ZODB
caches flagged where classes were replaced (so persistent objects come
back with the new ones), the outcome kept for the Refresh tab, written to
the log and published as an event.

A failed refresh leaves no trace in the database either: what the
product's ``initialize()`` wrote before it failed is rolled back to a
savepoint, and a refresh a person asked for dooms the request's
transaction, so its answer commits nothing at all.
"""
import logging
import time
from dataclasses import dataclass
from dataclasses import field

import transaction
from ZODB.Connection import resetCaches

from . import state
from .config import zope_refresh_timeout
from .dependents import refresh_chain
from .engine.stage.lock import RefreshBusy
from .engine.apply.refresh import RefreshError
from .engine.apply.refresh import refresh_packages
from .events import notify_refreshed
from .failures import user_traceback
from .initializer import reinitializer
from .wording import count


logger = logging.getLogger('Products.RefreshManager')
# How long a refresh asked for waits for another one to finish: a normal
# refresh takes milliseconds; one stuck until the time limit must not
# hold a worker thread for each refresh asked for meanwhile.
BUSY_WAIT = 1.0


def nothing_executed(names):
    return (f'No file of {names} changed since the last refresh; nothing '
            f'was executed.')


@dataclass(frozen=True)
class Outcome:
    requested: tuple  # the products whose refresh was asked for
    chain: tuple  # they and their dependents, in refresh order
    automatic: bool = False  # asked for by auto-refresh, not a person
    finished: float = field(default_factory=time.time)
    report: object = None  # engine RefreshReport on success
    error: RefreshError = None
    error_traceback: str = ''  # the error in terms of the product's code
    skipped: tuple = ()  # dependents no longer installed or refreshable
    zcml: dict = field(default_factory=dict)  # product: ZCMLReport or None

    @property
    def ok(self):
        return self.error is None

    @property
    def busy(self):
        """The `RefreshBusy` that kept this refresh from running, or None."""
        error = self.error and self.error.error
        return error if isinstance(error, RefreshBusy) else None

    def retry_after(self):
        """Seconds until the running refresh is stopped at the latest."""
        return max(1, round(zope_refresh_timeout() - self.busy.elapsed()))

    def package_report(self, name):
        """The engine's report on product `name`, if the refresh worked:
        the engine reports on the chain's packages in the chain's order."""
        if self.report is None:
            return None
        return self.report.packages[self.chain.index(name)]

    def did_nothing(self, name):
        """Whether the refresh of product `name` worked and changed
        nothing: no module, no ZCML."""
        report = self.package_report(name)
        return report is not None and not report.changed \
            and name not in self.zcml

    def message(self):
        if self.busy is not None:
            return (f'Another refresh is running ({self.busy.running}, '
                    f'started {self.busy.elapsed():.1f} s ago; it is stopped '
                    f'at the time limit of {zope_refresh_timeout():g} s at '
                    f'the latest). Nothing was done: refresh '
                    f'{", ".join(self.requested)} again once it has '
                    f'finished.')
        if not self.ok:
            return (f'An exception occurred while refreshing '
                    f'{self.error.package}: {type(self.error.error).__name__}:'
                    f' {self.error.error}. Nothing was changed: the previous '
                    f'code is still in use.')
        dependents = [n for n in self.chain if n not in self.requested]
        if all(self.did_nothing(name) for name in self.chain):
            names = ', '.join(self.requested)
            if dependents:
                names += (' or of its dependent products ('
                          + ', '.join(dependents) + ')')
            text = nothing_executed(names)
        else:
            # The requested products' own numbers, as their tabs show
            # them; with dependents, the whole refresh's too, and why.
            own = [self.package_report(name) for name in self.requested]
            head = 'Product refreshed.' if len(own) == 1 else (
                'Products refreshed: ' + ', '.join(self.requested) + '.')
            text = (f'{head} '
                    f'{count(sum(len(r.executed) for r in own), "module")} '
                    f'reloaded in {sum(r.seconds for r in own) * 1000:.1f} '
                    f'ms.')
            for name, zcml in self.zcml.items():
                text += ' ' + zcml_message(name, zcml)
            if dependents:
                text += (' Dependent products refreshed too: '
                         + ', '.join(dependents) + '.')
            if dependents or len(own) > 1:
                text += ' ' + self._in_all()
        if self.skipped:
            text += (' Skipped dependents that are not installed or not '
                     'refreshable: ' + ', '.join(self.skipped) + '.')
        return text


    def _in_all(self):
        reports = self.report.packages
        each = ', '.join(f'{name} {len(report.executed)}'
                         for name, report in zip(self.chain, reports))
        return (f'In all {count(sum(len(r.executed) for r in reports), "module")}'
                f' ({each}), {self.report.seconds * 1000:.1f} ms with planning'
                f' and applying.')


def zcml_message(name, report):
    if report is None:
        return f'{name} has no ZCML to reload.'
    counts = (f'{count(report.removed, "registration")} taken out, '
              f'{report.added} made, from {count(len(report.files), "file")}'
              f', in {report.seconds * 1000:.0f} ms.')
    if report.whole_site_for:
        first, *others = report.whole_site_for
        also = f' and {count(len(others), "other directive")}' if others \
            else ''
        return (f'ZCML of {name} reloaded with the whole site '
                f'configuration, since {first}{also} cannot be undone for '
                f'{name} alone: ' + counts)
    return f'ZCML of {name} reloaded: ' + counts


def _log_success(outcome):
    for name, package in zip(outcome.chain, outcome.report.packages):
        if name in outcome.zcml:
            logger.info('%s', zcml_message(name, outcome.zcml[name]))
            for directive in getattr(outcome.zcml[name], 'whole_site_for',
                                     ()):
                logger.info('%s: not undoable alone: %s', name, directive)
        for patch, why in package.patch_modules:
            logger.info('patch module %s not run again: %s', patch, why)
        if outcome.did_nothing(name):
            logger.info('%s', nothing_executed(name))
        if not package.executed:
            continue
        logger.info('refreshed %s %s (%s, %.1f ms): %s', package.package,
                    'in place' if package.in_place else 'classic',
                    count(len(package.executed), 'module'),
                    package.seconds * 1000, ', '.join(package.executed))
        for replaced, why in package.replaced:
            logger.info('replaced %s, not updated in place: %s', replaced,
                        why)
        for kept, entries in package.kept:
            logger.info('kept %s of %s that the new code does not make '
                        '(registered at run time by other code, or taken '
                        'out of the source: then restart)',
                        f'{entries} entr{"y" if entries == 1 else "ies"}',
                        kept)


def _discard_writes(savepoint, doom):
    """Undo what a failed refresh wrote to the ZODB, and `doom` the
    transaction: a refresh a person asked for failed, so nothing the
    request did is committed. Auto-refresh runs while a request or a
    script (``Zope2.app()``) opens the database, and a cluster click
    still records its request: their transaction goes on, without the
    refresh's writes.
    """
    try:
        savepoint.rollback()
    except TypeError:  # a data manager that cannot go back to a savepoint
        doom = True
    if doom:
        transaction.doom()


def _reset_caches(report):
    """Where classes were replaced, every connection drops its cached
    objects when next opened, so they are loaded again with the new
    classes: before any request runs on the new code."""
    if report.classes_replaced:
        resetCaches()


def refresh_products(app, names, products, settings, automatic=False,
                     zcml=(), doom=None):
    """Refresh the products `names` of `products`, then their dependents;
    reload the ZCML of those of them in `zcml` too. On failure the
    transaction is doomed (`doom`; by default unless `automatic`).

    All of them are refreshed, or none: on failure the engine has rolled
    back and the previous code keeps serving. Their pending file changes
    are taken first, so an edit made while the refresh runs marks them
    again, and a failed refresh is not retried until a file changes.
    """
    skipped = []

    def dependents_of(product):
        found = []
        for dependent in settings.dependents(product):
            if dependent in products and products[dependent].refreshable:
                found.append(dependent)
            elif dependent not in skipped:
                skipped.append(dependent)
        return found

    names = tuple(names)
    chain = tuple(refresh_chain(names, dependents_of))
    taken = state.changes.take(chain)
    packages = [products[product].package for product in chain]
    modes = {product: settings.mode(product) for product in chain}
    classic = {products[product].package for product in chain
               if modes[product] == 'classic'}
    zcml_packages = {products[product].package for product in chain
                     if product in zcml}
    zcml_reports = {}
    savepoint = transaction.savepoint(optimistic=True)
    try:
        report = refresh_packages(
            packages, reinitializer(app, zcml_packages, zcml_reports),
            classic, zcml_packages, zope_refresh_timeout(), _reset_caches,
            wait=None if automatic else BUSY_WAIT)
    except RefreshError as error:
        if isinstance(error.error, RefreshBusy):  # nothing was done
            state.changes.mark(taken)
            outcome = Outcome(names, chain, automatic, error=error)
            logger.warning('refresh of %s not run: %s', ', '.join(names),
                           error.error)
            return outcome
        _discard_writes(savepoint,
                        (not automatic) if doom is None else doom)
        failed = next(products[name] for name in chain
                      if products[name].package == error.package)
        outcome = Outcome(names, chain, automatic, error=error,
                          error_traceback=user_traceback(error.error,
                                                         failed.folder),
                          skipped=tuple(skipped))
        logger.error('refresh of %s failed, previous code kept',
                     ', '.join(packages), exc_info=error.error)
    else:
        outcome = Outcome(
            names, chain, automatic, report=report, skipped=tuple(skipped),
            zcml={name: zcml_reports[products[name].package]
                  for name in chain
                  if products[name].package in zcml_reports})
        _log_success(outcome)
    state.record(chain, outcome)
    notify_refreshed(outcome, modes)
    return outcome
