"""The installed package in a real ``runwsgi`` in debug mode, as a user
starts it: Zope loads the product and its ZCML, the Products tab is
there, the watcher starts, an edit is refreshed by itself. ``make test``
runs this on the wheel and again on the editable install."""
import re

import pytest
from bs4 import BeautifulSoup

from ..demo import page_after_edit
from ..server import ZopeServer


pytestmark = pytest.mark.installation

TAB = '/Control_Panel/Products/RefreshDemo/manage_refresh'


@pytest.fixture(scope='module')
def server(tmp_path_factory):
    server = ZopeServer(tmp_path_factory.mktemp('installed') / 'instance')
    server.start()
    yield server
    server.stop()


def test_control_panel_lists_the_products(server):
    status, body = server.request('/Control_Panel/Products/manage_main')
    assert status == 200
    rows = BeautifulSoup(body, 'html.parser').select('#products tbody tr')
    names = {row.select_one('a').text for row in rows}
    assert {'RefreshManager', 'RefreshDemo', 'RefreshDemoPlus'} <= names


def test_the_zcml_is_loaded_and_auto_refresh_runs(server):
    status, tab = server.request(TAB)
    assert status == 200
    assert 'It can run in this process: Zope runs in debug mode' in tab
    assert re.search(r'watching \d+ files in \d+ products \(events, ',
                     server.log_text())


def test_an_edit_is_refreshed_by_itself(server):
    text = 'Refreshed by the installed package'
    assert text in page_after_edit(server, text)
    log = server.log_text()
    assert 'refreshed Products.RefreshDemo' in log
