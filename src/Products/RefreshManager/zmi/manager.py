"""Each product's Refresh tab, ``Control_Panel/Products/<name>``: its page
and its actions.

Zope 2's names are kept (``manage_refresh``, ``manage_performRefresh``,
``manage_enableAutoRefresh``, ``manage_selectDependentProducts``) so old
scripts and bookmarks still work; unlike Zope 2 the actions take POST
only and refuse cross-site posts (see `actions`). Every URL below ``Control_Panel/
Products`` leads to a page of this product: the listing, a product's
Refresh tab, or a 404 page of our own for a product that is not
installed (our own, so the reason shows even where the site's error page
hides ``NotFound`` messages, as Plone's does).
"""
import json

from AccessControl.class_init import InitializeClass
from AccessControl.Permissions import view_management_screens
from AccessControl.SecurityInfo import ClassSecurityInfo
from Acquisition import Implicit
from Acquisition import aq_parent
from App.Management import Tabs
from OFS.Traversable import Traversable
from Products.PageTemplates.PageTemplateFile import PageTemplateFile
from ZPublisher import zpublish

from ..cluster import click
from ..cluster import status as cluster_status
from ..dependents import selection_problems
from ..permissions import RefreshProducts
from ..products import installed_products
from ..refresh import refresh_products
from ..restart import reasons
from ..settings import RefreshSettings
from . import restarting
from .actions import answer_action
from .actions import refresh_status
from .inputs import BadInput
from .inputs import product_names
from .inputs import refresh_mode
from .inputs import switch
from .tab import refresh_info


def _root(context):
    """The ZODB root, where settings and cluster requests live."""
    return context.getPhysicalRoot()._p_jar.root()


def settings_of(context):
    return RefreshSettings(_root(context))


def chosen_scope(context, scope):
    """The refresh's scope for the request's `scope` field (see
    `cluster.click`); BadInput if it cannot be had."""
    chosen, problem = click.choose_scope(_root(context), scope)
    if problem is not None:
        raise BadInput(problem)
    return chosen


def refresh_in_scope(context, names, products, with_zcml, scope, REQUEST):
    """Refresh the products `names` (and their ZCML, `with_zcml`) here and,
    for ``scope=cluster``, ask every process on the database; the
    action's ``(message, status)``. A cluster click records its request
    even when the refresh fails here, so every process tries and
    reports; only the failed refresh's own writes are undone."""
    root = _root(context)
    outcome = refresh_products(
        context.getPhysicalRoot(), names, products, settings_of(context),
        zcml=products if with_zcml else (), doom=scope != 'cluster')
    status = refresh_status(outcome, REQUEST)
    if status == 409:  # nothing was done, nor asked of the others
        return outcome.message(), status
    return outcome.message() + (
        click.ask_cluster(root, names, outcome) if scope == 'cluster'
        else click.this_process_only(root)), status


def redirect_to(view):
    """A method sending the browser to `view` of the same object: the
    page a person means at a URL that is not a page of its own."""

    @zpublish
    def redirect(self, REQUEST):
        """Redirect to the page meant."""
        return REQUEST.RESPONSE.redirect(f'{self.absolute_url()}/{view}')

    return redirect


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

    security.declareProtected(RefreshProducts, 'manage_refresh',
                              'scope_form', 'restart_form')
    manage_refresh = PageTemplateFile('www/refresh.pt', globals())
    scope_form = PageTemplateFile('www/scope.pt', globals())
    restart_form = PageTemplateFile('www/restart.pt', globals())

    security.declareProtected(RefreshProducts, 'index_html', 'manage_main')
    index_html = manage_main = redirect_to('manage_refresh')

    @security.protected(RefreshProducts)
    def refresh_info(self):
        """What the Refresh tab shows, as plain data."""
        info = refresh_info(self.product, settings_of(self))
        info['cluster'] = cluster_status.tab_info(_root(self),
                                                  self.product.name)
        info['restart'] = restarting.offer(
            reasons(self.product), aq_parent(self).absolute_url())
        return info

    def _act(self, REQUEST, change):
        """Answer an action by the rules of `answer_action`; refused
        (400) if the product has no refresh.txt."""
        refused = None if self.product.refreshable else (
            f'{self.product.name} is not refreshable: it has no '
            f'refresh.txt in {self.product.folder}. Nothing was changed.',
            400)
        return answer_action(REQUEST, change,
                             lambda R: self.manage_refresh(self, R),
                             f'{self.absolute_url()}/manage_refresh',
                             refused)

    @security.protected(RefreshProducts)
    @zpublish
    def manage_performRefresh(self, zcml=None, scope='', REQUEST=None):
        """Refresh this product's code, then its dependent products; with
        ``zcml`` on (see `switch`), their ZCML too: in every Zope process
        on the database (``scope=cluster``) or in this one
        (``scope=process``)."""

        def change():
            with_zcml = switch(zcml, 'zcml')
            chosen = chosen_scope(self, scope)
            return refresh_in_scope(self, [self.product.name],
                                    installed_products(), with_zcml, chosen,
                                    REQUEST)

        return self._act(REQUEST, change)

    @security.protected(RefreshProducts)
    @zpublish
    def manage_enableAutoRefresh(self, enable=None, REQUEST=None):
        """Turn auto-refresh of this product on or off (see `switch`)."""

        def change():
            enabled = switch(enable, 'enable')
            settings_of(self).set_auto_refresh(self.product.name, enabled)
            return ('Enabled auto refresh.' if enabled
                    else 'Disabled auto refresh.'), 200

        return self._act(REQUEST, change)

    @security.protected(RefreshProducts)
    @zpublish
    def manage_selectDependentProducts(self, selections=None, REQUEST=None):
        """Choose the products refreshed after this one."""

        def change():
            names = product_names(selections)
            settings = settings_of(self)
            refreshable = {name for name, product
                           in installed_products().items()
                           if product.refreshable}
            problems = selection_problems(
                self.product.name, names, refreshable, settings.dependents)
            if problems:
                raise BadInput(' '.join(problems)
                               + ' Dependent products were not changed.')
            settings.set_dependents(self.product.name, names)
            if names:
                return ('Dependent products saved: ' + ', '.join(names)
                        + '.'), 200
            return 'Dependent products cleared.', 200

        return self._act(REQUEST, change)

    @security.protected(RefreshProducts)
    @zpublish
    def manage_setRefreshMode(self, mode=None, REQUEST=None):
        """Refresh this product in place, or the classic Zope 2 way."""

        def change():
            chosen = refresh_mode(mode)
            settings_of(self).set_mode(self.product.name, chosen)
            return f'Refresh mode set to {chosen}.', 200

        return self._act(REQUEST, change)


    @security.protected(RefreshProducts)
    @zpublish(methods='GET')
    def manage_refreshStatus(self, REQUEST=None):
        """Where every Zope process on the database stands with cluster
        refreshes of this product, as JSON for scripts."""
        if REQUEST is not None:
            REQUEST.RESPONSE.setHeader('Content-Type', 'application/json')
        return json.dumps(cluster_status.product_status(
            _root(self), self.product.name))


InitializeClass(ProductRefresh)
