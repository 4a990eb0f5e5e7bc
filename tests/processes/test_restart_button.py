"""Restart Zope, where only a restart will do: a real runwsgi Zope whose
demo product has a module that opts out of refreshes, edited on disk,
over real HTTP.

The process executes itself again: the same PID, the same port, a new
start time, and the file's new code running."""
import os
import time

import pytest
from bs4 import BeautifulSoup

from ..server import ZopeServer
from ..server import request


PRODUCTS = '/Control_Panel/Products'
PINNED = 'Products/RefreshDemo/pinned.py'


def pinned_server(folder, **options):
    """A Zope whose RefreshDemo imports a module a refresh never runs
    again, started."""
    server = ZopeServer(folder, **options)
    save_pinned(server, 1)
    init = os.path.join(server.demo, 'Products', 'RefreshDemo',
                        '__init__.py')
    with open(init) as source:
        text = source.read()
    with open(init, 'w') as out:
        out.write('from . import pinned  # noqa: F401\n' + text)
    return server.start()


def save_pinned(server, value):
    with open(os.path.join(server.demo, PINNED), 'w') as out:
        out.write(f'"""Loaded once."""\n__refresh_module__ = False\n'
                  f'VALUE = {value}\n')


def started(server):
    code, body = server.request(f'{PRODUCTS}/manage_processStarted')
    assert code == 200
    return body


def back_after(server, before, seconds=60):
    """Wait for the process started after `before`; seconds taken."""
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        try:
            if started(server) != before:
                return time.monotonic() - began
        except OSError:  # down for the moment
            pass
        time.sleep(0.05)
    raise AssertionError('Zope did not come back')


def text_of(page, selector):
    found = BeautifulSoup(page, 'html.parser').select_one(selector)
    return found and ' '.join(found.text.split())


@pytest.fixture
def server(tmp_path):
    server = pinned_server(tmp_path / 'instance')
    yield server
    server.stop()


def test_offered_only_when_needed_then_restarts_the_same_process(server):
    code, listing = server.request(f'{PRODUCTS}/manage_main')
    assert text_of(listing, '#restart-form') is None
    save_pinned(server, 2)
    code, listing = server.request(f'{PRODUCTS}/manage_main')
    offer = text_of(listing, '#restart-form')
    assert ('RefreshDemo: Products.RefreshDemo.pinned: pinned.py changed '
            'since its code was loaded, and its module opts out of '
            'refreshes (__refresh_module__ = False)') in offer
    assert text_of(listing, '#restart-button') == 'Restart Zope'
    assert text_of(listing, '.needs-restart') == 'needs a restart'
    code, tab = server.request(f'{PRODUCTS}/RefreshDemo/manage_refresh')
    assert text_of(tab, '#restart-button') == 'Restart Zope'
    code, tab = server.request(f'{PRODUCTS}/RefreshDemoPlus/manage_refresh')
    assert text_of(tab, '#restart-form') is None  # not this product's

    pid, before = server.process.pid, started(server)
    assert server.request(f'{PRODUCTS}/manage_restart')[0] == 405
    code, page = request(server.url + f'{PRODUCTS}/manage_restart',
                         server.user, server.password, {},
                         {'Origin': 'http://elsewhere.example'})
    assert code == 403 and started(server) == before
    code, page = server.request(f'{PRODUCTS}/manage_restart', {})
    assert code == 202
    assert text_of(page, '#restarting').startswith('Zope is restarting:')
    assert back_after(server, before) < 60
    assert server.process.poll() is None and server.process.pid == pid
    log = server.log_text()
    assert 'restarting Zope, asked by ' + server.user in log
    assert log.count(f'Serving on {server.url}') == 2
    code, listing = server.request(f'{PRODUCTS}/manage_main')
    assert code == 200 and text_of(listing, '#restart-form') is None


def test_a_person_gets_the_page_that_waits(server):
    before = started(server)
    code, page = request(
        server.url + f'{PRODUCTS}/manage_restart', server.user,
        server.password, {'form.submitted': '1'},
        {'Accept': 'text/html', 'Referer':
         server.url + f'{PRODUCTS}/RefreshDemo/manage_refresh'})
    assert code == 202  # not a redirect: the next page would not be there
    script = BeautifulSoup(page, 'html.parser').select('main script')[0].text
    assert f"back = '{server.url}{PRODUCTS}/RefreshDemo/manage_refresh'" \
        in script
    assert f"old = '{before}'" in script
    back_after(server, before)


def test_refused_in_production_mode(tmp_path):
    server = pinned_server(tmp_path / 'instance', debug=False)
    try:
        save_pinned(server, 2)
        before = started(server)
        code, listing = server.request(f'{PRODUCTS}/manage_main')
        assert text_of(listing, '#restart-button') is None
        assert text_of(listing, '#restart-refused').startswith(
            'Zope runs in production mode')
        code, page = server.request(f'{PRODUCTS}/manage_restart', {})
        assert code == 409
        assert 'Zope runs in production mode' in text_of(page, '.alert')
        time.sleep(0.5)
        assert started(server) == before
    finally:
        server.stop()


def test_auto_restart_when_configured(tmp_path):
    server = pinned_server(
        tmp_path / 'instance', zope_conf='<product-config refreshmanager>\n'
        '  auto-restart on\n</product-config>\n')
    try:
        code, _ = server.request(f'{PRODUCTS}/RefreshDemo/'
                                 'manage_enableAutoRefresh', {'enable': 'on'})
        assert code == 200
        before = started(server)
        save_pinned(server, 2)
        server.request('/demo')  # auto-refresh runs, and asks for it
        back_after(server, before)
        assert 'restarting Zope, asked by auto-refresh' in server.log_text()
    finally:
        server.stop()
