"""This Zope process as a member of the cluster: what it has applied,
how it catches up with newer requests, and how it reports.

The process remembers, in memory, the cluster generation whose requests
it has handled and the generation it applied of each product. Opening a
connection compares the first with the number in the database
(``behind``); only when that is newer does it refresh the products asked
for since (``catch_up``), with the same engine, lock and rollback as a
click, and report. Reports go through a connection and a transaction of
their own, never the user's, and only this process writes its record:
a report cannot make a user's request fail with a ConflictError.
"""
import contextlib
import logging
import secrets
import threading
import time

import transaction
from ZODB.POSException import ConflictError

from ..dependents import import_order
from ..engine.stage.lock import refresh_lock_held
from ..products import installed_products
from ..refresh import refresh_products
from ..settings import RefreshSettings
from .records import ProcessRecord
from .records import cluster_requests
from .records import pid_alive
from .records import writable_cluster_requests


logger = logging.getLogger('Products.RefreshManager')

FORGET = 24 * 3600  # records silent this long are dropped
WRITE_ATTEMPTS = 5


def result(generation, outcome=None, adopted=False, when=None):
    """What a process reports for one product: the outcome of its
    refresh, or that it adopted `generation` at start (it imported that
    code), or, with neither, that it does not have the product."""
    if adopted:
        ok, error = True, None
    elif outcome is None:
        ok, error = False, 'not installed or not refreshable in this process'
    else:
        ok, error = outcome.ok, None if outcome.ok else outcome.message()
    return {'generation': generation, 'ok': ok, 'error': error,
            'when': when or time.time(), 'adopted': adopted}


@contextlib.contextmanager
def own_connection(db):
    """The root on a connection with a transaction manager of its own,
    so nothing touches the transaction of the thread's request."""
    manager = transaction.TransactionManager()
    connection = db.open(transaction_manager=manager)
    try:
        yield connection.root(), manager
    finally:
        manager.abort()
        connection.close()


class Member:

    def __init__(self, db, host, pid, heartbeat):
        self.db = db
        self.host = host
        self.pid = pid
        self.heartbeat = heartbeat
        self.started = time.time()
        self.key = f'{host} {pid} {self.started:.6f}'
        self.seen = 0  # the cluster generation whose requests were handled
        self.applied = {}  # product: generation applied (or failed)
        self._writing = threading.Lock()  # one report at a time

    @property
    def name(self):
        return f'{self.host} {self.pid}'

    def adopt(self, root):
        """This process imported the code as it is now: whatever was
        asked before counts as applied, without refreshing."""
        requests = cluster_requests(root)
        if requests is not None:
            self.seen = requests.generation
            self.applied = {name: entry['generation']
                            for name, entry in requests.products.items()}
        return {name: result(generation, adopted=True, when=self.started)
                for name, generation in self.applied.items()}

    def behind(self, root):
        """The check on every connection opened: one attribute of one
        small object, loaded again only after someone asked."""
        requests = cluster_requests(root)
        return requests is not None and requests.generation > self.seen

    def catch_up(self, app):
        """Refresh the products asked for since this process last
        looked, oldest request first, and report; True if classes were
        replaced, so the caller must load persistent objects again."""
        with refresh_lock_held():  # another thread may have caught up
            root = app._p_jar.root()
            requests = cluster_requests(root)
            if requests is None or requests.generation <= self.seen:
                return False
            settings = RefreshSettings(root)
            results, replaced = {}, False
            products = installed_products()
            for generation, names in requests.pending(self.applied):
                entry = requests.latest(names[0])
                logger.info('cluster refresh %d of %s, asked by %s on %s',
                            generation, ', '.join(names), entry['by'],
                            entry['origin'])
                here = import_order(
                    [name for name in names if name in products
                     and products[name].refreshable], products)
                outcome = None
                if here:  # one unit, as the click that asked for them
                    outcome = refresh_products(app, here, products, settings)
                    replaced |= bool(outcome.ok and
                                     outcome.report.classes_replaced)
                for name in names:
                    self.applied[name] = generation
                    results[name] = result(
                        generation, outcome if name in here else None)
            self.seen = requests.generation
        if results:  # nothing is written unless something was refreshed
            self.report(results)
        return replaced

    def ask(self, root, products, by):
        """Record a cluster refresh of `products` in the current
        transaction (the click's); the token naming the request."""
        token = secrets.token_hex(8)
        writable_cluster_requests(root).ask(
            products, by, self.name, time.time(), token)
        return token

    def applied_here(self, products, token, outcome):
        """The click that asked for the request `token` refreshed
        `products` here: once its transaction committed, count the
        generation the request got (another click committed at the same
        moment may have moved it on) and report."""

        def after_commit(committed):
            if not committed:
                return
            with own_connection(self.db) as (root, _manager):
                requests = cluster_requests(root)
                entries = {name: requests.latest(name) for name in products}
            # A product asked for again since is caught up on instead.
            ours = {name: entry['generation']
                    for name, entry in entries.items()
                    if entry['token'] == token}
            if not ours:
                return
            with refresh_lock_held():
                for name, generation in ours.items():
                    self.applied[name] = max(generation,
                                             self.applied.get(name, 0))
            self.report({name: result(generation, outcome)
                         for name, generation in ours.items()})

        transaction.get().addAfterCommitHook(after_commit)

    def report(self, results=None):
        """Write `results` (product: result) and the heartbeat into this
        process's record; True if written. Never raises: a report that
        cannot be written is logged and the next heartbeat tries again."""
        with self._writing:
            for attempt in range(WRITE_ATTEMPTS):
                try:
                    with own_connection(self.db) as (root, manager):
                        self._write(root, results)
                        manager.get().note(
                            f'Products.RefreshManager: {self.name} reports')
                        manager.commit()
                    return True
                except ConflictError:
                    time.sleep(0.01 * (attempt + 1))
                except Exception:
                    logger.exception('could not report to the cluster')
                    return False
            logger.error('could not report to the cluster: %d conflicts '
                         'in a row', WRITE_ATTEMPTS)
            return False

    def _write(self, root, results):
        processes = writable_cluster_requests(root).processes
        now = time.time()
        record = processes.get(self.key)
        if record is None:  # first report, or the record was dropped
            # Forget processes gone long ago, and this host's processes
            # that have exited (this one's predecessor after a restart).
            for key, other in list(processes.items()):
                if now - other.reported > FORGET or (
                        other.host == self.host and not pid_alive(other.pid)):
                    del processes[key]
            record = processes[self.key] = ProcessRecord(
                self.host, self.pid, self.started, self.heartbeat)
        record.report(results, now)
