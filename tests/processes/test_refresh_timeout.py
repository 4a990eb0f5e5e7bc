"""A module that never finishes cannot wedge a real Zope: the refresh is
stopped at the time limit and rolled back, other requests are served
meanwhile, and a fixed file refreshes normally; by hand and by
auto-refresh. SIGTERM still stops Zope during a refresh."""
import signal
import subprocess
import textwrap
import threading
import time
import urllib.error
import urllib.request

import pytest

from ..demo import GREETING
from ..demo import GREETING_SOURCE
from ..demo import greeting_path
from ..server import ZopeServer
from ..server import basic_auth


PRODUCT = '/Control_Panel/Products/RefreshDemo'
LIMIT = 1.5
CONF = f'''
<product-config refreshmanager>
  refresh-timeout {LIMIT}
  watcher poll
  poll-interval 0.1
</product-config>
'''


def write_greeting(server, text, endless=False):
    source = GREETING_SOURCE.replace(GREETING, text)
    if endless:
        # one line: where a loop is stopped differs by version
        source += '\n    while True: pass\n'
    with open(greeting_path(server.demo), 'w') as out:
        out.write(textwrap.dedent(source))


@pytest.fixture
def server(tmp_path):
    server = ZopeServer(tmp_path / 'instance', zope_conf=CONF).start()
    yield server
    if server.process is not None:
        server.stop()


def served_meanwhile(server, during):
    """Run `during()` while another thread asks for /demo; the answers
    that thread got (status, seconds) while `during` ran."""
    answers, stop = [], threading.Event()

    def ask():
        while not stop.is_set():
            started = time.monotonic()
            status, _body = server.request('/demo')
            answers.append((status, time.monotonic() - started))

    asker = threading.Thread(target=ask)
    asker.start()
    try:
        result = during()
    finally:
        stop.set()
        asker.join(30)
    return result, answers


def test_an_endless_module_is_stopped_by_hand(server):
    write_greeting(server, 'Never served', endless=True)
    started = time.monotonic()
    (status, body), answers = served_meanwhile(
        server, lambda: server.request(PRODUCT + '/manage_performRefresh', {}))
    took = time.monotonic() - started
    assert status == 422
    assert f'stopped at the refresh time limit of {LIMIT:g} s' in body
    assert 'while True' in body  # the traceback shows the user's loop
    assert LIMIT <= took < LIMIT + 5
    assert len(answers) >= 5 and all(code == 200 for code, _ in answers)
    assert max(seconds for _, seconds in answers) < LIMIT
    assert GREETING in server.request('/demo')[1]

    write_greeting(server, 'Fixed by hand')
    status, body = server.request(PRODUCT + '/manage_performRefresh', {})
    assert status == 200 and 'Product refreshed.' in body
    assert 'Fixed by hand' in server.request('/demo')[1]


def test_an_endless_module_is_stopped_in_auto_refresh(server):
    status, _ = server.request(PRODUCT + '/manage_enableAutoRefresh',
                               {'enable': 'on'})
    assert status == 200
    write_greeting(server, 'Never served', endless=True)
    time.sleep(0.5)  # the poll watcher marks the product
    started = time.monotonic()
    status, body = server.request('/demo')
    assert status == 200 and GREETING in body  # the old code
    assert time.monotonic() - started < LIMIT + 5
    status, tab = server.request(PRODUCT + '/manage_refresh')
    assert 'stopped at the refresh time limit' in tab
    assert 'refresh of Products.RefreshDemo' in server.log_text()

    write_greeting(server, 'Fixed by auto-refresh')
    deadline = time.monotonic() + 10
    while 'Fixed by auto-refresh' not in server.request('/demo')[1]:
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_sigterm_stops_zope_during_a_refresh(tmp_path):
    server = ZopeServer(tmp_path / 'instance', zope_conf=CONF.replace(
        f'refresh-timeout {LIMIT}', 'refresh-timeout 60').replace(
        'watcher poll', 'watcher events')).start()
    write_greeting(server, 'Never served', endless=True)

    def refresh():
        try:
            server.request(PRODUCT + '/manage_performRefresh', {})
        except OSError:  # Zope is stopped during the request
            pass

    refreshing = threading.Thread(target=refresh)
    refreshing.start()
    time.sleep(1)  # inside the endless loop
    started = time.monotonic()
    server.stop(signal.SIGTERM)
    assert time.monotonic() - started < 5
    refreshing.join(30)
    found = subprocess.run(['pgrep', '-f', f'watch_events .*{server.demo}'],
                           capture_output=True, text=True)
    deadline = time.monotonic() + 5
    while found.stdout.strip():
        assert time.monotonic() < deadline, 'event helper left behind'
        time.sleep(0.1)
        found = subprocess.run(
            ['pgrep', '-f', f'watch_events .*{server.demo}'],
            capture_output=True, text=True)


def test_a_refresh_asked_for_while_one_is_stuck_is_refused_at_once(
        tmp_path):
    """While a refresh loops (here with a time limit of 30 s), five more
    clicks are answered 409, saying which refresh runs and when to try
    again, and pages are served, all before the stuck refresh ends: no
    worker thread waits for it."""
    server = ZopeServer(tmp_path / 'instance', zope_conf=CONF.replace(
        f'refresh-timeout {LIMIT}', 'refresh-timeout 30')).start()
    try:
        _refused_while_stuck(server)
    finally:
        server.stop()


def _refused_while_stuck(server):
    write_greeting(server, 'Never served', endless=True)
    stuck = threading.Thread(target=stuck_refresh, args=(server,))
    stuck.start()
    time.sleep(0.3)  # the first refresh is in the loop
    answers = []

    def click():
        ask = urllib.request.Request(
            server.url + PRODUCT + '/manage_performRefresh', data=b'',
            headers={'Authorization': basic_auth(server.user,
                                                 server.password)})
        try:
            with urllib.request.urlopen(ask, timeout=30) as answer:
                status, headers, body = answer.status, answer.headers, \
                    answer.read().decode()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, \
                error.read().decode()
        answers.append((status, headers, body))

    clicks = [threading.Thread(target=click) for _ in range(5)]
    for thread in clicks:
        thread.start()
    pages = [server.request('/demo') for _ in range(3)]
    for thread in clicks:
        thread.join(25)
    assert stuck.is_alive()  # all of it happened while it was stuck
    assert [status for status, _ in pages] == [200] * 3
    assert len(answers) == 5
    for status, headers, body in answers:
        assert status == 409
        assert 1 <= int(headers['Retry-After']) <= 31
        assert 'Another refresh is running (Products.RefreshDemo' in body
        assert 'Nothing was done' in body
    assert GREETING in server.request('/demo')[1]
    server.stop()  # ends the stuck refresh too
    stuck.join(30)


def stuck_refresh(server):
    try:
        server.request(PRODUCT + '/manage_performRefresh', {})
    except OSError:  # Zope was stopped while it was stuck
        pass
