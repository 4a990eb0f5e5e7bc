"""A persistent page whose output comes from greeting.py."""
from AccessControl.class_init import InitializeClass
from AccessControl.Permissions import view
from AccessControl.SecurityInfo import ClassSecurityInfo
from OFS.SimpleItem import SimpleItem
from zope.interface import Interface
from zope.interface import implementer

from .greeting import greeting


class IDemoPage(Interface):
    """A page of the refresh demo."""


@implementer(IDemoPage)
class DemoPage(SimpleItem):
    """Its `message` is what you edit and refresh."""

    meta_type = 'Refresh Demo Page'
    zmi_icon = 'fas fa-sync-alt'
    security = ClassSecurityInfo()
    manage_options = (
        {'label': 'View', 'action': 'manage_main'},
    ) + SimpleItem.manage_options

    def __init__(self, id, title=''):
        self.id = id
        self.title = title

    @security.protected(view)
    def message(self):
        return greeting(self.title_or_id())

    @security.protected(view)
    def index_html(self, REQUEST=None):
        """The page a visitor sees."""
        if REQUEST is not None:
            REQUEST.RESPONSE.setHeader('Content-Type', 'text/html')
        return (f'<!DOCTYPE html><html><head><title>{self.title_or_id()}'
                f'</title></head><body><p id="message">{self.message()}</p>'
                '</body></html>')

    security.declareProtected(view, 'manage_main')

    def manage_main(self, REQUEST=None):
        """The ZMI view: the message, inside the ZMI frame."""
        return (self.manage_page_header() + self.manage_tabs()
                + '<main class="container-fluid"><p class="mt-4" '
                f'id="message">{self.message()}</p></main>'
                + self.manage_page_footer())


InitializeClass(DemoPage)


def manage_addDemoPageForm(self, REQUEST=None):
    """Ask for an id."""
    return (self.manage_page_header() + self.manage_form_title(
        self, REQUEST, form_title='Add Refresh Demo Page')
        + '<main class="container-fluid"><form action="manage_addDemoPage"'
        ' method="post"><div class="form-group"><label for="id">Id</label>'
        '<input class="form-control" name="id" id="id"></div>'
        '<button class="btn btn-primary">Add</button></form></main>'
        + self.manage_page_footer())


def manage_addDemoPage(self, id, title='', REQUEST=None):
    """Add a demo page."""
    self._setObject(id, DemoPage(id, title))
    if REQUEST is not None:
        REQUEST.RESPONSE.redirect(self.absolute_url() + '/manage_main')
