"""A package registered with five:registerPackage is a product too."""
import sys
from types import SimpleNamespace

import pytest
from zope.configuration import xmlconfig

import Products
from OFS.metaconfigure import get_registered_packages

from ..conftest import refresh
from ..packages import unique_name
from ..packages import write_files


ZCML = '''
<configure xmlns="http://namespaces.zope.org/zope"
           xmlns:five="http://namespaces.zope.org/five">
  <include package="OFS" file="meta.zcml" />
  <five:registerPackage package="{name}" initialize="{name}.initialize" />
</configure>
'''


@pytest.fixture
def registered(zope, tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    name = unique_name('regpkg')
    write_files(tmp_path / name, {
        'refresh.txt': '',
        '__init__.py': '''
            from OFS.SimpleItem import SimpleItem

            class Widget(SimpleItem):
                meta_type = 'Widget v1'

            def manage_addWidget(self, id, REQUEST=None):
                """Add a Widget."""

            def initialize(context):
                context.registerClass(
                    Widget, constructors=(manage_addWidget,))
        ''',
    })
    __import__(name)
    xmlconfig.string(ZCML.replace('{name}', name))
    yield name, tmp_path / name
    packages = get_registered_packages()
    packages[:] = [m for m in packages if m.__name__ != name]


def test_registered_package_is_listed_and_refreshed(admin, registered):
    name, folder = registered

    listing = admin.get('/Control_Panel/Products/manage_main')
    assert name in listing.text
    write_files(folder, {'__init__.py': open(folder / '__init__.py').read()
                         .replace('Widget v1', 'Widget v2')})
    refresh(admin, SimpleNamespace(url=f'/Control_Panel/Products/{name}'))
    assert [info['name'] for info in Products.meta_types
            if info['product'] == name] == ['Widget v2']
    assert sys.modules[name] in get_registered_packages()
