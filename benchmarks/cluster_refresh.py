"""From a click on Refresh on Zope A to Zope B serving the new code.

A real ZEO server and two real Zopes on it (runwsgi, production mode,
the cluster settings' defaults: an idle process checks every 0.5 s),
serving one copy of the demo products; everything over HTTP on
127.0.0.1. Each round saves greeting.py with a new text and posts
Refresh (all processes, the default) to A.

- B busy: two keep-alive clients ask B for the demo page without pause;
  the time is from sending the click to the first page from B with the
  new text. Also counted: pages with the old text from requests B
  received after A had answered the click (the property "the next
  request runs the new code").
- B idle: nobody asks B anything; the time is from sending the click to
  the moment B recorded that it applied the refresh (its report, read
  from A's manage_refreshStatus; one host, one clock).

One click before the rounds warms up: a process's first refresh runs
every module of the product (the engine has not seen them yet), about
a quarter of a second here. Prints the median and the spread of each.
Targets: median at most 100 ms busy, at most 1 s idle.

    .venv/bin/python benchmarks/cluster_refresh.py [rounds]
"""
import json
import random
import statistics
import sys
import tempfile
import threading
import time

from zope_processes import KeepAliveClient

from tests.cluster import PRODUCT  # noqa: E402 (zope_processes: the path)
from tests.cluster import running_cluster
from tests.cluster import save_greeting


def click(server):
    status, body = server.request(f'{PRODUCT}/manage_performRefresh', {})
    assert status == 200 and 'Asked all 2 Zope processes' in body, body


class BusyClients:
    """Clients asking B for the demo page without pause."""

    def __init__(self, server, count=2):
        self.server = server
        self.text = None  # the text of the current round
        self.answered = None  # when A answered this round's click
        self.first_new = None  # when B first served the text
        self.stale = 0  # old pages for requests sent after `answered`
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run)
                        for _ in range(count)]
        for thread in self.threads:
            thread.start()

    def run(self):
        client = KeepAliveClient(self.server)
        while not self.stopping.is_set():
            sent = time.perf_counter()
            body = client.get('/demo')
            received = time.perf_counter()
            with self.lock:
                if self.text is None:
                    continue
                if self.text.encode() in body:
                    if self.first_new is None:
                        self.first_new = received
                elif self.answered is not None and sent > self.answered:
                    self.stale += 1
        client.close()

    def round(self, text):
        with self.lock:
            self.text, self.answered, self.first_new = text, None, None

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(30)


def busy_rounds(cluster, rounds):
    clients = BusyClients(cluster.b)
    latencies = []
    try:
        for number in range(rounds):
            text = f'Busy round {number}'
            clients.round(text)
            save_greeting(cluster.demo, text)
            start = time.perf_counter()
            click(cluster.a)
            with clients.lock:
                clients.answered = time.perf_counter()
            deadline = start + 10
            while clients.first_new is None:
                assert time.perf_counter() < deadline, 'B never served it'
                time.sleep(0.001)
            latencies.append(clients.first_new - start)
            time.sleep(0.2)
    finally:
        clients.stop()
    return latencies, clients.stale


def b_report(cluster):
    code, body = cluster.a.request(f'{PRODUCT}/manage_refreshStatus')
    assert code == 200, body
    data = json.loads(body)
    row, = [row for row in data['processes']
            if row['pid'] == cluster.b.process.pid]
    return data['request']['generation'], row


def idle_rounds(cluster, rounds):
    latencies = []
    for number in range(rounds):
        save_greeting(cluster.demo, f'Idle round {number}')
        start = time.time()
        click(cluster.a)
        generation, _row = b_report(cluster)
        deadline = start + 10
        while True:
            _generation, row = b_report(cluster)
            if row['generation'] == generation:
                break
            assert time.time() < deadline, 'B never applied it'
            time.sleep(0.02)
        assert row['ok'], row
        latencies.append(row['applied_at'] - start)
        # A pause of random length, so clicks fall anywhere between two
        # of B's checks rather than always at the same point.
        time.sleep(random.uniform(0.3, 0.8))
    return latencies


def show(name, latencies, target):
    ms = sorted(latency * 1000 for latency in latencies)
    print(f'  {name}: median {statistics.median(ms):.1f} ms, min '
          f'{ms[0]:.1f} ms, max {ms[-1]:.1f} ms (target: median <= '
          f'{target})')


def main(rounds=20):
    with tempfile.TemporaryDirectory() as folder, \
            running_cluster(folder) as cluster:
        save_greeting(cluster.demo, 'Warming up')
        click(cluster.a)
        busy, stale = busy_rounds(cluster, rounds)
        idle = idle_rounds(cluster, rounds)
        log_b = cluster.b.log_text()
    print(f'click on A -> B serving the new code, {rounds} rounds each, '
          f'ZEO + 2 Zopes on 127.0.0.1:')
    show('B busy', busy, '100 ms')
    print(f'    pages with the old text for requests B got after A had '
          f'answered: {stale}')
    show('B idle', idle, '1 s')
    print(f'  refreshes of RefreshDemo logged by B: '
          f'{log_b.count("refreshed Products.RefreshDemo ")} (warm-up '
          f'included), ConflictErrors in its log: '
          f'{log_b.count("ConflictError")}')


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
