"""The same rules over real HTTP, in a runwsgi process: escaped 404s,
framing headers, POST-redirect-GET for browsers, and a log that counts in
words."""
import http.client
import os
from urllib.parse import urlencode
from urllib.parse import urlsplit

import pytest

from ..demo import copy_demo
from ..server import ZopeServer
from ..server import basic_auth


PRODUCT = '/Control_Panel/Products/RefreshManager'
HTML = 'text/html,application/xhtml+xml,*/*;q=0.8'


@pytest.fixture(scope='module')
def server(tmp_path_factory):
    """The demo instance, where only RefreshManager itself can be
    refreshed: the demo products lose their refresh.txt."""
    home = tmp_path_factory.mktemp('http')
    demo = home / 'demo'
    copy_demo(demo)
    for product in ('RefreshDemo', 'RefreshDemoPlus'):
        os.remove(demo / 'Products' / product / 'refresh.txt')
    server = ZopeServer(home / 'instance', demo).start()
    yield server
    server.stop()


def exchange(server, method, path, form=None, **headers):
    """(status, headers, body) of one request, redirects not followed."""
    headers['Authorization'] = basic_auth(server.user, server.password)
    body = None
    if form is not None:
        body = urlencode(form, doseq=True)
        headers['Content-Type'] = 'application/x-www-form-urlencoded'
    connection = http.client.HTTPConnection('127.0.0.1', server.port,
                                            timeout=30)
    try:
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


def test_an_unknown_product_is_escaped(server):
    status, headers, body = exchange(
        server, 'GET',
        '/Control_Panel/Products/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E')
    assert status == 404
    assert '<img src=x' not in body
    assert "No product named '&lt;img src=x onerror=alert(1)&gt;'" in body
    assert headers['X-Frame-Options'] == 'SAMEORIGIN'


def test_a_browser_posts_then_gets_and_a_script_gets_the_answer(server):
    form = {'form.submitted': '1', 'mode': 'in-place'}
    status, headers, body = exchange(
        server, 'POST', f'{PRODUCT}/manage_setRefreshMode', form,
        Accept=HTML, Origin=server.url)
    assert status == 303
    location = urlsplit(headers['Location'])
    assert location.path == f'{PRODUCT}/manage_refresh'
    assert headers['Content-Security-Policy'] == "frame-ancestors 'self'"
    status, headers, body = exchange(
        server, 'GET', f'{location.path}?{location.query}', Accept=HTML)
    assert status == 200 and 'Refresh mode set to in-place.' in body

    status, headers, body = exchange(
        server, 'POST', f'{PRODUCT}/manage_enableAutoRefresh',
        {'enable': 'sometimes'}, Accept='*/*')
    assert status == 400 and 'enable must be one of' in body
    assert headers['X-Frame-Options'] == 'SAMEORIGIN'


def test_the_log_counts_in_words(server):
    assert 'files in 1 product (events, ' in server.log_text()
