"""``Control_Panel/Products``: the installed products, which of them have
files changed since they were loaded, **Refresh all changed**, and a page
for a name no product has."""
from urllib.parse import quote

from AccessControl import getSecurityManager
from AccessControl.class_init import InitializeClass
from AccessControl.Permissions import view_management_screens
from AccessControl.SecurityInfo import ClassSecurityInfo
from Acquisition import Implicit
from Acquisition import aq_parent
from App.ApplicationManager import ApplicationManager
from App.Management import Tabs
from OFS.Traversable import Traversable
from Products.PageTemplates.PageTemplateFile import PageTemplateFile
from ZPublisher import zpublish

from ..cluster import status as cluster_status
from ..dependents import import_order
from ..engine.read.modules import modules_by_package
from ..engine.record.sync import differences
from ..permissions import RefreshProducts
from ..products import HIDDEN_FROM_ZOPE
from ..products import installed_products
from ..restart import reasons
from .actions import answer_action
from .answers import deny_framing
from .inputs import switch
from . import restarting
from .manager import ProductRefresh
from .manager import chosen_scope
from .manager import redirect_to
from .manager import refresh_in_scope
from .manager import settings_of


TAB_LABEL = 'Products'


class UnknownProduct(Implicit):
    """``Control_Panel/Products/<name>`` when no product has that name,
    with any view or action after it: a 404 page saying so."""

    security = ClassSecurityInfo()
    security.declareObjectProtected(view_management_screens)
    index_html = None  # not the default view acquired from the root
    not_found = PageTemplateFile('www/unknown.pt', globals())

    def __init__(self, name):
        self.name = name

    def __bobo_traverse__(self, request, name):
        return self

    @zpublish
    def __call__(self, REQUEST):
        """The 404 page."""
        REQUEST.RESPONSE.setStatus(404)
        return self.not_found(
            self, REQUEST, name=self.name,
            listing=f'{aq_parent(self).absolute_url()}/manage_main')


InitializeClass(UnknownProduct)


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

    security.declareProtected(view_management_screens, 'manage_main',
                              'scope_form', 'restart_form')
    manage_main = PageTemplateFile('www/products.pt', globals())
    scope_form = PageTemplateFile('www/scope.pt', globals())
    restart_form = PageTemplateFile('www/restart.pt', globals())
    restarting = PageTemplateFile('www/restarting.pt', globals())

    # Its first tab is Control_Panel's; the breadcrumb and the bare URL
    # mean this listing.
    security.declareProtected(view_management_screens, 'index_html',
                              'manage_workspace')
    index_html = manage_workspace = redirect_to('manage_main')

    def __before_publishing_traverse__(self, object, request):
        deny_framing(request.RESPONSE)

    def __getitem__(self, name):
        product = installed_products(only=name).get(name)
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
            return UnknownProduct(name).__of__(self)

    @security.protected(view_management_screens)
    def product_rows(self):
        """The products for the listing, as plain data."""
        settings = settings_of(self)
        products = installed_products()
        loaded = modules_by_package(p.package for p in products.values())
        rows = []
        for name, product in sorted(products.items()):
            found = _differences(product)
            restart_needed = reasons(product, found)
            rows.append({
                'name': name,
                'url': quote(name),
                'package': product.package,
                'refreshable': product.refreshable,
                'hidden_from_zope': (HIDDEN_FROM_ZOPE
                                     if product.hidden_from_zope else None),
                'loaded': len(loaded[product.package]),
                'differs': '; '.join(f'{d.module}: {d.what}' for d in found),
                'changed': any(d.in_files for d in found),
                'auto_refresh': settings.auto_refresh(name),
                'dependents': ', '.join(settings.dependents(name)),
                'restart': '; '.join(restart_needed),
            })
        return rows

    @security.protected(view_management_screens)
    def restart_offer(self, rows):
        """Restart Zope, when a product of `rows` needs it."""
        return restarting.offer(
            [f"{row['name']}: {row['restart']}" for row in rows
             if row['restart']], self.absolute_url())

    @security.protected(RefreshProducts)
    @zpublish
    def manage_restart(self, REQUEST=None):
        """Restart Zope, in debug mode, when runwsgi started it: the
        running requests finish, then the process executes itself again
        with the same arguments; refused (409) with the reason
        otherwise."""
        user = getSecurityManager().getUser().getUserName()

        def page(REQUEST):
            if REQUEST.RESPONSE.getStatus() != 202:
                return self.manage_main(self, REQUEST)
            return self.restarting(
                self, REQUEST, started=restarting.started(),
                back=restarting.back_to(REQUEST, self.absolute_url()),
                probe=f'{self.absolute_url()}/manage_processStarted')

        return answer_action(REQUEST, lambda: restarting.restart_now(user),
                             page, f'{self.absolute_url()}/manage_main')

    @security.protected(view_management_screens)
    @zpublish(methods='GET')
    def manage_processStarted(self, REQUEST=None):
        """When this Zope process started, for the page that waits for a
        restart."""
        if REQUEST is not None:
            REQUEST.RESPONSE.setHeader('Content-Type', 'text/plain')
            REQUEST.RESPONSE.setHeader('Cache-Control', 'no-store')
        return restarting.started()

    @security.protected(view_management_screens)
    def cluster_scope(self):
        """The listing's choice of scope for Refresh all changed."""
        return cluster_status.scope_choice(
            self.getPhysicalRoot()._p_jar.root())

    @security.protected(RefreshProducts)
    @zpublish
    def manage_refreshChanged(self, zcml=None, scope='', REQUEST=None):
        """Refresh every refreshable product whose files changed since
        its code was loaded, auto-refresh on or off, each after the
        products it imports from, then their dependents, as one unit:
        all of them, or none; with ``zcml`` on, their ZCML too. In every
        Zope process on the database (``scope=cluster``, each process as
        one unit too) or in this one (``scope=process``), as the tab's
        Refresh."""

        def change():
            with_zcml = switch(zcml, 'zcml')
            chosen = chosen_scope(self, scope)
            products = installed_products()
            names = import_order(
                [name for name, product in products.items()
                 if any(d.in_files for d in _differences(product))],
                products)
            if not names:
                return ('No refreshable product has a file changed since '
                        'its code was loaded; nothing was executed.'), 200
            return refresh_in_scope(self, names, products, with_zcml,
                                    chosen, REQUEST)

        return answer_action(REQUEST, change,
                             lambda R: self.manage_main(self, R),
                             f'{self.absolute_url()}/manage_main')


def _differences(product):
    """What differs between what a refreshable product runs and its
    files (its tab says it at length)."""
    if not product.refreshable:
        return []
    return differences(product.package, product.folder)


InitializeClass(ProductFolder)
