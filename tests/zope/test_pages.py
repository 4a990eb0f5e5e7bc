"""Every URL leads to the page a person expects; a person at a browser
is redirected after a POST, a script gets the answer itself; no page can
be framed by another site."""
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest

from ..conftest import post
from ..conftest import refresh
from .test_bad_input import unchanged  # noqa: F401 (a fixture)


LISTING = '/Control_Panel/Products/manage_main'
BROWSER = {'Accept': 'text/html,application/xhtml+xml,*/*;q=0.8'}
FORM = {'form.submitted': '1'}


def landing(client, url):
    """The path and page a browser ends on after following redirects."""
    page = client.get(url).maybe_follow()
    return urlsplit(page.request.url).path, page


@pytest.mark.parametrize('url', ['/Control_Panel/Products',
                                 '/Control_Panel/Products/',
                                 '/Control_Panel/Products/manage_workspace',
                                 LISTING])
def test_urls_of_the_listing(admin, url):
    path, page = landing(admin, url)
    assert path == LISTING
    assert page.html.select_one('#products') is not None


@pytest.mark.parametrize('view', ['', '/', '/manage_main',
                                  '/manage_workspace', '/manage_refresh'])
def test_urls_of_a_product(admin, installed, view):
    path, page = landing(admin, installed.url + view)
    assert path == installed.url + '/manage_refresh'
    assert page.html.select_one('#refresh-form') is not None


def test_the_breadcrumbs_of_a_tab_lead_back(admin, installed):
    tab = admin.get(installed.url + '/manage_refresh')
    crumbs = {a.text.strip(): a['href']
              for a in tab.html.select('.breadcrumb a')}
    assert landing(admin, crumbs['Products'])[0] == LISTING
    assert landing(admin, crumbs[installed.name])[0] == (
        installed.url + '/manage_refresh')


def test_an_unknown_product_is_explained_under_any_error_page(zope, admin):
    """Plone's error page, like this one, hides NotFound's message."""
    with zope.app() as app:
        app.manage_addProduct['OFSP'].addDTMLMethod(
            'standard_error_message', file='<p>Sorry, that went wrong.</p>')
    try:
        page = admin.get('/Control_Panel/Products/NoSuchProduct', status=404)
        assert "No product named 'NoSuchProduct' is installed." in (
            page.html.select_one('#not-found').text)
        assert 'Sorry' not in page.text
    finally:
        with zope.app() as app:
            app.manage_delObjects(['standard_error_message'])


def message_of(location):
    query = parse_qs(urlsplit(location).query)
    return query['manage_tabs_message'][0], query['manage_tabs_type'][0]


def test_a_browser_is_redirected_to_the_tab(admin, installed):
    installed.touch()
    answer = post(admin, installed.url + '/manage_performRefresh', FORM,
                  status=303, **BROWSER)
    assert urlsplit(answer.location).path == installed.url + '/manage_refresh'
    message, kind = message_of(answer.location)
    assert message.startswith('Product refreshed.') and kind == 'success'
    page = answer.follow(headers=BROWSER)
    assert page.status_int == 200
    assert message in page.html.select_one('.alert-success').text


@pytest.mark.parametrize('action, params, expected', [
    ('manage_enableAutoRefresh', {'enable': 'maybe'}, 'enable must be'),
    ('manage_selectDependentProducts', {}, 'No selections field was sent'),
    ('manage_setRefreshMode', {'mode': 'sideways'}, 'Unknown refresh mode'),
])
def test_a_browser_sees_a_refusal_on_the_tab(admin, installed, unchanged,
                                             action, params, expected):
    answer = post(admin, f'{installed.url}/{action}', dict(params, **FORM),
                  status=303, **BROWSER)
    message, kind = message_of(answer.location)
    assert expected in message and kind == 'danger'
    page = answer.follow(headers=BROWSER)
    assert expected in page.html.select_one('.alert-danger').text


def test_a_browser_sees_a_failed_refresh_on_the_tab(admin, installed):
    installed.write({'content.py': 'raise RuntimeError("broken")\n'})
    answer = post(admin, installed.url + '/manage_performRefresh', FORM,
                  status=303, **BROWSER)
    message, kind = message_of(answer.location)
    assert 'RuntimeError: broken' in message and kind == 'danger'
    assert 'RuntimeError' in answer.follow().html.select_one(
        '#last-refresh').text


def test_a_long_message_is_shortened_in_the_redirect(admin, installed,
                                                     unchanged):
    names = [f'NoSuchProduct{number}' for number in range(500)]
    answer = post(admin, installed.url + '/manage_selectDependentProducts',
                  dict({'selections:list': names}, **FORM), status=303,
                  **BROWSER)
    message, _ = message_of(answer.location)
    assert message.startswith('NoSuchProduct0 is not an installed')
    assert len(message) == 1000 and message.endswith('\u2026')


@pytest.mark.parametrize('params, headers', [
    ({}, BROWSER),  # no form marker: a script
    (FORM, {'Accept': '*/*'}),  # curl's Accept
    (FORM, {'Accept': 'application/json'}),
])
def test_a_script_gets_the_answer_itself(admin, installed, params, headers):
    page = post(admin, installed.url + '/manage_enableAutoRefresh',
                dict(params, enable='on'), **headers)
    assert 'Enabled auto refresh.' in page.html.select_one('.alert').text
    page = post(admin, installed.url + '/manage_enableAutoRefresh',
                dict(params, enable='maybe'), status=400, **headers)
    assert 'enable must be one of' in page.html.select_one('.alert').text


def test_a_foreign_post_is_refused_not_redirected(admin, installed,
                                                  unchanged):
    page = post(admin, installed.url + '/manage_enableAutoRefresh',
                dict(FORM, enable='on'), status=403,
                Origin='http://evil.example', **BROWSER)
    assert 'Refused: this request was sent from' in page.text


def test_a_message_in_the_url_is_shown_escaped(admin, installed):
    page = admin.get(installed.url + '/manage_refresh', {
        'manage_tabs_message': '<script>alert(1)</script>',
        'manage_tabs_type': '"><script>alert(2)</script>'})
    assert '<script>alert(' not in page.text


def answers(admin, product):
    """One of each kind of answer the product's URLs give."""
    action = product.url + '/manage_enableAutoRefresh'
    yield admin.get('/Control_Panel/Products', status=302)
    yield admin.get(LISTING)
    yield admin.get(product.url + '/manage_refresh')
    yield admin.get('/Control_Panel/Products/NoSuchProduct', status=404)
    yield post(admin, action, {'enable': 'on'})
    yield post(admin, action, {'enable': 'maybe'}, status=400)
    yield post(admin, action, {'enable': 'on'}, status=403,
               Origin='http://evil.example')
    yield post(admin, action, dict(FORM, enable='on'), status=303, **BROWSER)
    product.write({'content.py': 'raise RuntimeError("broken")\n'})
    yield refresh(admin, product, status=422)


def test_no_page_can_be_framed_by_another_site(admin, installed):
    statuses = []
    for answer in answers(admin, installed):
        statuses.append(answer.status_int)
        assert answer.headers['X-Frame-Options'] == 'SAMEORIGIN'
        assert answer.headers['Content-Security-Policy'] == (
            "frame-ancestors 'self'")
    assert statuses == [302, 200, 200, 404, 200, 400, 403, 303, 422]
