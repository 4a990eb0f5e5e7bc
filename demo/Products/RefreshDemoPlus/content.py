"""A fancier page: RefreshDemo's page, decorated."""
from AccessControl.class_init import InitializeClass
from Products.RefreshDemo.content import DemoPage


class FancyDemoPage(DemoPage):

    meta_type = 'Refresh Demo Fancy Page'

    def message(self):
        return f'\u2728 {DemoPage.message(self)} \u2728'


InitializeClass(FancyDemoPage)


def manage_addFancyDemoPage(self, id, title='', REQUEST=None):
    """Add a fancy demo page."""
    self._setObject(id, FancyDemoPage(id, title))
    if REQUEST is not None:
        REQUEST.RESPONSE.redirect(self.absolute_url() + '/manage_main')
