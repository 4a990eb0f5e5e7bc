"""How long a refresh keeps requests out: the exclusive window.

A refresh runs the new code off to the side while requests are served,
then applies it while no request runs. This measures that window on a
real Zope (runwsgi, the demo instance) under load: four client threads
GET /demo all along, while the script edits and refreshes (one POST
manage_performRefresh each, one after the other):
- RefreshDemo, with its dependent RefreshDemoPlus (5 modules);
- SlowProbe, whose module sleeps 0.2 s while it loads (2 modules).
Each refresh's answer (the Refresh tab) says its window ("Applied in
0.8 ms, during which no request ran"); prints the median and max of each
product's, the whole refresh request for scale, and the readers'
latency meanwhile. Targets: at most
5 ms for the demo, the same order for the slow module.

    .venv/bin/python benchmarks/exclusive_window.py [rounds]
"""
import os
import re
import statistics
import sys
import tempfile
import textwrap
import threading

from zope_processes import KeepAliveClient
from zope_processes import demo_copy
from zope_processes import timed
from zope_processes import zope

from tests.demo import GREETING
from tests.demo import GREETING_SOURCE
from tests.demo import greeting_path
from tests.probes import write_probe


WINDOW = re.compile(r'Applied in ([\d.]+) ms, during which no request ran')
READERS = 4


def save_greeting(demo, text):
    with open(greeting_path(demo), 'w') as out:
        out.write(textwrap.dedent(GREETING_SOURCE.replace(GREETING, text)))


def read_all_along(server, stop, latencies):
    client = KeepAliveClient(server)
    while not stop.is_set():
        latencies.append(timed(lambda: client.get('/demo')))
    client.close()


def main(rounds=20):
    with tempfile.TemporaryDirectory() as folder:
        demo = demo_copy(folder, extra=lambda products: write_probe(
            products, 'SlowProbe', 'v0', sleep=0.2))
        server = zope(folder, demo, 'zope')
        server.start()
        stop, latencies = threading.Event(), []
        whole, windows = {}, {}
        readers = [threading.Thread(target=read_all_along,
                                    args=(server, stop, latencies))
                   for _ in range(READERS)]
        try:
            for reader in readers:
                reader.start()
            products = os.path.join(demo, 'Products')
            for round_ in range(rounds):
                save_greeting(demo, f'Round {round_}.')
                write_probe(products, 'SlowProbe', f'v{round_ + 1}',
                            sleep=0.2)
                for product in ('RefreshDemo', 'SlowProbe'):
                    seconds = timed(lambda: windows.setdefault(
                        product, []).append(refresh(server, product)))
                    whole.setdefault(product, []).append(seconds)
            assert f'Round {rounds - 1}.' in server.request('/demo')[1]
        finally:
            stop.set()
            for reader in readers:
                reader.join(30)
            server.stop()
    print(f'{rounds} refreshes of each product on a real Zope, '
          f'{READERS} clients reading /demo all along '
          f'({len(latencies)} answers):')
    for product, label in (('RefreshDemo', 'demo (RefreshDemo + '
                            'RefreshDemoPlus, 5 modules)'),
                           ('SlowProbe', 'module sleeping 0.2 s at import')):
        values = windows[product]
        print(f'  {label}: exclusive window median '
              f'{statistics.median(values):.2f} ms, max {max(values):.2f} ms;'
              f' whole refresh request median '
              f'{statistics.median(whole[product]) * 1000:.1f} ms')
        print(f'    windows (ms, as the tab says them): '
              f'{" ".join(f"{value:g}" for value in values)}')
    latencies.sort()
    print(f'  readers meanwhile: median '
          f'{statistics.median(latencies) * 1000:.1f} ms, p99 '
          f'{latencies[int(len(latencies) * 0.99)] * 1000:.1f} ms, max '
          f'{latencies[-1] * 1000:.1f} ms')


def refresh(server, product):
    """Refresh `product`; the window its answer says, in ms."""
    status, body = server.request(
        f'/Control_Panel/Products/{product}/manage_performRefresh', {})
    assert status == 200 and 'Product refreshed.' in body, body[-2000:]
    return float(WINDOW.search(body).group(1))


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
