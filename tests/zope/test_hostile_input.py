"""Hostile and careless input: request data is shown escaped, typed form
fields and unexpected values are refused with a clear 400, and nothing
changes."""
import pytest

from ..conftest import post
from .test_bad_input import refresh_data
from .test_bad_input import unchanged  # noqa: F401 (a fixture)


MARKUP = '<img src=x onerror=alert(1)>'
QUOTED = '%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E'


@pytest.mark.parametrize('path', ['', '/manage_refresh',
                                  '/manage_performRefresh'])
@pytest.mark.parametrize('method', ['GET', 'POST'])
def test_a_product_name_in_the_url_is_shown_escaped(zope, admin, path,
                                                    method):
    url = f'/Control_Panel/Products/{QUOTED}{path}'
    page = admin.request(url, method=method, status=404)
    assert MARKUP not in page.text
    assert f"No product named '{MARKUP}' is installed." in (
        page.html.select_one('#not-found').text)
    # Anonymous users are asked to log in, and learn nothing:
    page = zope.browser(None).request(url, method=method, status=401)
    assert MARKUP not in page.text


@pytest.mark.parametrize('header', ['Origin', 'Referer'])
def test_a_foreign_origin_is_shown_escaped(admin, installed, unchanged,
                                           header):
    source = 'http://evil.example/<script>alert(1)</script>'
    page = post(admin, installed.url + '/manage_enableAutoRefresh',
                {'enable': 'on'}, status=403, **{header: source})
    assert '<script>alert(1)' not in page.text
    assert f'Refused: this request was sent from {source}' in (
        page.html.select_one('.alert').text)


@pytest.mark.parametrize('header, source', [
    ('Origin', 'https://localhost:80'),
    ('Origin', 'https://localhost'),
    ('Referer', 'https://localhost:80/Control_Panel/Products'),
    ('Origin', 'ftp://localhost:80'),
    ('Origin', 'null'),
])
def test_another_scheme_is_another_site(admin, installed, unchanged, header,
                                        source):
    page = post(admin, installed.url + '/manage_enableAutoRefresh',
                {'enable': 'on'}, status=403, **{header: source})
    assert 'Refused: this request was sent from' in page.text


TYPED_SELECTIONS = {
    'selections:int': '5',
    'selections:long': '5',
    'selections:float': '1.5',
    'selections:boolean': 'yes',
    'selections:date': '2024-01-01',
    'selections:json': '{"RefreshDemo": 1}',
    'selections:bytes': 'RefreshDemo',
    'selections.name:record': 'RefreshDemo',
    'selections.name:records': 'RefreshDemo',
    'selections:list:int': '5',
}


@pytest.mark.parametrize('field', sorted(TYPED_SELECTIONS))
def test_typed_selections_are_refused(admin, installed, unchanged, field):
    page = post(admin, installed.url + '/manage_selectDependentProducts',
                {field: TYPED_SELECTIONS[field]}, status=400)
    alert = page.html.select_one('.alert').text
    assert 'selections must be product names (selections:list)' in alert
    assert 'Dependent products were not changed.' in alert


TYPED_OTHERS = [
    ('enable', 'enable:int', '5', 'enable must be one of on, 1, true, yes'),
    ('enable', 'enable:float', '1.0', 'enable must be one of'),
    ('enable', 'enable:date', '2024-01-01', 'enable must be one of'),
    ('enable', 'enable:json', '[1]', 'enable must be one of'),
    ('enable', 'enable:list', 'on', 'enable must be one of'),
    ('enable', 'enable.x:record', 'on', 'enable must be one of'),
    ('mode', 'mode:int', '1', 'Unknown refresh mode 1: choose one of'),
    ('mode', 'mode:date', '2024-01-01', 'Unknown refresh mode'),
    ('mode', 'mode:json', '["classic"]', 'Unknown refresh mode'),
    ('mode', 'mode:boolean', 'yes', 'Unknown refresh mode True'),
    ('mode', 'mode.x:record', 'classic', 'Unknown refresh mode'),
    ('mode', 'mode:bytes', 'classic', "Unknown refresh mode b'classic'"),
]
ACTION_OF = {'enable': 'manage_enableAutoRefresh',
             'mode': 'manage_setRefreshMode'}


@pytest.mark.parametrize('name, field, value, message', TYPED_OTHERS)
def test_typed_enable_and_mode_are_refused(admin, installed, unchanged, name,
                                           field, value, message):
    page = post(admin, f'{installed.url}/{ACTION_OF[name]}', {field: value},
                status=400)
    alert = page.html.select_one('.alert').text
    assert message in alert and 'Nothing was changed.' in alert


@pytest.mark.parametrize('value', ['on', '1', 'true', 'yes', 'ON', ' Yes '])
def test_enable_values_that_turn_it_on(zope, admin, installed, value):
    page = post(admin, installed.url + '/manage_enableAutoRefresh',
                {'enable': value})
    assert 'Enabled auto refresh.' in page.text
    assert refresh_data(zope)['auto'][installed.name] == 1


@pytest.mark.parametrize('value', ['off', '0', 'false', 'no', 'OFF', None])
def test_enable_values_that_turn_it_off(zope, admin, installed, value):
    post(admin, installed.url + '/manage_enableAutoRefresh', {'enable': 'on'})
    params = {} if value is None else {'enable': value}
    page = post(admin, installed.url + '/manage_enableAutoRefresh', params)
    assert 'Disabled auto refresh.' in page.text
    assert installed.name not in refresh_data(zope)['auto']


@pytest.mark.parametrize('value', ['', 'maybe', '2', 'onn', 'x' * 10000])
def test_other_enable_values_are_refused(admin, installed, unchanged, value):
    page = post(admin, installed.url + '/manage_enableAutoRefresh',
                {'enable': value}, status=400)
    alert = page.html.select_one('.alert').text
    assert ('enable must be one of on, 1, true, yes (on) or off, 0, false, '
            'no (off; or no enable field)') in alert
    assert len(alert) < 500  # a long value is not repeated in full


def test_no_selections_field_is_refused(zope, admin, installed, unchanged):
    page = post(admin, installed.url + '/manage_selectDependentProducts',
                {'selection:list': 'RefreshDemo'}, status=400)
    alert = page.html.select_one('.alert').text
    assert 'No selections field was sent' in alert
    assert 'the dependent products were not changed' in alert


@pytest.mark.parametrize('params', [
    {'selections:list:default': ''},  # what the form sends, none checked
    {'selections': ''},
    {'selections:list': ''},
])
def test_an_empty_selections_field_clears_them(zope, admin, installed,
                                               params):
    post(admin, installed.url + '/manage_selectDependentProducts',
         {'selections:list': 'RefreshDemo'})
    page = post(admin, installed.url + '/manage_selectDependentProducts',
                params)
    assert 'Dependent products cleared.' in page.text
    assert refresh_data(zope)['products'][installed.name][
        'dependent_products'] == ()


def test_no_mode_is_refused(admin, installed, unchanged):
    page = post(admin, installed.url + '/manage_setRefreshMode', status=400)
    assert 'No refresh mode was given: choose one of in-place, classic.' in (
        page.html.select_one('.alert').text)
