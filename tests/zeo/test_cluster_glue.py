"""Cluster refresh in the session's Zope, whose FileStorage no other
process can open: it takes no part, says why, and refuses what needs
other processes, changing nothing. And the cluster settings."""
import json

import pytest
from ZODB.DemoStorage import DemoStorage
from ZODB.FileStorage import FileStorage
from ZODB.MappingStorage import MappingStorage

from Products.RefreshManager.cluster import process
from Products.RefreshManager.config import cluster_config

from ..conftest import post
from ..conftest import refresh
from ..zope.test_bad_input import unchanged  # noqa: F401 (a fixture)


def test_a_single_process_database_takes_no_part(admin, installed):
    assert process.member is None
    assert 'the database is a FileStorage' in process.reason
    page = admin.get(installed.url + '/manage_refresh')
    assert page.html.select_one('#scope') is None
    assert page.html.select_one('#cluster') is None
    installed.touch()
    answer = refresh(admin, installed)
    assert 'Product refreshed.' in answer.text
    assert 'Asked all' not in answer.text
    assert 'this process only' not in answer.text


def test_the_status_says_why_as_json(admin, installed):
    answer = admin.get(installed.url + '/manage_refreshStatus')
    assert answer.content_type == 'application/json'
    assert json.loads(answer.text) == {
        'product': installed.name, 'cluster': False,
        'reason': process.reason, 'request': None, 'processes': []}


@pytest.mark.parametrize('scope, problem', [
    ('cluster', 'This Zope process takes no part in cluster refreshes: the '
                'database is a FileStorage, which no other Zope process can '
                'open. Nothing was changed.'),
    ('<b>sideways</b>', "Unknown scope '<b>sideways</b>': choose cluster"),
])
@pytest.mark.parametrize('action', [
    '{product}/manage_performRefresh', '/Control_Panel/Products/'
    'manage_refreshChanged'])
def test_a_scope_it_cannot_do_is_refused(admin, installed, unchanged, scope,
                                         problem, action):
    page = post(admin, action.format(product=installed.url),
                {'scope': scope}, status=400)
    assert problem in page.html.select_one('.alert').text
    assert '<b>sideways' not in page.text  # escaped


def test_the_status_is_for_managers_and_read_only(zope, admin, installed):
    post(admin, installed.url + '/manage_refreshStatus', status=404)
    for user in (None, 'editor'):
        zope.browser(user).get(installed.url + '/manage_refreshStatus',
                               status=401)


def test_cluster_settings():
    assert cluster_config({}) == cluster_config(
        {'cluster': 'auto', 'cluster-check-interval': '0.5',
         'cluster-heartbeat': '60'})
    config = cluster_config({'cluster': 'ON', 'cluster-heartbeat': '5'})
    assert (config.mode, config.check_interval, config.heartbeat) == (
        'on', 0.5, 5.0)


@pytest.mark.parametrize('settings, problem', [
    ({'cluster': 'sometimes'}, 'cluster must be one of auto, on, off'),
    ({'cluster-check-interval': '0'}, 'cluster-check-interval must be a'),
    ({'cluster-heartbeat': 'often'}, 'cluster-heartbeat must be a positive'),
])
def test_bad_cluster_settings_name_the_key(settings, problem):
    with pytest.raises(ValueError, match=problem):
        cluster_config(settings)


def test_which_databases_take_part(tmp_path):
    import ZEO
    address, stop = ZEO.server(path=str(tmp_path / 'Data.fs'))
    client = ZEO.client(address)
    file_storage = FileStorage(str(tmp_path / 'Local.fs'))
    try:
        single = [file_storage, MappingStorage(), DemoStorage()]
        for storage in single:
            assert process.decide(cluster_config({}), storage)[0] is False
        assert process.decide(cluster_config({}), client) == (
            True, 'the database (ClientStorage) can be shared by Zope '
                  'processes')
        assert process.decide(cluster_config({'cluster': 'off'}), client)[
            0] is False
        assert process.decide(cluster_config({'cluster': 'on'}),
                              file_storage)[0] is True
    finally:
        client.close()
        file_storage.close()
        stop()
