"""What cluster refreshes write into the database.

``root['RefreshCluster']`` holds the requests: a generation number that
every cluster refresh increments and, for each product, the generation
of its latest request, who asked and when. Each Zope process compares
that number with the last one it handled whenever it opens a
connection, so the object is small and changes only when someone asks
for a refresh. Two requests committed at the same moment (clicks in
two processes) are merged by conflict resolution: on the ZEO server,
which imports this module for it, as for any conflict resolution.

Each process writes only its own ``ProcessRecord``: its results and its
heartbeat. No two processes write the same object, so reporting never
conflicts; adding and removing the records of different processes is
merged by the BTree that holds them.

Only ``persistent``, ``BTrees`` and the standard library here, so the
ZEO server can import it without Zope.
"""
import os

from BTrees.OOBTree import OOBTree
from persistent import Persistent


ROOT_KEY = 'RefreshCluster'
MISSED_HEARTBEATS = 3  # silent this many heartbeats: stopped reporting


class ClusterRequests(Persistent):
    """``root['RefreshCluster']``: the requests, and the processes."""

    def __init__(self):
        self.generation = 0
        # name: {'generation', 'by', 'origin', 'when', 'token'}; the
        # products of one request share its entry
        self.products = {}
        self.processes = OOBTree()  # process key: ProcessRecord

    def ask(self, products, by, origin, when, token):
        """Record one cluster refresh of `products` (a list: one unit of
        work, as Refresh all changed asks), named by `token`: the
        generation it gets is final only once the transaction committed
        (see _p_resolveConflict)."""
        self.generation += 1
        entry = {'generation': self.generation, 'by': by, 'origin': origin,
                 'when': when, 'token': token}
        self.products = {**self.products,
                         **{product: entry for product in products}}

    def latest(self, product):
        """The latest request for `product`, or None."""
        return self.products.get(product)

    def pending(self, applied):
        """The requests newer than `applied` (product: generation),
        oldest first, as (generation, [product, ...]): the products one
        request asked for are refreshed together."""
        asked = {}
        for name, entry in self.products.items():
            if entry['generation'] > applied.get(name, 0):
                asked.setdefault(entry['generation'], []).append(name)
        return [(generation, sorted(names))
                for generation, names in sorted(asked.items())]

    def _p_resolveConflict(self, old, committed, new):
        """Two transactions asked for refreshes: every request counts,
        and those of `new` come after those of `committed`."""
        shift = committed['generation'] - old['generation']
        products = dict(committed['products'])
        for name, entry in new['products'].items():
            if old['products'].get(name) != entry:
                products[name] = dict(
                    entry, generation=entry['generation'] + shift)
        return dict(committed, generation=new['generation'] + shift,
                    products=products)


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


class ProcessRecord(Persistent):
    """One Zope process, written by that process only."""

    def __init__(self, host, pid, started, heartbeat):
        self.host = host
        self.pid = pid
        self.started = started
        self.heartbeat = heartbeat  # seconds between its reports
        self.reported = started
        self.results = {}  # product: result (see member.result)

    def report(self, results, when):
        if results:
            self.results = {**self.results, **results}
        self.reported = when

    def stopped(self, now, host):
        """Whether the process stopped reporting: it missed its
        heartbeats, or it ran on `host` (this host) and is gone."""
        if now - self.reported > MISSED_HEARTBEATS * self.heartbeat:
            return True
        return self.host == host and not pid_alive(self.pid)


def cluster_requests(root):
    """The requests, or None before the first process reported in."""
    return root.get(ROOT_KEY)


def writable_cluster_requests(root):
    requests = root.get(ROOT_KEY)
    if requests is None:
        requests = root[ROOT_KEY] = ClusterRequests()
    return requests
