"""What a product's Refresh tab shows, as plain data for its template.

Each statement is about this product first (is auto-refresh on for it,
what its last refresh did, in its own time), then about the process.
"""
import time

from .. import autorefresh
from .. import state
from ..engine.record.sync import differences
from ..dependents import imports_from
from ..live import hub as live
from ..products import HIDDEN_FROM_ZOPE
from ..products import installed_products
from ..refresh import nothing_executed
from ..refresh import zcml_message
from ..wording import count


OWN_PACKAGE = __name__.rpartition('.zmi.')[0]  # Products.RefreshManager


def _when(timestamp):
    return time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(timestamp))


def auto_refresh_status(name, enabled, config):
    """Whether auto-refresh is on for product `name`, then whether and why
    it can run in this process (`config`: None until Zope started)."""
    product = f'Auto-refresh is {"on" if enabled else "off"} for {name}.'
    if config is None:
        return f'{product} It cannot run yet: Zope has not finished starting.'
    if not config.active:
        return f'{product} It cannot run in this process: {config.reason}.'
    how = ('operating system file events' if config.watcher == 'events'
           else f'a file scan every {config.poll_interval:g} s')
    return (f'{product} It {"runs" if enabled else "can run"} in this '
            f'process: {config.reason}; changes are noticed through {how}.')


def live_status(config, channel):
    """Whether open pages reload themselves after a refresh, and why (see
    `live.hub`: `config` is None until Zope started)."""
    if config is None:
        return ('Open pages do not reload themselves yet: Zope has not '
                'finished starting.')
    if not config.active:
        return (f'Open pages do not reload themselves after a refresh: '
                f'live reload is off ({config.reason}).')
    if channel is None:
        return ('Open pages do not reload themselves after a refresh: '
                'live reload could not listen (see the log).')
    host, port = channel.address
    return (f'Open pages reload themselves after a refresh: live reload is '
            f'on ({config.reason}); events on {host}:{port}, '
            f'{count(channel.listeners(), "browser")} following.')


def last_outcome(name):
    """The last refresh of product `name` in this process, or None."""
    outcome = state.last(name)
    if outcome is None:
        return None
    info = {
        'ok': outcome.ok,
        'when': _when(outcome.finished),
        'automatic': outcome.automatic,
        'requested_by': (', '.join(outcome.requested)
                         if name not in outcome.requested else None),
    }
    if outcome.ok:
        report = outcome.package_report(name)
        zcml = name in outcome.zcml
        info.update(
            nothing=nothing_executed(name) if outcome.did_nothing(name)
            else '',
            zcml=zcml_message(name, outcome.zcml[name]) if zcml else '',
            whole_site_for=list(getattr(outcome.zcml.get(name),
                                        'whole_site_for', ())),
            summary=(f'{count(len(report.executed), "module")} in '
                     f'{report.seconds * 1000:.1f} ms:'),
            exclusive=(f'Applied in {outcome.report.exclusive * 1000:.1f} '
                       'ms, during which no request ran.'),
            in_place=report.in_place,
            modules=list(report.executed),
            replaced=[f'{what}: {why}' for what, why in report.replaced],
            removed=list(report.removed),
            patch_modules=[f'{module}: {why}'
                           for module, why in report.patch_modules],
            restored=list(report.restored),
            cycles=[' \u2192 '.join(edge) for edge in report.broken_cycles])
    else:
        error = outcome.error
        info.update(
            failed_package=error.package,
            error_type=type(error.error).__name__,
            error_message=str(error.error),
            traceback=outcome.error_traceback)
    return info


def sync_status(product):
    """Whether what `product` runs is what its files say: the
    differences, each with what to do, and what the check took."""
    started = time.perf_counter()
    found = differences(product.package, product.folder)
    modules = len(product.loaded_modules())
    return {
        'in_sync': not found,
        'differences': [{'module': d.module, 'what': d.what, 'todo': d.todo}
                        for d in found],
        'checked': (f'{count(modules, "module")} checked in '
                    f'{(time.perf_counter() - started) * 1000:.1f} ms'),
    }


def _candidates(product, products, chosen):
    """The products that may be chosen as `product`'s dependents: those
    that import from it first, then the other refreshable ones; not
    RefreshManager itself, which depends on no product."""
    found = [{'name': name, 'checked': name in chosen,
              'imports': imports_from(product.package, other.package)}
             for name, other in products.items()
             if other.refreshable and name != product.name
             and (other.package != OWN_PACKAGE or name in chosen)]
    return sorted(found, key=lambda c: (not c['imports'], c['name']))


def refresh_info(product, settings):
    """Everything the tab of `product` shows."""
    products = installed_products()
    chosen = settings.dependents(product.name)
    enabled = settings.auto_refresh(product.name)
    return {
        'name': product.name,
        'package': product.package,
        'folder': product.folder,
        'refreshable': product.refreshable,
        'hidden_from_zope': (HIDDEN_FROM_ZOPE if product.hidden_from_zope
                             else None),
        'warning': product.warning,
        'modules': product.loaded_modules(),
        'auto_refresh': enabled,
        'auto_refresh_status': auto_refresh_status(
            product.name, enabled, autorefresh.config),
        'live_status': live_status(live.config, live.channel),
        'mode': settings.mode(product.name),
        'candidates': _candidates(product, products, chosen),
        'missing_dependents': [
            name for name in chosen
            if name not in products or not products[name].refreshable],
        'last': last_outcome(product.name),
        'sync': sync_status(product) if product.refreshable else None,
    }
