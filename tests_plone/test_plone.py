"""Products.RefreshManager in a real Plone 6.2 site, over HTTP."""
import os
import re
import statistics
import subprocess
import time


from tests.server import inotify_watches
from tests.server import request as server_request

from .packages import edit


PRODUCTS = '/Control_Panel/Products'
DEMO = 'refreshdemo'


def request(plone, path, data=None, headers=None):
    """(status, body) of a GET, or a POST of `data`, as admin."""
    return server_request(plone.url + path, plone.user, plone.password,
                          data, headers)


def get(plone, path):
    status, body = request(plone, path)
    assert status == 200, (path, status, body[:500])
    return body


def refresh(plone, product, status=200):
    code, body = request(plone, f'{PRODUCTS}/{product}/manage_performRefresh',
                         {})
    assert code == status, body
    return body


def reload_zcml(plone, product, status=200):
    """Refresh code and ZCML of `product`; the page, once its status is
    the one expected."""
    code, body = request(
        plone, f'{PRODUCTS}/{product}/manage_performRefresh', {'zcml': 'on'})
    assert code == status, body[body.find('alert'):][:1500]
    return body


def post(plone, product, action, data, status=200, headers=None):
    code, body = request(plone, f'{PRODUCTS}/{product}/{action}', data,
                         headers)
    assert code == status, body
    return body


def listed(plone):
    page = get(plone, f'{PRODUCTS}/manage_main')
    return re.findall(r'/Control_Panel/Products/([^/"]+)/manage_refresh',
                      page)


def wait_for(plone, path, text, seconds=15):
    deadline = time.monotonic() + seconds
    while True:
        body = get(plone, path)
        if text in body or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


def test_each_package_is_listed_once_and_quickly(plone, capsys):
    names = listed(plone)
    assert names.count('CMFPlone') == 1 and 'Products.CMFPlone' not in names
    assert DEMO in names  # a plain package, loaded by z3c.autoinclude
    assert len(names) == len(set(names)) and len(names) >= 45
    times = []
    for _ in range(20):
        started = time.perf_counter()
        get(plone, f'{PRODUCTS}/manage_main')
        times.append(time.perf_counter() - started)
    with capsys.disabled():
        print(f'\nControl_Panel/Products with {len(names)} products: median '
              f'{statistics.median(times) * 1000:.1f} ms over 20 requests')


def test_plain_package_refreshes_in_place(plone):
    assert get(plone, '/Plone/@@refreshdemo') == 'view v1: helper v1'
    edit(plone.packages, 'refreshdemo/helper.py', 'v1', 'v2')
    edit(plone.packages, 'refreshdemo/views.py', 'v1', 'v2')
    assert 'Product refreshed.' in refresh(plone, DEMO)
    assert get(plone, '/Plone/@@refreshdemo') == 'view v2: helper v2'


def test_plain_package_auto_refresh(plone):
    post(plone, DEMO, 'manage_enableAutoRefresh', {'enable': 'on'})
    try:
        edit(plone.packages, 'refreshdemo/helper.py',
             "'helper v", "'auto helper v")
        assert 'auto helper' in wait_for(plone, '/Plone/@@refreshdemo',
                                         'auto helper')
    finally:
        post(plone, DEMO, 'manage_enableAutoRefresh', {})


def test_classic_then_in_place_updates_the_zcml_view(plone):
    post(plone, DEMO, 'manage_setRefreshMode', {'mode': 'classic'})
    edit(plone.packages, 'refreshdemo/views.py', "f'view v",
         "f'classic view v")
    refresh(plone, DEMO)
    # Classic: the view ZCML registered keeps the class of the start.
    assert not get(plone, '/Plone/@@refreshdemo').startswith('classic')
    post(plone, DEMO, 'manage_setRefreshMode', {'mode': 'in-place'})
    assert 'Brought back the original modules' in refresh(plone, DEMO)
    assert get(plone, '/Plone/@@refreshdemo').startswith('classic view')


def test_old_style_product_persistent_object(plone):
    assert get(plone, '/thing/greet') == 'thing v1 thing'
    edit(plone.packages, 'Products/RefreshPloneThing/content.py',
         'thing v1', 'thing v2')
    refresh(plone, 'RefreshPloneThing')
    assert get(plone, '/thing/greet') == 'thing v2 thing'


def test_pas_plugin_product_refreshes_twice_in_a_row(plone):
    for version in ('v2', 'v3'):
        edit(plone.packages, 'Products/RefreshPAS/__init__.py',
             'Refresh PAS v', f'Refresh PAS {version} v')
        assert 'Product refreshed.' in refresh(plone, 'RefreshPAS')
    # Its plugin is offered once in the site's PAS Add list.
    page = get(plone, '/Plone/acl_users/manage_main')
    assert page.count('>Refresh Test PAS Plugin<') == 1


def test_generated_patch_module_is_not_run_twice(plone):
    assert get(plone, '/Plone/@@refreshpatch') == 'patched v1 answer'
    edit(plone.packages, 'Products/RefreshPatch/patches.py',
         'patched v1', 'patched v2')
    page = refresh(plone, 'RefreshPatch')
    assert get(plone, '/Plone/@@refreshpatch') == 'patched v2 answer'
    assert 'Products.RefreshPatch.patches: line 10 sets ' \
        'refreshtarget.answer' in page


def test_cmfplone_refreshes_and_keeps_serving(plone):
    from .packages import package_folder
    gtbn = os.path.join(package_folder('Products.CMFPlone'), 'patches',
                        'gtbn.py')
    for _ in range(2):
        os.utime(gtbn)  # changed: its module is looked at again
        page = refresh(plone, 'CMFPlone')
        assert 'Product refreshed.' in page
        assert 'Products.CMFPlone.patches.gtbn: line' in page
        assert 'Plone site' in get(plone, '/Plone')
        get(plone, '/Plone/@@overview-controlpanel')
        assert 'view v' in get(plone, '/Plone/@@refreshdemo')
    assert 'RecursionError' not in plone.log_text()


def test_scripted_settings_are_kept_under_plone_protect(plone):
    tab = f'{PRODUCTS}/RefreshPloneThing/manage_refresh'
    assert 'Enabled auto refresh.' in post(
        plone, 'RefreshPloneThing', 'manage_enableAutoRefresh',
        {'enable': 'on'})
    assert 'Refresh mode set to classic.' in post(
        plone, 'RefreshPloneThing', 'manage_setRefreshMode',
        {'mode': 'classic'})
    assert 'Dependent products saved: RefreshPAS.' in post(
        plone, 'RefreshPloneThing', 'manage_selectDependentProducts',
        {'selections:list': 'RefreshPAS'})
    page = get(plone, tab)
    assert re.search(r'id="enable"[^>]*checked', page)
    assert re.search(r'id="mode-classic"[^>]*checked', page)
    assert re.search(r'id="dep-RefreshPAS"[^>]*checked', page)
    # Refused from another site: said so, and nothing changed.
    body = post(plone, 'RefreshPloneThing', 'manage_enableAutoRefresh', {},
                status=403, headers={'Origin': 'http://evil.example',
                                     'Accept': 'text/html'})
    assert 'Refused' in body
    assert re.search(r'id="enable"[^>]*checked', get(plone, tab))
    assert 'Error checking for CSRF' not in plone.log_text()
    post(plone, 'RefreshPloneThing', 'manage_enableAutoRefresh', {})
    post(plone, 'RefreshPloneThing', 'manage_setRefreshMode',
         {'mode': 'in-place'})
    post(plone, 'RefreshPloneThing', 'manage_selectDependentProducts',
         {'selections': ''})


def test_refusals_say_why_under_plone(plone):
    # A script sends no Accept header: the reasons reach it all the same.
    code, body = request(plone, f'{PRODUCTS}/Five/manage_performRefresh', {})
    assert code == 400 and 'Five is not refreshable' in body
    code, body = request(plone, f'{PRODUCTS}/NoSuch/manage_performRefresh', {})
    assert code == 404 and "No product named 'NoSuch'" in body
    code, body = request(
        plone, f'{PRODUCTS}/RefreshPloneThing/manage_enableAutoRefresh',
        {'enable': 'maybe'})
    assert code == 400 and 'enable must be one of' in body


def test_unknown_product_reason_under_plone(plone):
    code, body = request(plone, f'{PRODUCTS}/NoSuchProduct/manage_refresh',
                         headers={'Accept': 'text/html'})
    assert code == 404 and 'NoSuchProduct' in body


def test_watcher_watches_only_refreshable_packages(plone):
    log = plone.log_text()
    files, products, folders = map(int, re.findall(
        r'watching (\d+) files in (\d+) products \(events, (\d+) folders\)',
        log)[-1])
    page = get(plone, f'{PRODUCTS}/manage_main')
    assert products == page.count('badge badge-success">yes')
    helper = subprocess.run(['pgrep', '-P', str(plone.process.pid)],
                            capture_output=True, text=True).stdout.split()
    watches = sum(inotify_watches(pid) for pid in helper)
    assert watches == folders and files > 0



def test_plain_package_zcml_reload(plone):
    zcml = os.path.join(plone.packages, 'refreshdemo',
                        'configure.zcml')
    with open(zcml) as source:
        original = source.read()
    added = original.replace('</configure>', '''
  <browser:page name="refreshdemo-added" for="*" class=".views.DemoView"
                permission="zope2.View" />
</configure>''')
    try:
        with open(zcml, 'w') as out:
            out.write(added)
        code, body = request(plone, f'{PRODUCTS}/{DEMO}/manage_performRefresh',
                             {'zcml': 'on'})
        assert code == 200 and 'ZCML of refreshdemo reloaded' \
            in body, body
        assert 'view v' in get(plone, '/Plone/@@refreshdemo-added')
    finally:
        with open(zcml, 'w') as out:
            out.write(original)
    code, body = request(plone, f'{PRODUCTS}/{DEMO}/manage_performRefresh',
                         {'zcml': 'on'})
    assert code == 200, body
    assert request(plone, '/Plone/@@refreshdemo-added')[0] == 404
    assert 'view v' in get(plone, '/Plone/@@refreshdemo')


def test_after_plone_reload_a_refresh_makes_super_work_again(plone):
    """plone.reload's code reload (in most Plone development setups)
    leaves ``super()`` naming a class of its own: every call raises
    TypeError. A Refresh afterwards must not answer "refreshed" and keep
    that state."""
    assert get(plone, '/Plone/@@refreshsuper') == 'base super v1'
    refresh(plone, 'RefreshSuper')  # the engine has run every module
    request(plone, '/@@reload', {'action': 'code'})  # it notes the times
    edit(plone.packages, 'Products/RefreshSuper/view.py', 'super v1',
         'super v2')
    path = os.path.join(plone.packages, 'Products/RefreshSuper/view.py')
    later = time.time() + 5  # plone.reload compares whole seconds
    os.utime(path, (later, later))
    status, body = request(plone, '/@@reload', {'action': 'code'})
    assert status == 200 and 'RefreshSuper' in body, body[:2000]
    status, _ = request(plone, '/Plone/@@refreshsuper')
    assert status == 500  # its known limit
    edit(plone.packages, 'Products/RefreshSuper/view.py', 'super v2',
         'super v3')
    assert 'Product refreshed.' in refresh(plone, 'RefreshSuper')
    assert get(plone, '/Plone/@@refreshsuper') == 'base super v3'


def test_a_get_on_an_action_says_why_under_plone(plone):
    """Not Plone's "We're sorry, but there seems to be an error": 405,
    ``Allow: POST``, and the tab saying to use its buttons."""
    for headers in ({}, {'Accept': 'text/html'}):
        code, body = request(
            plone, f'{PRODUCTS}/RefreshPloneThing/manage_performRefresh',
            headers=headers)
        assert code == 405 and 'takes a POST' in body, body[:1000]


def test_restart_zope_brings_the_site_back(plone):
    """Last, as it starts the session's site anew: the process executes
    itself again (the same PID and port) and the site answers."""
    before = get(plone, f'{PRODUCTS}/manage_processStarted')
    pid = plone.process.pid
    code, page = request(plone, f'{PRODUCTS}/manage_restart', {})
    assert code == 202 and 'Zope is restarting' in page
    deadline = time.monotonic() + 120
    while True:
        assert time.monotonic() < deadline, 'Plone did not come back'
        try:
            code, now = request(plone, f'{PRODUCTS}/manage_processStarted')
            if code == 200 and now != before:
                break
        except OSError:
            pass
        time.sleep(0.1)
    assert plone.process.poll() is None and plone.process.pid == pid
    assert 'Plone' in get(plone, '/Plone')
