"""Live reload in a real Zope (runwsgi, FileStorage, real HTTP): which
pages follow the refreshes, and what the stream tells them.

The browser's side (a page reloading itself) is in ``test_browser``."""
import re
import socket
import time
import urllib.request

import pytest
from bs4 import BeautifulSoup

from ..cluster import save_greeting
from ..demo import edit_greeting
from ..server import ZopeServer


PRODUCTS = '/Control_Panel/Products'
STREAM = re.compile(r'var stream = "(http://[^"]+)", made = (\d+)')


@pytest.fixture(scope='module')
def server(tmp_path_factory):
    server = ZopeServer(tmp_path_factory.mktemp('live') / 'instance').start()
    yield server
    server.stop()


def follow(page):
    """Connect to the stream `page` names, as its worker would; the
    socket and the page's generation."""
    url, made = STREAM.search(page).groups()
    host, port, target = re.match(r'http://([^:/]+):(\d+)(/.*)', url).groups()
    client = socket.create_connection((host, int(port)), timeout=10)
    client.sendall(f'GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n'.encode())
    return client, int(made)


def next_generation(client, timeout=10):
    client.settimeout(timeout)
    data = b''
    while True:
        data += client.recv(4096)
        found = re.findall(rb'data: (\d+)\n\n', data)
        if found:
            return int(found[-1])


def anonymous(url):
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read().decode()


def test_pages_of_users_who_may_refresh_follow(server):
    code, page = server.request('/demo')
    assert code == 200 and 'data-refreshmanager="live"' in page
    assert page.index('data-refreshmanager') < page.rindex('</body>')
    assert '++resource++refreshmanager-live.js' in page
    code, worker = server.request('/++resource++refreshmanager-live.js')
    assert code == 200 and 'onconnect' in worker
    code, tab = server.request(f'{PRODUCTS}/RefreshDemo/manage_refresh')
    assert 'data-refreshmanager="live"' in tab
    status = ' '.join(BeautifulSoup(tab, 'html.parser').select_one(
        '#live-reload').text.split())
    assert re.fullmatch(
        r'Open pages reload themselves after a refresh: live reload is on '
        r'\(Zope runs in debug mode\); events on 127\.0\.0\.1:\d+, \d+ '
        r'browsers? following\.', status), status


def test_other_answers_do_not(server):
    assert 'refreshmanager' not in anonymous(server.url + '/demo')
    code, data = server.request(f'{PRODUCTS}/RefreshDemo/manage_refreshStatus')
    assert code == 200 and 'refreshmanager="live"' not in data
    code, page = server.request(f'{PRODUCTS}/RefreshDemo/manage_setRefreshMode',
                                {'mode': 'in-place'})  # a POST's page
    assert code == 200 and '</body>' in page
    assert 'data-refreshmanager' not in page


def test_the_stream_wants_the_token(server):
    code, page = server.request('/demo')
    url = STREAM.search(page).group(1)
    host, port = re.match(r'http://([^:/]+):(\d+)', url).groups()
    client = socket.create_connection((host, int(port)), timeout=10)
    client.sendall(b'GET /events?token=guessed HTTP/1.1\r\nHost: x\r\n\r\n')
    assert client.recv(4096).startswith(b'HTTP/1.1 403 Forbidden')


def test_a_save_with_auto_refresh_on_is_announced_once_refreshed(server):
    code, _ = server.request(f'{PRODUCTS}/RefreshDemo/'
                             'manage_enableAutoRefresh', {'enable': 'on'})
    assert code == 200
    code, page = server.request('/demo')
    client, made = follow(page)
    assert next_generation(client) == made  # what it has now, at once
    saved = time.monotonic()
    edit_greeting(server.demo, 'Announced')
    assert next_generation(client) > made
    announced = time.monotonic() - saved
    # Refreshed on a thread of its own, before any request came.
    assert re.search(r'\[RefreshManager live refresh\] refreshed '
                     r'Products\.RefreshDemo ', server.log_text())
    assert 'Announced' in server.request('/demo')[1]
    assert announced < 5, announced  # bound for a loaded machine only


def test_a_failed_refresh_is_not_announced(server):
    server.request(f'{PRODUCTS}/RefreshDemo/manage_enableAutoRefresh',
                   {'enable': 'on'})
    code, page = server.request('/demo')
    client, made = follow(page)
    assert next_generation(client) == made
    failures = server.log_text().count('previous code kept')
    save_greeting(server.demo, 'Broken', after='\ndef broken(:\n')
    deadline = time.monotonic() + 10
    while server.log_text().count('previous code kept') == failures:
        assert time.monotonic() < deadline, 'the refresh never failed'
        time.sleep(0.05)
    with pytest.raises(socket.timeout):
        next_generation(client, timeout=1)
    save_greeting(server.demo, 'Mended')
    assert next_generation(client) > made


@pytest.mark.parametrize('debug, conf, reason', [
    (False, '', 'Zope runs in production mode'),
    (True, '<product-config refreshmanager>\n  live-reload off\n'
           '</product-config>\n',
     '<product-config refreshmanager> says live-reload off'),
])
def test_off_in_production_and_when_configured_off(tmp_path, debug, conf,
                                                  reason):
    server = ZopeServer(tmp_path / 'instance', debug=debug,
                        zope_conf=conf).start()
    try:
        code, page = server.request('/demo')
        assert code == 200 and 'refreshmanager' not in page
        code, tab = server.request(f'{PRODUCTS}/RefreshDemo/manage_refresh')
        assert ' '.join(BeautifulSoup(tab, 'html.parser').select_one(
            '#live-reload').text.split()) == (
            f'Open pages do not reload themselves after a refresh: live '
            f'reload is off ({reason}).')
        assert 'live reload:' not in server.log_text()
    finally:
        server.stop()
