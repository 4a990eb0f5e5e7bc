"""The cluster's records on a real ZODB: two clicks committed at the
same moment are merged, not refused; process records never conflict."""
import os
import time

import pytest
import transaction
from ZODB import DB
from ZODB.FileStorage import FileStorage
from ZODB.POSException import ConflictError

from Products.RefreshManager.cluster.records import ProcessRecord
from Products.RefreshManager.cluster.records import cluster_requests
from Products.RefreshManager.cluster.records import writable_cluster_requests


@pytest.fixture
def db(tmp_path):
    db = DB(FileStorage(str(tmp_path / 'Data.fs')))
    yield db
    db.close()


def opened(db):
    manager = transaction.TransactionManager()
    return db.open(transaction_manager=manager).root(), manager


def ask(root, product, token, *more):
    """One request for `product` and the products `more`."""
    writable_cluster_requests(root).ask([product, *more], 'admin', 'host 1',
                                        0.0, token)


def committed_at_the_same_moment(db, first, second):
    """Both transactions read the same state, then both commit."""
    (root_1, manager_1), (root_2, manager_2) = opened(db), opened(db)
    first(root_1)
    second(root_2)
    manager_1.commit()
    manager_2.commit()  # ConflictError unless resolved
    root, _manager = opened(db)
    return cluster_requests(root)


def test_two_clicks_at_the_same_moment_both_count(db):
    root, manager = opened(db)
    ask(root, 'RefreshDemo', 'first')
    manager.commit()
    requests = committed_at_the_same_moment(
        db, lambda root: ask(root, 'RefreshDemo', 'on-a'),
        lambda root: ask(root, 'Other', 'on-b'))
    assert requests.generation == 3
    assert requests.latest('RefreshDemo')['token'] == 'on-a'
    assert requests.latest('RefreshDemo')['generation'] == 2
    # The second commit's request comes after the first's:
    assert requests.latest('Other')['generation'] == 3
    assert requests.pending({'RefreshDemo': 1}) == [
        (2, ['RefreshDemo']), (3, ['Other'])]


def test_two_clicks_on_one_product_keep_the_later(db):
    root, manager = opened(db)
    ask(root, 'RefreshDemo', 'first')
    manager.commit()
    requests = committed_at_the_same_moment(
        db, lambda root: ask(root, 'RefreshDemo', 'on-a'),
        lambda root: ask(root, 'RefreshDemo', 'on-b'))
    assert requests.generation == 3
    assert requests.latest('RefreshDemo') == {
        'generation': 3, 'by': 'admin', 'origin': 'host 1', 'when': 0.0,
        'token': 'on-b'}



def test_the_products_of_one_request_are_pending_together(db):
    root, manager = opened(db)
    ask(root, 'Other', 'first')
    manager.commit()
    requests = committed_at_the_same_moment(
        db, lambda root: ask(root, 'RefreshDemo', 'on-a'),
        lambda root: ask(root, 'RefreshDemoPlus', 'on-b', 'Other'))
    assert requests.generation == 3
    assert requests.pending({}) == [
        (2, ['RefreshDemo']), (3, ['Other', 'RefreshDemoPlus'])]
    assert requests.latest('Other') == requests.latest('RefreshDemoPlus')
    assert requests.pending({'Other': 3, 'RefreshDemoPlus': 3}) == [
        (2, ['RefreshDemo'])]

def add_process(root, key):
    processes = writable_cluster_requests(root).processes
    processes[key] = ProcessRecord('host', 1, 0.0, 60)


def test_processes_report_at_the_same_moment_without_conflict(db):
    root, manager = opened(db)
    for key in ('a', 'b'):
        add_process(root, key)
    manager.commit()

    def report(key):
        return lambda root: cluster_requests(root).processes[key].report(
            {'RefreshDemo': {'generation': 1}}, 5.0)

    requests = committed_at_the_same_moment(db, report('a'), report('b'))
    assert [record.reported for record in requests.processes.values()] == [
        5.0, 5.0]
    # Processes joining at the same moment are merged by the BTree:
    requests = committed_at_the_same_moment(
        db, lambda root: add_process(root, 'c'),
        lambda root: add_process(root, 'd'))
    assert list(requests.processes) == ['a', 'b', 'c', 'd']


def test_one_record_written_twice_at_once_does_conflict(db):
    """What the records are kept apart for: the same object written by
    two transactions at once is refused."""
    root, manager = opened(db)
    add_process(root, 'a')
    manager.commit()

    def report(root):
        cluster_requests(root).processes['a'].report({}, time.time())

    with pytest.raises(ConflictError):
        committed_at_the_same_moment(db, report, report)


def test_a_process_is_stopped_when_silent_or_gone():
    record = ProcessRecord('here', os.getpid(), 100.0, 10)
    assert not record.stopped(now=129.0, host='here')
    assert record.stopped(now=131.0, host='here')  # missed 3 heartbeats
    gone = ProcessRecord('here', 2 ** 22 + 1, 100.0, 10)  # beyond pid_max
    assert gone.stopped(now=101.0, host='here')
    assert not gone.stopped(now=101.0, host='elsewhere')
