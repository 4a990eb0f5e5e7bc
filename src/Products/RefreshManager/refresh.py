"""Refresh a product and its dependents in a running Zope.

Ties the engine to Zope: the product's dependents and refresh mode from
the settings, the product registrations redone after the reload, the ZODB
caches flagged where classes were replaced (so persistent objects come
back with the new ones), the outcome kept for the Refresh tab, written to
the log and published as an event.
"""
import logging
import time
from dataclasses import dataclass
from dataclasses import field

from ZODB.Connection import resetCaches

from . import state
from .dependents import refresh_chain
from .engine.refresh import RefreshError
from .engine.refresh import refresh_packages
from .events import notify_refreshed
from .initializer import reinitializer


logger = logging.getLogger('Products.RefreshManager')


@dataclass(frozen=True)
class Outcome:
    requested: tuple  # the products whose refresh was asked for
    chain: tuple  # they and their dependents, in refresh order
    automatic: bool = False  # asked for by auto-refresh, not a person
    finished: float = field(default_factory=time.time)
    report: object = None  # engine RefreshReport on success
    error: RefreshError = None
    skipped: tuple = ()  # dependents no longer installed or refreshable

    @property
    def ok(self):
        return self.error is None

    def package_report(self, name):
        """The engine's report on product `name`, if the refresh worked:
        the engine reports on the chain's packages in the chain's order."""
        if self.report is None:
            return None
        return self.report.packages[self.chain.index(name)]

    def message(self):
        if not self.ok:
            return (f'An exception occurred while refreshing '
                    f'{self.error.package}: {type(self.error.error).__name__}:'
                    f' {self.error.error}. Nothing was changed: the previous '
                    f'code is still in use.')
        modules = sum(len(r.reloaded) + len(r.imported)
                      for r in self.report.packages)
        if modules:
            text = (f'Product refreshed. {modules} modules reloaded in '
                    f'{self.report.seconds * 1000:.0f} ms.')
        else:
            text = ('Product refreshed. No module changed since the last '
                    'refresh, so none was loaded again; the product was '
                    'registered again.')
        dependents = [n for n in self.chain if n not in self.requested]
        if dependents:
            text += (' Dependent products refreshed too: '
                     + ', '.join(dependents) + '.')
        if self.skipped:
            text += (' Skipped dependents that are not installed or not '
                     'refreshable: ' + ', '.join(self.skipped) + '.')
        return text


def refresh_products(app, names, products, settings, automatic=False):
    """Refresh the products `names` of `products`, then their dependents.

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
    state.changes.take(chain)
    packages = [products[product].package for product in chain]
    modes = {product: settings.mode(product) for product in chain}
    classic = {products[product].package for product in chain
               if modes[product] == 'classic'}
    try:
        report = refresh_packages(packages, reinitializer(app), classic)
    except RefreshError as error:
        outcome = Outcome(names, chain, automatic, error=error,
                          skipped=tuple(skipped))
        logger.error('refresh of %s failed, previous code kept',
                     ', '.join(packages), exc_info=error.error)
    else:
        if report.classes_replaced:
            # Every connection drops its cached objects when next opened,
            # so they are loaded again with the new classes.
            resetCaches()
        outcome = Outcome(names, chain, automatic, report=report,
                          skipped=tuple(skipped))
        for package in report.packages:
            modules = package.reloaded + package.imported
            logger.info('refreshed %s %s (%d modules, %.1f ms): %s',
                        package.package,
                        'in place' if package.in_place else 'classic',
                        len(modules), report.seconds * 1000,
                        ', '.join(modules))
            for name, why in package.replaced:
                logger.info('replaced %s, not updated in place: %s', name,
                            why)
            for name, why in package.patch_modules:
                logger.info('patch module %s not run again: %s', name, why)
    state.record(chain, outcome)
    notify_refreshed(outcome, modes)
    return outcome
