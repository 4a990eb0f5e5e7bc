"""``Control_Panel/Products``: the installed products, and a page for
a name no product has."""
from urllib.parse import quote

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

from ..engine.read.modules import modules_by_package
from ..engine.record.sync import differences
from ..products import HIDDEN_FROM_ZOPE
from ..products import installed_products
from .answers import deny_framing
from .manager import ProductRefresh
from .manager import redirect_to
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

    security.declareProtected(view_management_screens, 'manage_main')
    manage_main = PageTemplateFile('www/products.pt', globals())

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
        return [{
            'name': name,
            'url': quote(name),
            'package': product.package,
            'refreshable': product.refreshable,
            'hidden_from_zope': (HIDDEN_FROM_ZOPE if product.hidden_from_zope
                                 else None),
            'loaded': len(loaded[product.package]),
            'differs': _differs(product),
            'auto_refresh': settings.auto_refresh(name),
            'dependents': ', '.join(settings.dependents(name)),
        } for name, product in sorted(products.items())]


def _differs(product):
    """What differs between what a refreshable product runs and its
    files, in a line (its tab says more), or ''."""
    if not product.refreshable:
        return ''
    return '; '.join(f'{d.module}: {d.what}'
                     for d in differences(product.package, product.folder))


InitializeClass(ProductFolder)
