"""How long a Refresh of the demo product takes, over real HTTP.

A real Zope (runwsgi on 127.0.0.1, debug mode, as ``make run`` starts
it) with the demo products; RefreshDemoPlus is RefreshDemo's dependent.
In one run, interleaved, on one keep-alive connection:
- edit greeting.py, then POST manage_performRefresh of RefreshDemo (which
  refreshes RefreshDemoPlus too: 5 modules), the whole request as the
  client sees it;
- GET of the demo page, a trivial published request, for scale.
Prints the medians, their ratio, and the time the engine reported for
each product (from Zope's log).

    .venv/bin/python benchmarks/refresh_demo.py [rounds]
"""
import os
import re
import statistics
import sys
import tempfile

from zope_processes import KeepAliveClient
from zope_processes import demo_copy
from zope_processes import timed
from zope_processes import zope


URL = '/Control_Panel/Products/RefreshDemo/manage_performRefresh'
LOGGED = re.compile(r'refreshed Products\.(\w+) in place \(\d+ modules?, '
                    r'([\d.]+) ms\)')


def main(rounds=50):
    with tempfile.TemporaryDirectory() as folder:
        demo = demo_copy(folder)
        server = zope(folder, demo, 'instance', debug=True).start()
        greeting = os.path.join(demo, 'Products', 'RefreshDemo',
                                'greeting.py')
        with open(greeting) as source:
            original = source.read()
        refresh, page, answers = [], [], []
        try:
            client = KeepAliveClient(server)
            client.post(URL)  # the engine learns every module
            client.get('/demo')
            for round_ in range(rounds):
                with open(greeting, 'w') as source:
                    source.write(original.replace('demo!', f'demo {round_}!'))
                refresh.append(timed(lambda: answers.append(
                    client.post(URL))))
                assert b'In all 5 modules' in answers[-1], answers[-1]
                page.append(timed(lambda: client.get('/demo')))
                assert f'demo {round_}!'.encode() in client.get('/demo')
            client.close()
            log = server.log_text()
        finally:
            server.stop()
    engine = {}
    for product, ms in LOGGED.findall(log):
        engine.setdefault(product, []).append(float(ms))
    refresh_ms = statistics.median(refresh) * 1000
    page_ms = statistics.median(page) * 1000
    print(f'real HTTP (runwsgi, debug mode), {rounds} rounds, one '
          'keep-alive connection:')
    print(f'  refresh of RefreshDemo + RefreshDemoPlus (5 modules), whole '
          f'request: median {refresh_ms:.1f} ms')
    print(f'  trivial page request (GET /demo): median {page_ms:.2f} ms')
    print(f'  ratio refresh / trivial request: {refresh_ms / page_ms:.1f}')
    for product, times in sorted(engine.items()):
        print(f'  engine time of {product} (logged): median '
              f'{statistics.median(times[1:]):.1f} ms')


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
