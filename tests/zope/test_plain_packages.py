"""Plain packages are products once they ship a refresh.txt, whether the
site loaded ZCML from them or not; every package is listed once, under
one name."""
import re
import sys
from types import SimpleNamespace

import pytest
from Zope2.App import zcml

from ..conftest import refresh
from ..packages import unique_name
from ..packages import write_files


@pytest.fixture
def plain_package(zope, tmp_path, monkeypatch):
    """A package loaded like a Plone add-on: ``<include package=…>`` into
    the site's configuration, with a ZCML view calling a helper."""
    monkeypatch.syspath_prepend(str(tmp_path))
    name = unique_name('plainpkg')
    folder = tmp_path / name
    write_files(folder, {
        '__init__.py': '',
        'refresh.txt': '',
        'helper.py': "def message():\n    return 'helper v1'\n",
        'views.py': '''
            from Products.Five.browser import BrowserView
            from .helper import message

            class View(BrowserView):
                def __call__(self):
                    return 'view v1: ' + message()
        ''',
        'configure.zcml': f'''
            <configure xmlns="http://namespaces.zope.org/zope"
                       xmlns:browser="http://namespaces.zope.org/browser">
              <browser:page name="{name}" for="*" class=".views.View"
                            permission="zope2.View" />
            </configure>
        ''',
    })
    zcml.load_string(f'<include package="{name}" />')
    return SimpleNamespace(name=name, folder=folder,
                           url=f'/Control_Panel/Products/{name}')


def listed_names(browser):
    page = browser.get('/Control_Panel/Products/manage_main').text
    return re.findall(r'/Control_Panel/Products/([^/"]+)/manage_refresh',
                      page)


def test_plain_package_with_refresh_txt_is_listed_and_refreshed(
        admin, plain_package):
    assert plain_package.name in listed_names(admin)
    assert admin.get(f'/{plain_package.name}').text == 'view v1: helper v1'
    for module in ('helper', 'views'):
        path = plain_package.folder / f'{module}.py'
        path.write_text(path.read_text().replace(' v1', ' v2'))
    page = refresh(admin, plain_package)
    assert 'Product refreshed. 3 modules reloaded' in page.text
    # The view class registered by ZCML at start runs the new code.
    assert admin.get(f'/{plain_package.name}').text == 'view v2: helper v2'


def test_plain_package_without_refresh_txt_is_not_listed(
        admin, plain_package):
    (plain_package.folder / 'refresh.txt').unlink()
    assert plain_package.name not in listed_names(admin)
    admin.get(plain_package.url + '/manage_refresh', status=404)


def test_a_package_is_listed_once(zope, admin, make_product):
    """A Products package that is also a registered package, or whose ZCML
    was loaded, is one product named as Zope names it."""
    product = make_product()
    refresh(admin, product)  # imports it
    zcml.load_string(f'''
        <configure xmlns="http://namespaces.zope.org/zope"
                   xmlns:five="http://namespaces.zope.org/five">
          <include package="OFS" file="meta.zcml" />
          <five:registerPackage package="{product.package}" />
        </configure>''')
    (zope.products_folder / product.name / 'configure.zcml').write_text(
        '<configure xmlns="http://namespaces.zope.org/zope" />')
    zcml.load_string(f'<include package="{product.package}" />')
    names = listed_names(admin)
    assert names.count(product.name) == 1
    assert product.package not in names
    assert sys.modules[product.package]


def test_a_package_without_zcml_is_listed_and_refreshed(admin, tmp_path,
                                                         monkeypatch):
    """As plone.base: imported by other code, no ZCML of its own."""
    import importlib
    monkeypatch.syspath_prepend(str(tmp_path))
    name = unique_name('nozcml')
    write_files(tmp_path / name, {
        '__init__.py': '', 'refresh.txt': '',
        'utils.py': "def answer():\n    return 'v1'\n"})
    utils = importlib.import_module(f'{name}.utils')
    assert name in listed_names(admin)
    (tmp_path / name / 'utils.py').write_text(
        "def answer():\n    return 'v2'\n")
    page = refresh(admin, SimpleNamespace(
        url=f'/Control_Panel/Products/{name}'))
    assert 'Product refreshed.' in page.text
    assert utils.answer() == 'v2'
