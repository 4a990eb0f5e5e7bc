"""The in-sync view: whether what a product runs is what its files say,
and if not exactly what differs and what to do; on each kind of
difference it names, in the engine and on the tab and the listing."""
import importlib
import os
import time

from plone.reload.xreload import Reloader

from Products.RefreshManager.engine.record.sync import differences
from Products.RefreshManager.engine.record.sync import remember_loaded

from ...conftest import refresh as click_refresh
from ...packages import write_files
from ..apply.test_engine import package  # noqa: F401 (fixture)
from ..apply.test_engine import refresh
from ..carry.test_foreign_functions import CHILD


def _whats(name, folder):
    return [(d.module, d.what) for d in differences(name, str(folder))]


def test_in_sync_after_a_refresh_then_a_save_differs(package):
    name, folder = package
    write_files(folder, {'__init__.py': '', 'mod.py': 'X = 1\n'})
    importlib.import_module(f'{name}.mod')
    refresh('in place', [name])
    assert _whats(name, folder) == []
    time.sleep(0.01)
    write_files(folder, {'mod.py': 'X = 2\n'})
    assert _whats(name, folder) == [
        (f'{name}.mod', 'mod.py changed since its code was loaded')]
    refresh('in place', [name])
    assert _whats(name, folder) == []


def test_a_module_loaded_at_start_and_saved_since_differs(package):
    """Not run by the engine yet: compared with its file when Zope
    loaded the products (`remember_loaded`)."""
    name, folder = package
    write_files(folder, {'__init__.py': '', 'mod.py': 'X = 1\n'})
    importlib.import_module(f'{name}.mod')
    remember_loaded([name])
    assert _whats(name, folder) == []
    time.sleep(0.01)
    write_files(folder, {'mod.py': 'X = 22\n'})
    assert _whats(name, folder) == [
        (f'{name}.mod', 'mod.py changed since its code was loaded')]



def test_a_module_that_opts_out_and_changed_needs_a_restart(package):
    """No refresh runs it again: a refresh would leave it as it is, so it
    is not a change a refresh is for, and says so."""
    name, folder = package
    write_files(folder, {'__init__.py': 'from . import pinned\n',
                         'pinned.py': '__refresh_module__ = False\n'})
    importlib.import_module(name)
    remember_loaded([name])
    refresh('in place', [name])
    assert _whats(name, folder) == []
    time.sleep(0.01)
    write_files(folder, {'pinned.py': '__refresh_module__ = False\nX = 2\n'})
    refresh('in place', [name])
    [difference] = differences(name, str(folder))
    assert (difference.module, difference.kind, difference.todo) == (
        f'{name}.pinned', 'restart', 'Restart Zope.')
    assert difference.what == ('pinned.py changed since its code was loaded, '
                               'and its module opts out of refreshes '
                               '(__refresh_module__ = False)')
    assert not difference.in_files

def test_a_deleted_file_whose_module_is_loaded_differs(package):
    name, folder = package
    write_files(folder, {'__init__.py': 'from . import logic\n',
                         'logic.py': 'X = 1\n'})
    importlib.import_module(name)
    refresh('in place', [name])
    os.remove(folder / 'logic.py')
    [difference] = differences(name, str(folder))
    assert difference.module == f'{name}.logic'
    assert difference.what == 'logic.py was deleted; its module is still ' \
        'loaded'
    assert 'remove that import first' in difference.todo


def test_what_plone_reload_leaves_differs_until_a_refresh(package):
    """A method plone.reload put into the class: run with a copy of the
    module's globals, ``super()`` naming plone.reload's class."""
    name, folder = package
    write_files(folder, {'__init__.py': '',
                         'mod.py': CHILD.replace('{version}', 'v1')})
    module = importlib.import_module(f'{name}.mod')
    refresh('in place', [name])
    write_files(folder, {'mod.py': CHILD.replace('{version}', 'v2')})
    Reloader(module).reload()
    found = _whats(name, folder)
    assert found == [  # the engine ran v1; plone.reload ran v2 partly
        (f'{name}.mod', 'mod.py changed since its code was loaded'),
        (f'{name}.mod', 'Child.hello runs with a copy of the '
                        "module's globals (another reloader made it)")], found
    refresh('in place', [name])
    assert _whats(name, folder) == []
    # Only a class cell left wrong (as an older plone.reload run left it):
    hello = vars(module.Child)['hello']
    cell = hello.__closure__[hello.__code__.co_freevars.index('__class__')]
    cell.cell_contents = type('Child', (), {})
    found = _whats(name, folder)
    assert found[0][1].startswith('super() in Child.hello names another '
                                  'class'), found


def test_the_tab_and_the_listing_say_in_sync_or_what_differs(
        zope, admin, make_product):
    product = make_product()
    click_refresh(admin, product)
    page = admin.get(product.url + '/manage_refresh')
    assert page.html.select_one('#in-sync') is not None
    assert 'What this product runs is what its files say' in page.text
    time.sleep(0.01)
    product.write({'content.py': open(os.path.join(
        product.folder, 'content.py')).read().replace("'hello'", "'hi'")})
    page = admin.get(product.url + '/manage_refresh')
    assert page.html.select_one('#out-of-sync') is not None
    assert 'content.py changed since its code was loaded. Refresh the ' \
        'product.' in ' '.join(page.html.select_one('#differences').text
                               .split())
    listing = admin.get('/Control_Panel/Products/manage_main')
    row = [r for r in listing.html.select('#products tbody tr')
           if r.select_one('td').text.strip().startswith(product.name)][0]
    assert 'running code differs from the files' in ' '.join(row.text.split())
    click_refresh(admin, product)
    page = admin.get(product.url + '/manage_refresh')
    assert page.html.select_one('#in-sync') is not None
