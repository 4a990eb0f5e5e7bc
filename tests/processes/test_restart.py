"""Settings live in the ZODB: they survive stopping and starting Zope."""
import pytest
from bs4 import BeautifulSoup

from ..server import ZopeServer


PRODUCTS = '/Control_Panel/Products'


@pytest.fixture
def server(tmp_path):
    server = ZopeServer(tmp_path / 'instance').start()
    yield server
    server.stop()


def checkbox(server, product, box_id):
    status, body = server.request(f'{PRODUCTS}/{product}/manage_refresh')
    assert status == 200
    return BeautifulSoup(body, 'html.parser').select_one(
        f'#{box_id}').has_attr('checked')


def test_settings_survive_a_restart(server):
    # As `make run` left them: RefreshDemoPlus depends on RefreshDemo.
    assert checkbox(server, 'RefreshDemo', 'dep-RefreshDemoPlus')
    assert not checkbox(server, 'RefreshDemoPlus', 'enable')
    status, body = server.request(
        f'{PRODUCTS}/RefreshDemoPlus/manage_enableAutoRefresh',
        {'enable': 'on'})
    assert status == 200 and 'Enabled auto refresh.' in body
    status, body = server.request(
        f'{PRODUCTS}/RefreshDemo/manage_selectDependentProducts',
        {'selections:list:default': ''})
    assert status == 200 and 'Dependent products cleared.' in body
    server.stop()

    server.start()
    assert checkbox(server, 'RefreshDemoPlus', 'enable')
    assert not checkbox(server, 'RefreshDemo', 'dep-RefreshDemoPlus')
