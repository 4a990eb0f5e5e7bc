"""Refresh a product and its dependents in a running Zope.

Ties the engine to Zope: the product's dependents from the settings, the
product registrations redone after the reload, the ZODB caches flagged so
persistent objects come back with the new classes, the outcome kept for
the Refresh tab and written to the log.
"""
import logging
import time
from dataclasses import dataclass
from dataclasses import field

from ZODB.Connection import resetCaches

from . import status
from .dependents import refresh_chain
from .engine.refresh import RefreshError
from .engine.refresh import refresh_packages
from .initializer import reinitializer


logger = logging.getLogger('Products.RefreshManager')


@dataclass(frozen=True)
class Outcome:
    product: str  # the product whose refresh was asked for
    chain: tuple  # it and its dependents, in refresh order
    finished: float = field(default_factory=time.time)
    report: object = None  # engine RefreshReport on success
    error: RefreshError = None
    skipped: tuple = ()  # dependents no longer installed or refreshable

    @property
    def ok(self):
        return self.error is None

    def package_report(self, name, products):
        if self.report is not None:
            for report in self.report.packages:
                if report.package == products[name].package:
                    return report
        return None

    def message(self):
        if not self.ok:
            return (f'An exception occurred while refreshing '
                    f'{self.error.package}: {type(self.error.error).__name__}:'
                    f' {self.error.error}. Nothing was changed: the previous '
                    f'code is still in use.')
        modules = sum(len(r.reloaded) + len(r.imported)
                      for r in self.report.packages)
        text = (f'Product refreshed. {modules} modules reloaded in '
                f'{self.report.seconds * 1000:.0f} ms.')
        if len(self.chain) > 1:
            text += ' Dependent products refreshed too: ' + ', '.join(
                self.chain[1:]) + '.'
        if self.skipped:
            text += (' Skipped dependents that are not installed or not '
                     'refreshable: ' + ', '.join(self.skipped) + '.')
        return text


def refresh_product(app, name, products, settings):
    """Refresh product `name` of `products`, then its dependents.

    All of them are refreshed, or none: on failure the engine has rolled
    back and the previous code keeps serving.
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

    chain = tuple(refresh_chain(name, dependents_of))
    packages = [products[product].package for product in chain]
    try:
        report = refresh_packages(packages, reinitializer(app))
    except RefreshError as error:
        outcome = Outcome(name, chain, error=error, skipped=tuple(skipped))
        logger.error('refresh of %s failed, previous code kept',
                     ', '.join(packages), exc_info=error.error)
    else:
        # Every connection drops its cached objects when next opened, so
        # they are loaded again with the new classes.
        resetCaches()
        outcome = Outcome(name, chain, report=report, skipped=tuple(skipped))
        for package in report.packages:
            modules = package.reloaded + package.imported
            logger.info('refreshed %s (%d modules, %.1f ms): %s',
                        package.package, len(modules), report.seconds * 1000,
                        ', '.join(modules))
    status.record(chain, outcome)
    return outcome
