"""One real Zope per test session: the WSGI application on a FileStorage
in a temporary folder, with a folder on ``Products.__path__`` where each
test writes products of its own."""
import contextlib
import os
import shutil
import sys
import time


import pytest
import transaction

from .installation import refuse_other_installations
from .demo import copy_demo
from .packages import unique_name
from .packages import write_files
from .zope_instance import USERS
from .zope_instance import add_users
from .zope_instance import write_zope_conf


def pytest_configure(config):
    refuse_other_installations('make test')


class Zope:

    def __init__(self, home, products_folder, wsgi):
        self.home = home
        self.products_folder = products_folder
        self.wsgi = wsgi

    def browser(self, user='admin'):
        import webtest
        client = webtest.TestApp(self.wsgi)
        if user is not None:
            client.authorization = ('Basic', (user, USERS[user][0]))
        return client

    @contextlib.contextmanager
    def app(self):
        """The Application on a connection of its own; commits on exit."""
        import Zope2
        app = Zope2.app()
        try:
            yield app
            transaction.commit()
        finally:
            transaction.abort()
            app._p_jar.close()


@pytest.fixture(scope='session')
def zope(tmp_path_factory):
    home = tmp_path_factory.mktemp('zope')
    products_root = home / 'products'
    (products_root / 'Products').mkdir(parents=True)
    sys.path[:0] = [str(products_root), copy_demo(home / 'demo')]
    conf = write_zope_conf(str(home))
    from Zope2.Startup.run import make_wsgi_app
    from ZPublisher.httpexceptions import HTTPExceptionHandler
    wsgi = HTTPExceptionHandler(make_wsgi_app({}, conf))
    instance = Zope(home, products_root / 'Products', wsgi)
    with instance.app() as app:
        add_users(app)
    return instance


THING_PRODUCT = {
    'refresh.txt': 'Test product: refreshing is safe.\n',
    '__init__.py': '''
        from . import content


        def initialize(context):
            context.registerClass(
                content.Thing, constructors=(content.manage_addThing,))
    ''',
    'content.py': '''
        from AccessControl.class_init import InitializeClass
        from AccessControl.SecurityInfo import ClassSecurityInfo
        from OFS.SimpleItem import SimpleItem

        GREETING = 'hello'


        class Thing(SimpleItem):
            meta_type = 'Thing of {name}'
            security = ClassSecurityInfo()

            def __init__(self, id):
                self.id = id

            @security.public
            def greet(self):
                """Published: what a user sees."""
                return f'{GREETING} from {self.id}'


        InitializeClass(Thing)


        def manage_addThing(self, id, REQUEST=None):
            """Add a Thing."""
            self._setObject(id, Thing(id))
            return 'added'
    ''',
}


class ProductFiles:
    """A product folder that a test edits on disk."""

    def __init__(self, folder, name):
        self.folder = folder
        self.name = name
        self.package = f'Products.{name}'
        self.url = f'/Control_Panel/Products/{name}'

    def write(self, files, **names):
        """Write `files`, with ``{name}`` and each ``{key}`` of `names`
        replaced by the product's name and the given names."""
        names['name'] = self.name
        for key, value in names.items():
            files = {path: source.replace('{%s}' % key, value)
                     for path, source in files.items()}
        write_files(self.folder, files)

    def touch(self):
        """Give every file of the product a new modification time: each
        counts as changed, as when saved again."""
        for folder, _dirs, files in os.walk(self.folder):
            for name in files:
                path = os.path.join(folder, name)
                later = max(time.time_ns(),
                            os.stat(path).st_mtime_ns + 1_000_000)
                os.utime(path, ns=(later, later))

    def loaded(self):
        return sorted(n for n in sys.modules
                      if n == self.package or
                      n.startswith(self.package + '.'))


@pytest.fixture
def make_product(zope):
    """Write a new product (THING_PRODUCT unless told otherwise) under a
    name no other test uses."""
    made = []

    def make(files=THING_PRODUCT, prefix='Thing', **names):
        name = unique_name(prefix)
        product = ProductFiles(str(zope.products_folder / name), name)
        product.write(files, **names)
        made.append(product)
        return product

    yield make
    for product in made:
        shutil.rmtree(product.folder, ignore_errors=True)


def post(browser, url, params=None, status=200, **headers):
    return browser.post(url, params or {}, status=status, headers=headers)


@pytest.fixture
def admin(zope):
    return zope.browser('admin')


def refresh(browser, product, status=200):
    return post(browser, product.url + '/manage_performRefresh', status=status)


@pytest.fixture
def installed(zope, make_product, admin):
    """A THING_PRODUCT imported and registered through its first refresh,
    with a persistent Thing ``thing`` in the application."""
    product = make_product()
    refresh(admin, product)
    with zope.app() as app:
        module = sys.modules[f'{product.package}.content']
        obj_id = f'thing_{product.name}'
        app._setObject(obj_id, module.Thing(obj_id))
    product.obj_url = f'/{obj_id}'
    return product


@pytest.fixture(params=['in-place', 'classic'])
def refresh_mode(request):
    """Run the test in both refresh modes: `use` sets a product's mode."""

    def use(browser, product):
        page = post(browser, product.url + '/manage_setRefreshMode',
                    {'mode': request.param})
        assert f'Refresh mode set to {request.param}.' in page.text

    use.mode = request.param
    return use
