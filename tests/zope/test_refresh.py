"""Edit a product on disk, refresh it over HTTP, see the new code."""
import os
import sys
from textwrap import dedent

import Products

from ..conftest import THING_PRODUCT
from ..conftest import post
from ..conftest import refresh


def meta_types(product):
    return [info for info in Products.meta_types
            if info['product'] == product.name]


def test_listing_shows_installed_products(zope, admin, installed):
    page = admin.get('/Control_Panel/Products/manage_main')
    rows = {tr.find_all('td')[0].text.strip(): tr
            for tr in page.html.select('#products tbody tr')}
    assert 'yes' in rows[installed.name].text
    assert 'yes' in rows['RefreshDemo'].text
    assert 'no' in rows['OFSP'].text
    assert rows[installed.name].a['href'].endswith(
        f'{installed.url}/manage_refresh')


def test_control_panel_has_the_products_tab(admin):
    for page in ('/Control_Panel/manage_main',
                 '/Control_Panel/Database/manage_main',
                 '/Control_Panel/Products/manage_main'):
        tabs = [a.text.strip() for a in admin.get(page).html.select(
            '#tabs a, .nav-tabs a, nav a')]
        assert 'Products' in tabs, page


def test_tab_shows_warning_modules_and_forms(admin, installed):
    page = admin.get(installed.url + '/manage_refresh')
    assert 'Test product: refreshing is safe.' in page.html.select_one(
        '#warning').text
    modules = [li.text for li in page.html.select('#modules li')]
    assert modules == [installed.package, f'{installed.package}.content']
    for form in ('#refresh-form', '#auto-refresh-form', '#dependents-form'):
        assert page.html.select_one(form)['method'] == 'post'


def test_refresh_serves_new_code_to_existing_persistent_object(
        zope, admin, installed, refresh_mode):
    refresh_mode(admin, installed)
    assert admin.get(installed.obj_url + '/greet').text == (
        f'hello from thing_{installed.name}')
    installed.write({'content.py': THING_PRODUCT['content.py'].replace(
        "GREETING = 'hello'", "GREETING = 'bonjour'").replace(
        "return f'{GREETING} from {self.id}'",
        "return f'{GREETING}, said {self.id}'")})
    # Not before the refresh:
    assert admin.get(installed.obj_url + '/greet').text.startswith('hello')

    page = refresh(admin, installed)
    assert 'Product refreshed.' in page.html.select_one('.alert').text
    assert admin.get(installed.obj_url + '/greet').text == (
        f'bonjour, said thing_{installed.name}')
    with zope.app() as app:
        obj = app._getOb(f'thing_{installed.name}')
        module = sys.modules[f'{installed.package}.content']
        assert obj.aq_base.__class__ is module.Thing


def test_new_class_and_constructor_are_registered(zope, admin, installed):
    old_class = meta_types(installed)[0]['instance']
    installed.write({'extra.py': '''
        from OFS.SimpleItem import SimpleItem


        class Gadget(SimpleItem):
            meta_type = 'Gadget of {name}'

            def __init__(self, id):
                self.id = id

            def kind(self):
                """Published."""
                return 'gadget'


        def manage_addGadget(self, id, REQUEST=None):
            """Add a Gadget."""
            self._setObject(id, Gadget(id))
            return 'added'
    ''', '__init__.py': '''
        from . import content, extra


        def initialize(context):
            context.registerClass(
                content.Thing, constructors=(content.manage_addThing,))
            context.registerClass(
                extra.Gadget, constructors=(extra.manage_addGadget,))
    '''})
    page = refresh(admin, installed)
    assert f'{installed.package}.extra' in page.text
    registered = meta_types(installed)
    assert [info['name'] for info in registered] == [
        f'Thing of {installed.name}', f'Gadget of {installed.name}']
    assert registered[0]['instance'] is old_class  # updated in place
    post(admin, f'/manage_addProduct/{installed.name}/manage_addGadget',
         {'id': f'gadget_{installed.name}'})
    assert admin.get(f'/gadget_{installed.name}/kind').text == 'gadget'


def test_a_product_not_yet_imported_is_imported_and_registered(
        admin, make_product):
    product = make_product()
    assert product.loaded() == []
    page = refresh(admin, product)
    assert 'Product refreshed.' in page.text
    assert product.loaded() == [product.package, f'{product.package}.content']
    assert len(meta_types(product)) == 1


def test_last_refresh_is_shown_on_the_tab(admin, installed):
    installed.touch()
    page = refresh(admin, installed)
    card = page.html.select_one('#last-refresh')
    assert 'refreshed' in card.text
    assert [li.text for li in card.select('li')] == [
        f'{installed.package}.content', installed.package]


def test_reading_the_pages_writes_nothing(zope, admin, installed):
    admin.get('/Control_Panel/Products/manage_main')
    admin.get(installed.url + '/manage_refresh')
    with zope.app() as app:
        data = app._p_jar.root().get('RefreshData', {})
        assert installed.name not in data.get('products', {})
        assert installed.name not in data.get('auto', {})


def test_refresh_manager_refreshes_itself(zope, admin):
    folder = 'Products.RefreshManager.zmi.folder'
    folder_class = sys.modules[folder].ProductFolder
    lock = sys.modules['Products.RefreshManager.engine.stage.lock'].REFRESH_LOCK
    # Saved again since Zope loaded them: the folder module runs again,
    # the lock's module (which opts out) does not.
    saved = {}
    for name in (folder, 'Products.RefreshManager.engine.stage.lock'):
        path = sys.modules[name].__file__
        saved[path] = os.stat(path)
        later = saved[path].st_mtime_ns + 1_000_000
        os.utime(path, ns=(later, later))
    try:
        page = post(admin, '/Control_Panel/Products/RefreshManager/'
                    'manage_performRefresh')
    finally:  # the opted-out module as Zope loaded it: no restart needed
        path = sys.modules['Products.RefreshManager.engine.stage.lock'
                           ].__file__
        os.utime(path, ns=(saved[path].st_atime_ns, saved[path].st_mtime_ns))
    assert 'Product refreshed.' in page.text
    modules = [li.text for li in page.html.select('#last-refresh li')]
    assert folder in modules
    assert 'Products.RefreshManager.engine.stage.lock' not in modules
    assert sys.modules[folder].ProductFolder is folder_class
    assert sys.modules[
        'Products.RefreshManager.engine.stage.lock'].REFRESH_LOCK is lock
    page = admin.get('/Control_Panel/Products/manage_main')
    assert 'RefreshManager' in page.text


def test_only_what_changed_is_loaded_again(admin, installed):
    refresh(admin, installed)  # now the engine knows every module
    page = refresh(admin, installed)
    assert (f'No file of {installed.name} changed since the last refresh; '
            f'nothing was executed.') in page.html.select_one('.alert').text
    installed.write({'extra.py': 'X = 1\n'})  # imported by nothing
    installed.write({'content.py': THING_PRODUCT['content.py'] + '\n'})
    page = refresh(admin, installed)
    assert [li.text for li in page.html.select('#last-refresh li')] == [
        f'{installed.package}.content', installed.package]


def test_new_method_with_security_declaration_is_published(admin, installed):
    installed.write({'content.py': dedent(THING_PRODUCT['content.py']).replace(
        '''    @security.public
    def greet(self):''', '''    @security.public
    def shout(self):
        """Published, new."""
        return self.greet().upper()

    @security.public
    def greet(self):''')})
    refresh(admin, installed)
    assert admin.get(installed.obj_url + '/shout').text == (
        f'HELLO FROM THING_{installed.name.upper()}')


def test_what_cannot_change_in_place_is_replaced_and_said(zope, admin,
                                                         installed):
    installed.write({'content.py': dedent(THING_PRODUCT['content.py']).replace(
        'class Thing(SimpleItem):',
        'class Extra:\n    pass\n\n\nclass Thing(SimpleItem, Extra):'
    ).replace("GREETING = 'hello'", "GREETING = 'rebased'")})
    page = refresh(admin, installed)
    replaced = page.html.select_one('#replaced').text
    assert f'{installed.package}.content.Thing: its base classes changed' \
        in replaced
    # The database caches were dropped: the object has the new class.
    assert admin.get(installed.obj_url + '/greet').text.startswith('rebased')
    with zope.app() as app:
        module = sys.modules[f'{installed.package}.content']
        obj = app._getOb(installed.obj_url[1:])
        assert obj.aq_base.__class__ is module.Thing
        assert isinstance(obj.aq_base, module.Extra)


def test_the_add_list_keeps_its_order(admin, make_product):
    """``initialize()`` registers the product's meta types again at the
    end: each goes back where it was (Plone lists CMFPlone's "Plone Site"
    twice, under two product ids, in this order)."""
    first, second = make_product(), make_product()
    for product in (first, second):
        refresh(admin, product)
    before = [(info['product'], info['name']) for info in Products.meta_types]
    first.touch()
    assert 'Product refreshed.' in refresh(admin, first).text
    assert [(info['product'], info['name'])
            for info in Products.meta_types] == before
