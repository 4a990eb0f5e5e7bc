"""What the refresh gate costs requests under load, when no refresh runs.

Every request holds the gate's shared side while its connection is
open. Two real Zopes (runwsgi, production mode, the demo instance) serve
GET /demo to four keep-alive clients at once, in interleaved rounds:
- with: Products.RefreshManager installed (auto-refresh off, as in
  production: the gate is all that runs per request);
- without: the same instance with a stub package shadowing
  Products.RefreshManager, so Zope loads none of it.
Servers share one CPU and the clients the other, with the same hash
seed; rounds alternate which server goes first. Prints the median and
p99 latency of each, the ratio of the p99s (target: at most 1.2) and of
the numbers of answers (throughput).

    .venv/bin/python benchmarks/gate_latency.py [rounds] [seconds]
"""
import os
import statistics
import sys
import tempfile
import threading
import time

from zope_processes import KeepAliveClient
from zope_processes import demo_copy
from zope_processes import pin
from zope_processes import timed
from zope_processes import zope


CLIENTS = 4


def without_refresh_manager(demo):
    """Shadow the installed product: the demo folder comes first on the
    server's path."""
    folder = os.path.join(demo, 'Products', 'RefreshManager')
    os.makedirs(folder)
    with open(os.path.join(folder, '__init__.py'), 'w') as init:
        init.write('"""Benchmark only: RefreshManager left out."""\n')


def load(server, seconds):
    """Latencies of GET /demo from CLIENTS clients at once."""
    latencies, stop = [], threading.Event()

    def client():
        connection = KeepAliveClient(server)
        while not stop.is_set():
            latencies.append(timed(lambda: connection.get('/demo')))
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(30)
    return latencies


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * share))]


def main(rounds=10, seconds=3.0):
    with tempfile.TemporaryDirectory() as folder:
        servers = {}
        for name in ('with', 'without'):
            demo = demo_copy(os.path.join(folder, name))
            servers[name] = zope(folder, demo, name, debug=False)
            if name == 'without':
                without_refresh_manager(demo)
        os.environ['PYTHONHASHSEED'] = '0'
        cpus = sorted(os.sched_getaffinity(0))
        pinned = False
        for server in servers.values():
            server.start()
            pinned = pin(server, cpus[-1], cpus[0])
        if pinned:
            os.sched_setaffinity(0, {cpus[0]})
        try:
            assert 'RefreshManager' in servers['with'].request(
                '/Control_Panel/Products/manage_main')[1]
            assert servers['without'].request(
                '/Control_Panel/Products/manage_main')[0] == 404
            latencies = {name: [] for name in servers}
            order = list(servers)
            for name in order:
                load(servers[name], 1.0)  # warm up
            for _ in range(rounds):
                for name in order:
                    latencies[name] += load(servers[name], float(seconds))
                order.reverse()
        finally:
            for server in servers.values():
                server.stop()
    print(f'{rounds} interleaved rounds of {seconds:g} s, {CLIENTS} '
          f'keep-alive clients at once, GET /demo, no refresh'
          + (', servers on one CPU, clients on the other:' if pinned
             else ':'))
    p99 = {}
    for name, values in latencies.items():
        p99[name] = percentile(values, 0.99)
        print(f'  {name:7s} RefreshManager: {len(values)} answers, median '
              f'{statistics.median(values) * 1000:.2f} ms, p99 '
              f'{p99[name] * 1000:.2f} ms')
    print(f'ratio p99 with/without: {p99["with"] / p99["without"]:.3f} '
          '(target <= 1.2)')
    print(f'ratio of answers with/without: '
          f'{len(latencies["with"]) / len(latencies["without"]):.3f}')


if __name__ == '__main__':
    main(*[int(sys.argv[1])] if sys.argv[1:2] else [],
         *map(float, sys.argv[2:3]))
