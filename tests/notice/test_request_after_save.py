"""The request right after a save runs the saved code: in a real runwsgi
with auto-refresh on (file events, the default), 200 saves of the demo's
greeting, each followed at once by a request for the page that shows it.
Zope 2 compared file times on every request and never missed; the save
sentinel (inotify, looked at when the request opens its connection)
gives the same guarantee without looking at any file."""
import sys

import pytest

from ..demo import GREETING
from ..demo import edit_greeting
from ..server import ZopeServer


SAVES = 200
PRODUCT = '/Control_Panel/Products/RefreshDemo'


@pytest.mark.skipif(not sys.platform.startswith('linux'),
                    reason='the guarantee rests on inotify (Linux)')
def test_the_request_right_after_a_save_runs_the_saved_code(tmp_path):
    server = ZopeServer(tmp_path / 'instance').start()
    try:
        status, body = server.request(PRODUCT + '/manage_enableAutoRefresh',
                                      {'enable': 'on'})
        assert status == 200, body
        assert 'a save is seen by the next request (inotify)' in \
            server.log_text()
        current, misses = GREETING, []
        for save in range(SAVES):
            text = f'Save number {save}'
            edit_greeting(server.demo, text, current)
            current = text
            status, page = server.request('/demo')  # at once
            assert status == 200, page
            if text not in page:
                misses.append(save)
        assert misses == [], f'{len(misses)} of {SAVES} saves missed'
    finally:
        server.stop()
