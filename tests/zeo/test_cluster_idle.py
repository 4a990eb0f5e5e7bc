"""A cluster whose processes check for refreshes five times a second and
report every half second: an idle process applies a refresh without a
request, and one that stops reporting is shown as stopped."""
import signal

import pytest
from bs4 import BeautifulSoup

from ..cluster import PRODUCT
from ..cluster import demo_page
from ..cluster import process_status
from ..cluster import refresh
from ..cluster import running_cluster
from ..cluster import save_greeting
from ..cluster import status
from ..cluster import wait_for


@pytest.fixture(scope='module')
def cluster(tmp_path_factory):
    with running_cluster(tmp_path_factory.mktemp('cluster'),
                         cluster_check_interval=0.2,
                         cluster_heartbeat=0.5) as cluster:
        yield cluster


def test_an_idle_process_applies_a_refresh_without_a_request(cluster):
    save_greeting(cluster.demo, 'Applied while idle')
    code, answer = refresh(cluster.a)
    assert code == 200, answer
    generation = status(cluster.a)['request']['generation']
    # Only A is asked, until B reports the new generation:
    wait_for(lambda: process_status(cluster.a, cluster.b)['generation']
             == generation)
    assert process_status(cluster.a, cluster.b)['ok']
    assert (f'[RefreshManager cluster] cluster refresh {generation} of '
            f'RefreshDemo' in cluster.b.log_text())
    assert 'Applied while idle' in demo_page(cluster.b)


def test_a_process_that_stops_reporting_is_shown_as_stopped(cluster):
    assert process_status(cluster.a, cluster.b)['reporting']
    cluster.b.process.send_signal(signal.SIGSTOP)
    try:
        wait_for(lambda: not process_status(cluster.a, cluster.b)[
            'reporting'])
        code, tab = cluster.a.request(f'{PRODUCT}/manage_refresh')
        page = BeautifulSoup(tab, 'html.parser')
        row = page.select_one('#cluster tr.process-stopped')
        assert str(cluster.b.process.pid) in row.text
        assert 'stopped reporting' in row.text
        assert not page.select('#cluster tr.process-failed')
        # Alone, A refreshes only itself by default.
        assert page.select_one('#scope-process').has_attr('checked')
        code, answer = refresh(cluster.a)
        assert code == 200 and 'Asked' not in answer
        # Asked all the same, it refreshes when it resumes.
        save_greeting(cluster.demo, 'Applied after a pause')
        code, answer = refresh(cluster.a, scope='cluster')
        assert code == 200
        assert ('Asked every Zope process on this database to refresh it: no'
                ' other one reports in now.') in answer
    finally:
        cluster.b.process.send_signal(signal.SIGCONT)
    wait_for(lambda: process_status(cluster.a, cluster.b)['reporting'])
    generation = status(cluster.a)['request']['generation']
    wait_for(lambda: process_status(cluster.a, cluster.b)['generation']
             == generation)
    assert 'Applied after a pause' in demo_page(cluster.b)
