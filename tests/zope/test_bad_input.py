"""Every refused request says why and changes nothing."""
import sys

import pytest

from ..conftest import post


ACTIONS = {
    'manage_performRefresh': {},
    'manage_enableAutoRefresh': {'enable': 'on'},
    'manage_selectDependentProducts': {'selections:list': 'RefreshDemo'},
    'manage_setRefreshMode': {'mode': 'classic'},
}


def refresh_data(zope):
    with zope.app() as app:
        data = app._p_jar.root().get('RefreshData', {})
        return {key: {k: dict(v) if hasattr(v, 'items') else v
                      for k, v in section.items()}
                for key, section in data.items()}


@pytest.fixture
def unchanged(zope, installed):
    """Assert that the test leaves modules and settings as they were."""
    modules = {name: sys.modules[name] for name in installed.loaded()}
    settings = refresh_data(zope)
    yield
    assert {name: sys.modules[name] for name in installed.loaded()} == modules
    assert refresh_data(zope) == settings


def test_unknown_product_is_not_found(admin):
    page = admin.get('/Control_Panel/Products/NoSuchProduct/manage_refresh',
                     status=404)
    assert "No product named 'NoSuchProduct' is installed" in page.text
    page = admin.post('/Control_Panel/Products/NoSuchProduct/'
                      'manage_performRefresh', status=404)
    assert 'NoSuchProduct' in page.text


def test_product_without_refresh_txt_explains_how_to_opt_in(
        zope, admin, make_product):
    product = make_product()
    product.write({'refresh.txt': ''})
    import os
    os.remove(os.path.join(product.folder, 'refresh.txt'))
    page = admin.get(product.url + '/manage_refresh')
    assert 'opts in by shipping a file named' in page.html.select_one(
        '#not-refreshable').text
    assert page.html.select_one('#refresh-form') is None
    before = refresh_data(zope)
    for action, params in ACTIONS.items():
        page = post(admin, f'{product.url}/{action}', params, status=400)
        assert 'is not refreshable: it has no refresh.txt' in page.text
    assert product.loaded() == []
    assert refresh_data(zope) == before


@pytest.mark.parametrize('action', sorted(ACTIONS))
def test_get_is_refused(admin, installed, unchanged, action):
    """A link or a typed address: 405, what to do instead, the tab."""
    page = admin.get(f'{installed.url}/{action}', status=405)
    assert page.headers['Allow'] == 'POST'
    assert 'an action of this page takes a POST' in page.text
    assert 'Nothing was changed.' in page.text
    assert page.html.select_one('#refresh-form') is not None


@pytest.mark.parametrize('action', sorted(ACTIONS))
@pytest.mark.parametrize('header', ['Origin', 'Referer'])
def test_foreign_origin_is_refused(admin, installed, unchanged, action,
                                   header):
    page = post(admin, f'{installed.url}/{action}', ACTIONS[action],
                status=403, **{header: 'http://evil.example/page'})
    assert 'Refused: this request was sent from http://evil.example' in (
        page.text)


def test_same_origin_is_accepted(admin, installed):
    page = post(admin, installed.url + '/manage_enableAutoRefresh',
                {'enable': 'on'}, Origin='http://localhost:80')
    assert 'Enabled auto refresh.' in page.text
    page = post(admin, installed.url + '/manage_enableAutoRefresh',
                Referer='http://localhost/Control_Panel/Products')
    assert 'Disabled auto refresh.' in page.text


@pytest.mark.parametrize('user', [None, 'editor'])
@pytest.mark.parametrize('action', sorted(ACTIONS))
def test_anonymous_and_non_managers_are_unauthorized(
        zope, installed, unchanged, user, action):
    client = zope.browser(user)
    post(client, f'{installed.url}/{action}', ACTIONS[action], status=401)
    client.get(installed.url + '/manage_refresh', status=401)


@pytest.mark.parametrize('selection, problem', [
    ('NoSuchProduct', 'NoSuchProduct is not an installed, refreshable'),
    ('OFSP', 'OFSP is not an installed, refreshable'),
    ('{self}', 'cannot be its own dependent'),
])
def test_bad_dependents_are_refused(admin, installed, unchanged, selection,
                                    problem):
    selection = selection.replace('{self}', installed.name)
    page = post(admin, installed.url + '/manage_selectDependentProducts',
                {'selections:list': ['RefreshDemo', selection]}, status=400)
    alert = page.html.select_one('.alert').text
    assert problem in alert and 'Dependent products were not changed' in alert


def test_unknown_refresh_mode_is_refused(admin, installed, unchanged):
    page = post(admin, installed.url + '/manage_setRefreshMode',
                {'mode': 'sideways'}, status=400)
    assert "Unknown refresh mode 'sideways'" in page.html.select_one(
        '.alert').text
