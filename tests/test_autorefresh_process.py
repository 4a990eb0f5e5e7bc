"""Auto-refresh in real runwsgi processes: off in production mode unless
zope.conf says otherwise, and never in the way of a clean shutdown."""
import os
import shutil
import signal
import subprocess
import time

import pytest

from .server import ZopeServer
from .zope_instance import DEMO_PATH


PRODUCT = '/Control_Panel/Products/RefreshDemo'


@pytest.fixture
def make_server(tmp_path):
    servers = []

    def make(**options):
        demo = tmp_path / 'demo'
        shutil.copytree(DEMO_PATH, demo,
                        ignore=shutil.ignore_patterns('__pycache__'))
        server = ZopeServer(tmp_path / 'instance', demo, **options).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        if server.process is not None:
            server.stop()


def edit_greeting(server, text):
    path = os.path.join(server.demo, 'Products', 'RefreshDemo',
                        'greeting.py')
    with open(path) as source:
        old = source.read()
    with open(path, 'w') as source:
        source.write(old.replace('Hello from the refresh demo!', text))


def page_after_edit(server, text, seconds=10):
    """Turn auto-refresh on, edit the greeting, and ask for the demo page
    until it shows `text` or `seconds` are over; the last page."""
    status, body = server.request(f'{PRODUCT}/manage_enableAutoRefresh',
                                  {'enable': 'on'})
    assert status == 200
    edit_greeting(server, text)
    deadline = time.monotonic() + seconds
    while True:
        status, body = server.request('/demo')
        assert status == 200
        if text in body or time.monotonic() > deadline:
            return body
        time.sleep(0.05)


def test_production_mode_has_no_auto_refresh_by_default(make_server):
    server = make_server(debug=False)
    # Long past when a watcher would have noticed (the poll test's
    # watcher scans every 0.1 s; events take milliseconds):
    assert 'Hello from the refresh demo!' in page_after_edit(
        server, 'Edited in production', seconds=2)
    status, tab = server.request(f'{PRODUCT}/manage_refresh')
    # On for the product (page_after_edit turned it on), not in the process:
    assert ('Auto-refresh is on for RefreshDemo. It cannot run in this '
            'process: Zope runs in production mode') in tab
    assert 'watching' not in server.log_text()


def test_product_config_turns_it_on_with_polling(make_server):
    server = make_server(debug=False, zope_conf='''
<product-config refreshmanager>
  auto-refresh always
  watcher poll
  poll-interval 0.1
</product-config>
''')
    assert 'Edited in production' in page_after_edit(
        server, 'Edited in production')
    log = server.log_text()
    assert 'watching' in log and '(poll)' in log
    assert 'refreshed Products.RefreshDemo in place (3 modules' in log


@pytest.mark.parametrize('signum', [signal.SIGTERM, signal.SIGINT])
def test_clean_shutdown_with_the_watcher_running(make_server, signum):
    server = make_server(debug=True)
    assert 'Edited' in page_after_edit(server, 'Edited')
    assert '(events)' in server.log_text()
    assert helper_running(server)
    log = server.log.name
    # runwsgi has no SIGTERM handler, so SIGTERM ends it as it always
    # does; SIGINT goes through Python's shutdown, atexit and all.
    # A hang raises TimeoutExpired.
    assert server.stop(signum) == (0 if signum == signal.SIGINT else -signum)
    with open(log) as text:
        assert 'watcher stopped' not in text.read()
    # The event helper process goes with it.
    deadline = time.monotonic() + 10
    while helper_running(server):
        assert time.monotonic() < deadline, 'event helper left behind'
        time.sleep(0.05)


def helper_running(server):
    found = subprocess.run(
        ['pgrep', '-f', f'watch_events .*{server.demo}'],
        capture_output=True, text=True)
    return bool(found.stdout.strip())
