"""In place on the real Zope: everything that holds the product's old
functions and classes runs the new code after a Refresh."""
import sys

import pytest
from zope.component import getGlobalSiteManager
from zope.configuration import xmlconfig

from Products.RefreshManager.interfaces import IProductRefreshedEvent

from ..conftest import refresh


LIVE = {
    'refresh.txt': '',
    'state.py': '''
        __refresh_module__ = False
        REGISTRY = {}
    ''',
    'interfaces.py': '''
        from zope.interface import Interface


        class IGreeter(Interface):
            def greet():
                """Say something."""
    ''',
    'content.py': '''
        from AccessControl.class_init import InitializeClass
        from AccessControl.SecurityInfo import ClassSecurityInfo
        from OFS.SimpleItem import SimpleItem
        from zope.component import getUtility

        from .interfaces import IGreeter
        from .state import REGISTRY

        VERSION = 'v1'


        class Greeter:
            def greet(self):
                return 'greeter ' + VERSION


        REGISTRY.setdefault('greeter', Greeter())


        class Thing(SimpleItem):
            meta_type = 'Live thing of {name}'
            security = ClassSecurityInfo()

            def __init__(self, id):
                self.id = id

            @security.public
            def show(self):
                """Published: what every holder of old code says."""
                return ' | '.join([
                    'thing ' + VERSION,
                    REGISTRY['greeter'].greet(),
                    str(isinstance(REGISTRY['greeter'], Greeter)),
                    REGISTRY['sub'].greet() if 'sub' in REGISTRY else '-',
                    getUtility(IGreeter, name='{name}').greet(),
                ])


        InitializeClass(Thing)
    ''',
    'views.py': '''
        from Products.Five import BrowserView


        class GreetView(BrowserView):
            def __call__(self):
                return 'view v1'
    ''',
    'utils.py': '''
        from zope.interface import implementer

        from .interfaces import IGreeter


        @implementer(IGreeter)
        class Utility:
            def greet(self):
                return 'utility v1'
    ''',
    'configure.zcml': '''
        <configure xmlns="http://namespaces.zope.org/zope"
                   xmlns:browser="http://namespaces.zope.org/browser">
          <include package="Products.Five" file="meta.zcml" />
          <browser:page for="*" name="greet-{name}" class=".views.GreetView"
                        permission="zope2.View" />
          <utility factory=".utils.Utility" name="{name}"
                   provides=".interfaces.IGreeter" />
        </configure>
    ''',
    '__init__.py': '''
        from . import content, views, utils


        def initialize(context):
            pass
    ''',
}

SUB = {
    'refresh.txt': '',
    '__init__.py': '''
        from Products.{live}.content import Greeter
        from Products.{live}.state import REGISTRY


        class Sub(Greeter):
            def greet(self):
                return 'sub of ' + super().greet()


        REGISTRY.setdefault('sub', Sub())
    ''',
}


@pytest.fixture
def live(zope, admin, make_product):
    product = make_product(LIVE, prefix='Live')
    refresh(admin, product)
    module = sys.modules[product.package]
    xmlconfig.file('configure.zcml', package=module)
    sub = make_product(SUB, prefix='Sub', live=product.name)
    refresh(admin, sub)
    with zope.app() as app:
        app._setObject(f'live_{product.name}',
                       module.content.Thing(f'live_{product.name}'))
    product.obj_url = f'/live_{product.name}'
    return product


def edit_everything(product, version):
    for path, source in LIVE.items():
        if path.endswith('.py') and path != 'state.py':
            product.write({path: source.replace('v1', version)})


def test_every_holder_runs_the_new_code(zope, admin, live):
    assert admin.get(live.obj_url + '/show').text == (
        'thing v1 | greeter v1 | True | sub of greeter v1 | utility v1')
    assert admin.get(f'{live.obj_url}/@@greet-{live.name}').text == 'view v1'
    with zope.app() as app:
        loaded = app._getOb(live.obj_url[1:])  # stays in this connection
        assert loaded.show().startswith('thing v1')

        edit_everything(live, 'v2')
        page = refresh(admin, live)
        assert 'Product refreshed.' in page.text
        assert loaded.show().startswith('thing v2')

    # Only Live was refreshed: Sub (no dependent setting) follows anyway.
    assert admin.get(live.obj_url + '/show').text == (
        'thing v2 | greeter v2 | True | sub of greeter v2 | utility v2')
    assert admin.get(f'{live.obj_url}/@@greet-{live.name}').text == 'view v2'


def test_the_event_tells_what_happened(admin, live):
    events = []
    registry = getGlobalSiteManager()
    registry.registerHandler(events.append, (IProductRefreshedEvent,))
    try:
        edit_everything(live, 'v3')
        refresh(admin, live)
        live.write({'content.py': 'raise ValueError("broken")\n'})
        refresh(admin, live, status=422)
    finally:
        registry.unregisterHandler(events.append, (IProductRefreshedEvent,))
    done, failed = events
    assert (done.product, done.mode, done.error) == (live.name, 'in-place',
                                                     None)
    assert f'{live.package}.content' in done.modules and done.duration > 0
    assert failed.product == live.name and failed.modules == ()
    assert isinstance(failed.error, ValueError)


def set_mode(browser, product, mode):
    page = browser.post(product.url + '/manage_setRefreshMode',
                        {'mode': mode})
    assert f'Refresh mode set to {mode}.' in page.text


def test_back_to_in_place_after_classic_updates_what_holds_the_original(
        zope, admin, live):
    """Classic leaves the ZCML view and utility with the classes of the
    start; the next refresh in place brings the original modules back
    and runs the new code in them."""
    set_mode(admin, live, 'classic')
    edit_everything(live, 'v4')
    refresh(admin, live)
    assert admin.get(f'{live.obj_url}/@@greet-{live.name}').text == 'view v1'
    set_mode(admin, live, 'in-place')
    page = refresh(admin, live)  # no file changed since the classic one
    assert 'Brought back' in page.text
    assert admin.get(f'{live.obj_url}/@@greet-{live.name}').text == 'view v4'
    assert admin.get(live.obj_url + '/show').text == (
        'thing v4 | greeter v4 | True | sub of greeter v4 | utility v4')
    module = sys.modules[f'{live.package}.views']
    assert getattr(sys.modules[live.package], 'views') is module
    edit_everything(live, 'v5')
    page = refresh(admin, live)
    assert 'Brought back' not in page.text
    assert admin.get(f'{live.obj_url}/@@greet-{live.name}').text == 'view v5'
