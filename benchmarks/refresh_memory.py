"""Memory over many refreshes: does anything old stay alive?

In process, not over HTTP: the Zope WSGI application runs in this
process (on a FileStorage in a temporary folder) and WebTest calls it
directly, so the garbage collector can count the product's old module
and class objects, which a separate server process would hide. The
product has a persistent class, a plain class with instances held in a
registry, and a browser view registered in ZCML. Each cycle edits the
product's code and refreshes it through the WSGI application (in
place), then checks the object, the instances and the view serve the new
code. Prints the RSS growth after the first 10 cycles and how many
old module and class objects of the product survive (gc). Targets: growth
at most 5 MB, no old module objects.

    .venv/bin/python benchmarks/refresh_memory.py [cycles]
"""
import gc
import os
import sys
import tempfile
import textwrap
from types import ModuleType


HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.dirname(HERE)]

from tests.zope_instance import add_users  # noqa: E402
from tests.zope_instance import write_zope_conf  # noqa: E402


NAME = 'MemoryProbe'
FILES = {
    'refresh.txt': '',
    'state.py': '__refresh_module__ = False\nREGISTRY = []\n',
    '__init__.py': 'from . import content, views\n\n\n'
                   'def initialize(context):\n'
                   '    context.registerClass(content.Page, '
                   'constructors=(content.add,))\n',
    'content.py': '''
        from OFS.SimpleItem import SimpleItem

        from .state import REGISTRY

        CYCLE = {cycle}


        class Greeter:
            def greet(self):
                return 'greeter %d' % CYCLE


        REGISTRY.append(Greeter())


        class Page(SimpleItem):
            meta_type = 'Memory probe page'

            def __init__(self, id):
                self.id = id

            def show(self):
                """Published."""
                return '%d %s' % (CYCLE, REGISTRY[0].greet())


        def add(self, id, REQUEST=None):
            """Add a page."""
    ''',
    'views.py': '''
        from Products.Five import BrowserView

        from .content import CYCLE


        class View(BrowserView):
            def __call__(self):
                return 'view %d' % CYCLE
    ''',
    'configure.zcml': '''
        <configure xmlns="http://namespaces.zope.org/zope"
                   xmlns:browser="http://namespaces.zope.org/browser">
          <include package="Products.Five" file="meta.zcml" />
          <browser:page for="*" name="probe" class=".views.View"
                        permission="zope2.View" />
        </configure>
    ''',
}


def write(folder, cycle):
    for path, text in FILES.items():
        with open(os.path.join(folder, path), 'w') as out:
            out.write(textwrap.dedent(text).replace('{cycle}', str(cycle)))


def rss_kb():
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def product_objects():
    gc.collect()
    modules = [o for o in gc.get_objects() if isinstance(o, ModuleType)
               and o.__name__.startswith(f'Products.{NAME}')]
    classes = [o for o in gc.get_objects() if isinstance(o, type)
               and str(vars(o).get('__module__', '')).startswith(
                   f'Products.{NAME}')]
    return modules, classes


def main(cycles=300):
    with tempfile.TemporaryDirectory() as home:
        products = os.path.join(home, 'products')
        folder = os.path.join(products, 'Products', NAME)
        os.makedirs(folder)
        write(folder, 0)
        sys.path.insert(0, products)
        from Zope2.Startup.run import make_wsgi_app
        wsgi = make_wsgi_app({}, write_zope_conf(home))
        import transaction
        import webtest
        import Zope2
        from zope.configuration import xmlconfig
        client = webtest.TestApp(wsgi)
        client.authorization = ('Basic', ('admin', 'secret'))
        app = Zope2.app()
        add_users(app)
        transaction.commit()
        app._p_jar.close()
        url = f'/Control_Panel/Products/{NAME}/manage_performRefresh'
        client.post(url)
        xmlconfig.file('configure.zcml',
                       package=sys.modules[f'Products.{NAME}'])
        app = Zope2.app()
        app._setObject('probe', sys.modules[
            f'Products.{NAME}.content'].Page('probe'))
        transaction.commit()
        app._p_jar.close()
        for cycle in range(1, cycles + 1):
            write(folder, cycle)
            client.post(url, status=200)
            assert client.get('/probe/show').text == (
                f'{cycle} greeter {cycle}')
            assert client.get('/probe/@@probe').text == f'view {cycle}'
            if cycle == 10:
                gc.collect()
                start_rss = rss_kb()
        gc.collect()
        growth = (rss_kb() - start_rss) / 1024
        modules, classes = product_objects()
        live_modules = [m for m in sys.modules.values()
                        if isinstance(m, ModuleType)
                        and m.__name__.startswith(f'Products.{NAME}')]
        names = sorted({c.__qualname__ for c in classes})
    print(f'{cycles} edit-and-refresh cycles (in place, WSGI application in '
          'this process) of a product with a persistent class, registry '
          'instances and a ZCML view:')
    print(f'  RSS growth from cycle 10 to {cycles}: {growth:.2f} MB '
          '(target <= 5 MB)')
    print(f'  old module objects alive: {len(modules) - len(live_modules)} '
          '(target 0)')
    print(f'  class objects of the product alive: {len(classes)} for '
          f'{len(names)} class names ({", ".join(names)}): '
          f'{len(classes) - len(names)} old')


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
