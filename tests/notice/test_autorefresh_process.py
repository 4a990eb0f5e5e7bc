"""Auto-refresh in real runwsgi processes: off in production mode unless
zope.conf says otherwise, and never in the way of a clean shutdown."""
import signal
import subprocess
import time

import pytest

from ..demo import GREETING
from ..demo import page_after_edit
from ..server import ZopeServer


PRODUCT = '/Control_Panel/Products/RefreshDemo'


@pytest.fixture
def make_server(tmp_path):
    servers = []

    def make(**options):
        server = ZopeServer(tmp_path / 'instance', **options).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        if server.process is not None:
            server.stop()


def test_production_mode_has_no_auto_refresh_by_default(make_server):
    server = make_server(debug=False)
    # Long past when a watcher would have noticed (the poll test's
    # watcher scans every 0.1 s; events take milliseconds):
    assert GREETING in page_after_edit(
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
    assert 'watching' in log and '(poll, ' in log
    assert 'refreshed Products.RefreshDemo in place (3 modules' in log


@pytest.mark.parametrize('signum', [signal.SIGTERM, signal.SIGINT])
def test_clean_shutdown_with_the_watcher_running(make_server, signum):
    # Started as from a background job (`make test &`), which ignores
    # SIGINT: Zope must still get the signal handling a person gives it.
    ignored = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        server = make_server(debug=True)
    finally:
        signal.signal(signal.SIGINT, ignored)
    assert 'Edited' in page_after_edit(server, 'Edited')
    assert '(events, ' in server.log_text()
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
