"""What auto-refresh costs a request: throughput of a trivial published
request with auto-refresh on, relative to off.

Three real Zopes (runwsgi on 127.0.0.1, production mode so only the hook
differs) serve the demo page to a keep-alive client, in interleaved
batches:
- off: ``auto-refresh never``: the hook only holds the refresh gate,
  as every request does (the database being a FileStorage, there is no
  cluster to check);
- on: ``auto-refresh always``, the event watcher, and auto-refresh
  turned on for 5 generated products of 200 modules each;
- zope2: the gate, and a Zope 2 style check that stats every file of
  the 5 products on every request (a benchmark-only product does it; it is
  not a mode users can pick).
Servers share one CPU and the client the other (the file event helper
process too), with the same hash seed; rounds rotate the servers' order.
Prints the medians and the ratios on/off and zope2/off. Target: on/off
at least 0.98. (What the gate itself costs, against a Zope without
RefreshManager: ``gate_latency.py``.)

    .venv/bin/python benchmarks/hook_overhead.py [rounds] [batch]
"""
import math
import os
import statistics
import sys
import tempfile

from zope_processes import KeepAliveClient
from zope_processes import demo_copy
from zope_processes import pin
from zope_processes import zope


PRODUCTS = [f'Generated{index}' for index in range(5)]

ZOPE2_SCAN = '''
"""Benchmark only: Zope 2's auto-refresh check, stat-ing the file of
every loaded module of the generated products on every request."""
import os
import sys

import Zope2

PREFIXES = tuple(f'Products.{{name}}' for name in {products!r})


def fingerprints():
    return {{name: os.stat(module.__file__).st_mtime_ns
             for name, module in list(sys.modules.items())
             if name.startswith(PREFIXES) and module is not None}}


class ScanningOpener:
    def __init__(self, opener):
        self.opener = opener
        self.before = fingerprints()

    def __getattr__(self, name):
        return getattr(self.opener, name)

    def __call__(self, connection=None):
        after = fingerprints()
        self.changed, self.before = after != self.before, after
        return self.opener(connection)


def initialize(context):
    if os.environ.get('ZOPE2_SCAN'):
        Zope2.bobo_application = ScanningOpener(Zope2.bobo_application)
'''


def add_scanner(products_folder):
    folder = os.path.join(products_folder, 'Zope2ScanBenchmark')
    os.makedirs(folder)
    with open(os.path.join(folder, '__init__.py'), 'w') as init:
        init.write(ZOPE2_SCAN.format(products=PRODUCTS))


def config(when):
    return f'''
<product-config refreshmanager>
  auto-refresh {when}
  watcher {os.environ.get('WATCHER', 'events')}
</product-config>
'''


def main(rounds=60, batch=100):
    with tempfile.TemporaryDirectory() as folder:
        demo = demo_copy(folder, PRODUCTS, 200, add_scanner)
        servers = {
            'off': zope(folder, demo, 'off', debug=False,
                        zope_conf=config('never')),
            'on': zope(folder, demo, 'on', debug=False,
                       zope_conf=config('always')),
            'zope2': zope(folder, demo, 'zope2', debug=False,
                          zope_conf=config('never')),
        }
        # Equal hashing in every server: string hashes that differ per
        # process alone made identical servers differ by up to 4%.
        os.environ['PYTHONHASHSEED'] = '0'
        cpus = sorted(os.sched_getaffinity(0))
        for name, server in servers.items():
            os.environ['ZOPE2_SCAN'] = '1' if name == 'zope2' else ''
            server.start()
            pinned = pin(server, cpus[-1], cpus[0])
        if pinned:
            os.sched_setaffinity(0, {cpus[0]})
        try:
            for product in PRODUCTS:
                status, _ = servers['on'].request(
                    f'/Control_Panel/Products/{product}/'
                    'manage_enableAutoRefresh', {'enable': 'on'})
                assert status == 200
            clients = {name: KeepAliveClient(server)
                       for name, server in servers.items()}
            for client in clients.values():  # warm up
                client.requests_per_second('/demo', batch)
            rates = {name: [] for name in servers}
            order = list(clients)
            for _ in range(rounds):
                for name in order:
                    rates[name].append(
                        clients[name].requests_per_second('/demo', batch))
                order.append(order.pop(0))  # each goes first, and after
                # each other, as often as the others
            files = servers['on'].log_text().split('watching ')[1].split(
                '\n')[0]
        finally:
            for server in servers.values():
                server.stop()
    median = {name: statistics.median(values)
              for name, values in rates.items()}
    # Each round's ratio compares batches run moments apart, so drifts in
    # machine load cancel out; rounds rotate the order, so their
    # geometric mean cancels the order's effect too.
    ratio = {name: math.exp(statistics.fmean(
        math.log(value / off)
        for value, off in zip(rates[name], rates['off'], strict=True)))
        for name in ('on', 'zope2')}
    print(f'watcher: watching {files}')
    print(f'{rounds} interleaved rounds of {batch} keep-alive GET /demo'
          + (', servers on one CPU, client and event helper on the other:'
             if pinned else ':'))
    for name in servers:
        print(f'  {name:6s} median {median[name]:7.1f} requests/s')
    print(f'ratio on/off:    {ratio["on"]:.3f}  (geometric mean of the rounds\' '
          'ratios; target >= 0.98)')
    print(f'ratio zope2/off: {ratio["zope2"]:.3f}  (Zope 2 style stat of '
          'every module file per request, for comparison)')


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
