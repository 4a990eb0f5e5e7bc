"""One click refreshes every Zope process on a ZEO database: a real ZEO
server and two real Zope processes on 127.0.0.1, the demo products
edited on disk, HTTP only.

The processes run in production mode (no auto-refresh, no file watcher)
and look for cluster refreshes only when a request opens a connection:
an idle process's check runs once a minute here, so B refreshes in the
request that first sees the click. B sees what A committed once the ZEO
server's invalidation reached it, milliseconds later but not always
before the test's next request (the settings too): the tests ask B again
until then, within a bound.
"""
import os
import re
import threading

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
                         cluster_check_interval=60,
                         cluster_heartbeat=600) as cluster:
        yield cluster


def latest_generation(server):
    request = status(server)['request']
    return request['generation'] if request else 0


def serves(server, text, path='/demo'):
    """Ask `server` for the page until it shows `text`."""
    wait_for(lambda: text in demo_page(server, path))


def caught_up(cluster, *servers):
    """Ask each server for pages until it reports the latest generation:
    its requests catch up (its idle check is off)."""
    generation = latest_generation(cluster.a)
    for server in servers:
        wait_for(lambda: demo_page(server) and process_status(
            cluster.a, server)['generation'] == generation)


def test_settings_set_on_a_are_seen_on_b(cluster):
    code, _ = cluster.a.request(f'{PRODUCT}/manage_setRefreshMode',
                                {'mode': 'classic'})
    assert code == 200
    try:
        wait_for(lambda: BeautifulSoup(
            cluster.b.request(f'{PRODUCT}/manage_refresh')[1],
            'html.parser').select_one('#mode-classic').has_attr('checked'))
    finally:
        cluster.a.request(f'{PRODUCT}/manage_setRefreshMode',
                          {'mode': 'in-place'})


def test_a_click_on_a_refreshes_b_in_a_request(cluster):
    code, tab = cluster.a.request(f'{PRODUCT}/manage_refresh')
    page = BeautifulSoup(tab, 'html.parser')
    assert page.select_one('#scope-cluster').has_attr('checked')
    assert 'one of 2 processes reporting in' in ' '.join(
        page.select_one('#scope').text.split())
    before = latest_generation(cluster.a)
    save_greeting(cluster.demo, 'Refreshed across the cluster')
    code, answer = refresh(cluster.a)
    assert code == 200, answer
    assert ('Asked all 2 Zope processes on this database to refresh it, '
            'this one and 1 other') in answer
    assert 'Refreshed across the cluster' in demo_page(cluster.a)
    serves(cluster.b, 'Refreshed across the cluster')
    # The dependent product was refreshed with it.
    assert 'Refreshed across the cluster' in demo_page(cluster.b, '/fancy')
    log = cluster.b.log_text()
    assert re.search(rf'\[waitress-\d+\] cluster refresh {before + 1} of '
                     rf'RefreshDemo, asked by admin on', log)
    assert 'refreshed Products.RefreshDemoPlus' in log
    request = status(cluster.b)['request']
    assert (request['generation'], request['by']) == (before + 1, 'admin')
    for server in (cluster.a, cluster.b):
        row = process_status(cluster.a, server)
        assert (row['generation'], row['ok'], row['error']) == (
            before + 1, True, None)
        assert row['reporting'] and not row['adopted']
    code, tab = cluster.b.request(f'{PRODUCT}/manage_refresh')
    states = BeautifulSoup(tab, 'html.parser').select('#cluster tbody tr')
    assert [row['class'] for row in states] == [['process-applied']] * 2


def test_a_failing_edit_keeps_the_old_code_everywhere_and_both_report(
        cluster):
    save_greeting(cluster.demo, 'Before the broken edit')
    assert refresh(cluster.a)[0] == 200
    serves(cluster.b, 'Before the broken edit')
    save_greeting(cluster.demo, 'Broken', after='\ndef broken(:\n')
    code, answer = refresh(cluster.a)
    assert code == 422
    assert 'SyntaxError' in answer and 'Asked all 2 Zope processes' in answer
    generation = latest_generation(cluster.a)
    caught_up(cluster, cluster.b)
    for server in (cluster.b, cluster.a):
        assert 'Before the broken edit' in demo_page(server)
    for server in (cluster.a, cluster.b):
        row = process_status(cluster.b, server)
        assert (row['generation'], row['ok']) == (generation, False)
        assert 'SyntaxError' in row['error']
        assert 'previous code is still in use' in row['error']
    code, tab = cluster.a.request(f'{PRODUCT}/manage_refresh')
    failed = BeautifulSoup(tab, 'html.parser').select(
        '#cluster tr.process-failed')
    assert len(failed) == 2 and 'SyntaxError' in failed[0].text

    # Fixed: the next generation applies as usual.
    save_greeting(cluster.demo, 'Fixed')
    assert refresh(cluster.a)[0] == 200
    serves(cluster.b, 'Fixed')
    caught_up(cluster, cluster.b)
    for server in (cluster.a, cluster.b):
        row = process_status(cluster.a, server)
        assert (row['generation'], row['ok']) == (generation + 1, True)


def test_refresh_of_this_process_only(cluster):
    caught_up(cluster, cluster.a, cluster.b)
    before = latest_generation(cluster.a)
    size = cluster.data_size()
    save_greeting(cluster.demo, 'Only on A')
    code, answer = refresh(cluster.a, scope='process')
    assert code == 200
    assert ('Refreshed in this Zope process only: the other Zope process on '
            'this database keeps its code.') in answer
    assert 'Only on A' in demo_page(cluster.a)
    assert 'Only on A' not in demo_page(cluster.b)
    assert latest_generation(cluster.a) == before
    assert cluster.data_size() == size  # nothing was recorded
    code, answer = refresh(cluster.b, scope='cluster')  # B catches up
    assert code == 200 and 'Only on A' in demo_page(cluster.b)



def test_refresh_all_changed_refreshes_every_process_as_one_unit(cluster):
    caught_up(cluster, cluster.a, cluster.b)
    code, listing = cluster.a.request('/Control_Panel/Products/manage_main')
    form = BeautifulSoup(listing, 'html.parser').select_one(
        '#refresh-changed-form')
    assert form.select_one('#scope-cluster').has_attr('checked')
    assert 'All 2 Zope processes' in ' '.join(form.text.split())
    before = latest_generation(cluster.a)
    plus = os.path.join(cluster.demo, 'Products', 'RefreshDemoPlus',
                        'content.py')
    with open(plus) as source:
        original = source.read()
    save_greeting(cluster.demo, 'Both changed')
    with open(plus, 'w') as out:
        out.write(original.replace(r"f'\u2728 {", "f'+ {"))
    try:
        code, answer = cluster.a.request(
            '/Control_Panel/Products/manage_refreshChanged', {})
        assert code == 200, answer
        assert ('Asked all 2 Zope processes on this database to refresh '
                'them, this one and 1 other') in answer
        serves(cluster.b, '+ Both changed', '/fancy')
        # One request for both, refreshed in one go, each process once.
        assert latest_generation(cluster.a) == before + 1
        assert re.search(
            rf'cluster refresh {before + 1} of RefreshDemo, '
            rf'RefreshDemoPlus, asked by admin on', cluster.b.log_text())
        for server in (cluster.a, cluster.b):
            row = process_status(cluster.a, server)
            assert (row['generation'], row['ok']) == (before + 1, True)
    finally:
        with open(plus, 'w') as out:
            out.write(original)
        assert cluster.a.request(
            '/Control_Panel/Products/manage_refreshChanged', {})[0] == 200
        caught_up(cluster, cluster.a, cluster.b)
    assert '+ Both changed' not in demo_page(cluster.b, '/fancy')

def test_plain_requests_write_nothing(cluster):
    save_greeting(cluster.demo, 'Settled')
    assert refresh(cluster.a)[0] == 200
    caught_up(cluster, cluster.a, cluster.b)
    size = cluster.data_size()
    for _ in range(5):
        for server in (cluster.a, cluster.b):
            demo_page(server)
            demo_page(server, '/fancy')
            status(server)
            assert server.request(f'{PRODUCT}/manage_refresh')[0] == 200
    assert cluster.data_size() == size


def test_concurrent_clicks_on_a_and_b(cluster):
    """Both clicks run their refresh for a second, each in its own
    process, so both transactions start before either commits: the
    ZEO server merges them, and no click is retried."""
    before = latest_generation(cluster.a)
    logs = {server: len(server.log_text()) for server in (cluster.a,
                                                          cluster.b)}
    save_greeting(cluster.demo, 'Clicked twice',
                  before='import time\ntime.sleep(1)\n')
    answers = {}
    start = threading.Barrier(2)

    def click(server):
        start.wait()
        answers[server] = refresh(server)

    threads = [threading.Thread(target=click, args=(server,))
               for server in (cluster.a, cluster.b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [answers[server][0] for server in (cluster.a, cluster.b)] == [
        200, 200]
    wait_for(lambda: latest_generation(cluster.a) == before + 2)
    caught_up(cluster, cluster.a, cluster.b)
    for server in (cluster.a, cluster.b):
        assert 'Clicked twice' in demo_page(server)
        row = process_status(cluster.a, server)
        assert (row['generation'], row['ok']) == (before + 2, True)
    # One refresh per click, and one catch-up, on the process whose
    # request came first, of the other's request. A retried click would
    # have refreshed a third time in its process.
    new = {server: server.log_text()[logs[server]:]
           for server in (cluster.a, cluster.b)}
    # (The catch-up finds the file refreshed already: nothing to run.)
    refreshes = [text.count('refreshed Products.RefreshDemo ')
                 + text.count('No file of RefreshDemo changed')
                 for text in new.values()]
    catch_ups = [text.count('cluster refresh ') for text in new.values()]
    assert sorted(refreshes) == [1, 2] and sorted(catch_ups) == [0, 1]
    save_greeting(cluster.demo, 'Clicked twice')  # no more sleeping


def test_refreshes_at_the_same_moment_fail_no_user_request(cluster):
    """Users keep asking both processes for pages while both refresh,
    again and again, and report at the same moments."""
    codes = []
    stop = threading.Event()

    def user(server):
        while not stop.is_set():
            codes.append(server.request('/demo')[0])

    users = [threading.Thread(target=user, args=(server,))
             for server in (cluster.a, cluster.b) * 2]
    for thread in users:
        thread.start()
    try:
        for round_ in range(4):
            save_greeting(cluster.demo, f'Round {round_}')
            clicks = [threading.Thread(target=refresh, args=(server,))
                      for server in (cluster.a, cluster.b)]
            for thread in clicks:
                thread.start()
            for thread in clicks:
                thread.join(30)
            for server in (cluster.a, cluster.b):
                wait_for(lambda: f'Round {round_}' in demo_page(server))
    finally:
        stop.set()
        for thread in users:
            thread.join(30)
    assert codes and set(codes) == {200}
    caught_up(cluster, cluster.a, cluster.b)
    for server in (cluster.a, cluster.b):
        assert 'ConflictError' not in server.log_text()
        assert process_status(cluster.a, server)['ok']


def test_a_restarted_process_adopts_the_generation(cluster):
    save_greeting(cluster.demo, 'Before the restart')
    assert refresh(cluster.a)[0] == 200
    generation = latest_generation(cluster.a)
    old_pid = cluster.b.process.pid
    cluster.b.stop()
    cluster.b.start()
    wait_for(lambda: cluster.b.process.pid in [
        row['pid'] for row in status(cluster.a)['processes']])
    row = process_status(cluster.a, cluster.b)
    assert (row['generation'], row['ok'], row['adopted']) == (
        generation, True, True)
    assert 'Before the restart' in demo_page(cluster.b)
    log = cluster.b.log_text()
    after_start = log[log.rindex('takes part'):]
    assert 'refreshed Products.RefreshDemo' not in after_start
    assert f'at generation {generation}' in after_start
    # Its predecessor's record is gone: two processes report in.
    pids = [row['pid'] for row in status(cluster.a)['processes']]
    assert old_pid not in pids and len(pids) == 2
