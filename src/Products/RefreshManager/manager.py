"""The ZMI: ``Control_Panel/Products`` and each product's Refresh tab.

Zope 2's names are kept (``manage_refresh``, ``manage_performRefresh``,
``manage_enableAutoRefresh``, ``manage_selectDependentProducts``) so old
scripts and bookmarks still work; unlike Zope 2 the actions take POST
only and refuse cross-site posts.
"""
import json
import time
from urllib.parse import quote

from AccessControl.class_init import InitializeClass
from AccessControl.Permissions import view_management_screens
from AccessControl.SecurityInfo import ClassSecurityInfo
from Acquisition import Implicit
from App.ApplicationManager import ApplicationManager
from App.Management import Tabs
from OFS.Traversable import Traversable
from Products.PageTemplates.PageTemplateFile import PageTemplateFile
from zExceptions import NotFound
from ZPublisher import zpublish

from . import autorefresh
from . import state
from .cluster import click
from .cluster import status as cluster_status
from .dependents import selection_problems
from .guard import check_same_origin
from .permissions import RefreshProducts
from .products import HIDDEN_FROM_ZOPE
from .products import installed_products
from .refresh import refresh_products
from .settings import MODES
from .settings import RefreshSettings


TAB_LABEL = 'Products'


def _root(context):
    """The ZODB root, where settings and cluster requests live."""
    return context.getPhysicalRoot()._p_jar.root()


def _settings(context):
    return RefreshSettings(_root(context))


def _when(timestamp):
    return time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(timestamp))


class ProductRefresh(Tabs, Traversable, Implicit):
    """One installed product, as ``Control_Panel/Products/<name>``."""

    security = ClassSecurityInfo()
    security.declareObjectProtected(view_management_screens)
    meta_type = 'Product'
    zmi_icon = 'fas fa-puzzle-piece'
    manage_options = ({'label': 'Refresh', 'action': 'manage_refresh'},)

    def __init__(self, product):
        self.product = product
        self.id = self.title = product.name

    security.declareProtected(RefreshProducts, 'manage_refresh')
    manage_refresh = PageTemplateFile('www/refresh.pt', globals())

    @security.protected(RefreshProducts)
    def refresh_info(self):
        """What the Refresh tab shows, as plain data."""
        product = self.product
        products = installed_products()
        settings = _settings(self)
        chosen = settings.dependents(product.name)
        return {
            'name': product.name,
            'package': product.package,
            'folder': product.folder,
            'refreshable': product.refreshable,
            'hidden_from_zope': (HIDDEN_FROM_ZOPE if product.hidden_from_zope
                                 else None),
            'warning': product.warning,
            'modules': product.loaded_modules(),
            'auto_refresh': settings.auto_refresh(product.name),
            'auto_refresh_mode': self._auto_refresh_mode(),
            'mode': settings.mode(product.name),
            'candidates': [
                {'name': name, 'checked': name in chosen}
                for name, other in sorted(products.items())
                if other.refreshable and name != product.name],
            'missing_dependents': [
                name for name in chosen
                if name not in products or not products[name].refreshable],
            'last': self._last_outcome(),
            'cluster': cluster_status.tab_info(_root(self), product.name),
        }

    def _auto_refresh_mode(self):
        config = autorefresh.config
        if config is None:
            return 'Auto-refresh is off: Zope has not finished starting.'
        if not config.active:
            return f'Auto-refresh is off in this process: {config.reason}.'
        how = ('operating system file events' if config.watcher == 'events'
               else f'a file scan every {config.poll_interval:g} s')
        return (f'Auto-refresh is on in this process: {config.reason}. '
                f'Changes are noticed through {how}.')

    def _last_outcome(self):
        outcome = state.last(self.product.name)
        if outcome is None:
            return None
        info = {
            'ok': outcome.ok,
            'when': _when(outcome.finished),
            'automatic': outcome.automatic,
            'requested_by': (', '.join(outcome.requested)
                             if self.product.name not in outcome.requested
                             else None),
            'chain': outcome.chain,
        }
        if outcome.ok:
            report = outcome.package_report(self.product.name)
            info.update(
                milliseconds=f'{outcome.report.seconds * 1000:.1f}',
                in_place=report.in_place,
                modules=list(report.reloaded + report.imported),
                replaced=[f'{name}: {why}' for name, why in report.replaced],
                removed=list(report.removed),
                cycles=[' \u2192 '.join(edge)
                        for edge in report.broken_cycles])
        else:
            error = outcome.error
            info.update(
                failed_package=error.package,
                error_type=type(error.error).__name__,
                error_message=str(error.error),
                traceback=error.traceback)
        return info

    def _answer(self, REQUEST, message, kind='success', status=200):
        if REQUEST is None:
            return message
        REQUEST.set('manage_tabs_message', message)
        REQUEST.set('manage_tabs_type', kind)
        REQUEST.RESPONSE.setStatus(status)
        return self.manage_refresh(self, REQUEST)

    def _refusal(self, REQUEST):
        """Check the request; an answer refusing it, or None to go on."""
        if REQUEST is not None:
            check_same_origin(REQUEST)
        if not self.product.refreshable:
            return self._answer(
                REQUEST,
                f'{self.product.name} is not refreshable: it has no '
                f'refresh.txt in {self.product.folder}. Nothing was changed.',
                'danger', 400)
        return None

    @security.protected(RefreshProducts)
    @zpublish(methods='POST')
    def manage_performRefresh(self, scope='', REQUEST=None):
        """Refresh this product's code, then its dependent products: in
        every Zope process on the database (``scope=cluster``) or in
        this one (``scope=process``)."""
        refusal = self._refusal(REQUEST)
        if refusal is not None:
            return refusal
        root = _root(self)
        scope, problem = click.choose_scope(root, scope)
        if problem is not None:
            return self._answer(REQUEST, problem, 'danger', 400)
        outcome = refresh_products(
            self.getPhysicalRoot(), [self.product.name], installed_products(),
            _settings(self))
        message = outcome.message() + (
            click.ask_cluster(root, self.product.name, outcome)
            if scope == 'cluster' else click.this_process_only(root))
        if outcome.ok:
            return self._answer(REQUEST, message)
        return self._answer(REQUEST, message, 'danger', 422)

    @security.protected(RefreshProducts)
    @zpublish(methods='GET')
    def manage_refreshStatus(self, REQUEST=None):
        """Where every Zope process on the database stands with cluster
        refreshes of this product, as JSON for scripts."""
        if REQUEST is not None:
            REQUEST.RESPONSE.setHeader('Content-Type', 'application/json')
        return json.dumps(cluster_status.product_status(
            _root(self), self.product.name))

    @security.protected(RefreshProducts)
    @zpublish(methods='POST')
    def manage_enableAutoRefresh(self, enable=False, REQUEST=None):
        """Turn auto-refresh of this product on (``enable`` given) or off."""
        refusal = self._refusal(REQUEST)
        if refusal is not None:
            return refusal
        _settings(self).set_auto_refresh(self.product.name, bool(enable))
        return self._answer(
            REQUEST,
            'Enabled auto refresh.' if enable else 'Disabled auto refresh.')

    @security.protected(RefreshProducts)
    @zpublish(methods='POST')
    def manage_selectDependentProducts(self, selections=(), REQUEST=None):
        """Choose the products refreshed after this one."""
        refusal = self._refusal(REQUEST)
        if refusal is not None:
            return refusal
        if isinstance(selections, str):
            selections = [selections]
        selections = [name for name in dict.fromkeys(selections) if name]
        settings = _settings(self)
        refreshable = {name for name, product in installed_products().items()
                       if product.refreshable}
        problems = selection_problems(
            self.product.name, selections, refreshable, settings.dependents)
        if problems:
            return self._answer(
                REQUEST,
                ' '.join(problems) + ' Dependent products were not changed.',
                'danger', 400)
        settings.set_dependents(self.product.name, selections)
        if selections:
            return self._answer(
                REQUEST, 'Dependent products saved: '
                + ', '.join(selections) + '.')
        return self._answer(REQUEST, 'Dependent products cleared.')

    @security.protected(RefreshProducts)
    @zpublish(methods='POST')
    def manage_setRefreshMode(self, mode='', REQUEST=None):
        """Refresh this product in place, or the classic Zope 2 way."""
        refusal = self._refusal(REQUEST)
        if refusal is not None:
            return refusal
        if mode not in MODES:
            return self._answer(
                REQUEST, f'Unknown refresh mode {mode!r}: choose one of '
                f'{", ".join(MODES)}. Nothing was changed.', 'danger', 400)
        _settings(self).set_mode(self.product.name, mode)
        return self._answer(REQUEST, f'Refresh mode set to {mode}.')


InitializeClass(ProductRefresh)


def _control_panel_tabs(prefix):
    """Control_Panel's tabs as seen from one of its sub-objects."""
    return tuple(dict(option, action=prefix + option['action'])
                 for option in ApplicationManager.manage_options
                 if option['label'] != TAB_LABEL)


class ProductFolder(Tabs, Traversable, Implicit):
    """``Control_Panel/Products``: the installed products."""

    security = ClassSecurityInfo()
    id = 'Products'
    name = title = 'Products'
    meta_type = 'Product Management'
    zmi_icon = 'fas fa-puzzle-piece'
    MANAGE_TABS_NO_BANNER = True
    manage_options = _control_panel_tabs('../') + (
        {'label': TAB_LABEL, 'action': 'manage_main'},)

    security.declareProtected(view_management_screens, 'manage_main')
    manage_main = PageTemplateFile('www/products.pt', globals())

    def __getitem__(self, name):
        product = installed_products().get(name)
        if product is None:
            raise KeyError(name)
        return ProductRefresh(product).__of__(self)

    def __bobo_traverse__(self, request, name):
        try:
            return self[name]
        except KeyError:
            pass
        try:
            return getattr(self, name)
        except AttributeError:
            raise NotFound(
                f'No product named {name!r} is installed. '
                f'Control_Panel/Products lists the installed ones.'
            ) from None

    @security.protected(view_management_screens)
    def product_rows(self):
        """The products for the listing, as plain data."""
        settings = _settings(self)
        return [{
            'name': name,
            'url': quote(name),
            'package': product.package,
            'refreshable': product.refreshable,
            'hidden_from_zope': (HIDDEN_FROM_ZOPE if product.hidden_from_zope
                                 else None),
            'loaded': len(product.loaded_modules()),
            'auto_refresh': settings.auto_refresh(name),
            'dependents': ', '.join(settings.dependents(name)),
        } for name, product in sorted(installed_products().items())]


InitializeClass(ProductFolder)
