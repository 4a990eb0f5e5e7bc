"""Publish `IProductRefreshedEvent` after every refresh."""
from dataclasses import dataclass

from zope.event import notify
from zope.interface import implementer

from .interfaces import IProductRefreshedEvent


@implementer(IProductRefreshedEvent)
@dataclass(frozen=True)
class ProductRefreshedEvent:
    product: str
    modules: tuple
    duration: float
    mode: str
    error: Exception = None
    zcml: bool = False  # whether its ZCML was reloaded


def notify_refreshed(outcome, modes):
    for name in outcome.chain:
        report = outcome.package_report(name)
        notify(ProductRefreshedEvent(
            product=name,
            modules=report.executed if report else (),
            duration=outcome.report.seconds if outcome.ok else 0.0,
            mode=modes[name],
            error=None if outcome.ok else outcome.error.error,
            zcml=outcome.zcml.get(name) is not None))
