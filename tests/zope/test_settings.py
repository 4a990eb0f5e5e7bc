"""Settings changed over HTTP land in root['RefreshData'], Zope 2's way."""
from persistent.mapping import PersistentMapping

from ..conftest import post


def test_auto_refresh_setting(zope, admin, installed):
    page = post(admin, installed.url + '/manage_enableAutoRefresh',
                {'enable': 'on'})
    assert 'Enabled auto refresh.' in page.text
    assert page.html.select_one('#enable').has_attr('checked')
    with zope.app() as app:
        data = app._p_jar.root()['RefreshData']
        assert type(data) is PersistentMapping
        assert type(data['auto']) is PersistentMapping
        assert data['auto'][installed.name] == 1

    page = post(admin, installed.url + '/manage_enableAutoRefresh')
    assert 'Disabled auto refresh.' in page.text
    assert not page.html.select_one('#enable').has_attr('checked')
    with zope.app() as app:
        assert installed.name not in app._p_jar.root()['RefreshData']['auto']


def test_dependent_products_setting(zope, admin, installed, make_product):
    other = make_product()
    page = post(admin, installed.url + '/manage_selectDependentProducts',
                {'selections:list': [other.name, 'RefreshDemo']})
    assert (f'Dependent products saved: {other.name}, RefreshDemo.'
            in page.text)
    checked = [box['value'] for box in page.html.select(
        '#dependents-form input[type=checkbox]') if box.has_attr('checked')]
    assert sorted(checked) == sorted([other.name, 'RefreshDemo'])
    with zope.app() as app:
        entry = app._p_jar.root()['RefreshData']['products'][installed.name]
        assert type(entry) is PersistentMapping
        assert entry['dependent_products'] == (other.name, 'RefreshDemo')
    listing = admin.get('/Control_Panel/Products/manage_main')
    assert f'{other.name}, RefreshDemo' in listing.text

    # The form sends only its :default marker when nothing is checked.
    page = post(admin, installed.url + '/manage_selectDependentProducts',
                {'selections:list:default': ''})
    assert 'Dependent products cleared.' in page.text
    with zope.app() as app:
        entry = app._p_jar.root()['RefreshData']['products'][installed.name]
        assert entry['dependent_products'] == ()


def test_settings_written_by_zope_2_are_read(zope, admin, installed):
    """An old Data.fs: the layout Zope 2 wrote, read as it is."""
    with zope.app() as app:
        root = app._p_jar.root()
        root['RefreshData'] = PersistentMapping({
            'auto': PersistentMapping({installed.name: 1}),
            'products': PersistentMapping({installed.name: PersistentMapping(
                {'dependent_products': ('RefreshDemo',)})}),
        })
    page = admin.get(installed.url + '/manage_refresh')
    assert page.html.select_one('#enable').has_attr('checked')
    assert page.html.select_one('#dep-RefreshDemo').has_attr('checked')


def test_refresh_mode_setting(zope, admin, installed):
    tab = admin.get(installed.url + '/manage_refresh')
    assert tab.html.select_one('#mode-in-place').has_attr('checked')
    page = post(admin, installed.url + '/manage_setRefreshMode',
                {'mode': 'classic'})
    assert page.html.select_one('#mode-classic').has_attr('checked')
    with zope.app() as app:
        entry = app._p_jar.root()['RefreshData']['products'][installed.name]
        assert entry['mode'] == 'classic'
