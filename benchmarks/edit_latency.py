"""From a file save to the first response served by the new code.

A real Zope (runwsgi on 127.0.0.1, debug mode, the event watcher) serves
the demo page; RefreshDemo has auto-refresh on (and its dependent
RefreshDemoPlus follows it). Each round saves greeting.py with a new
text, then asks for the page on a keep-alive connection as fast as it
answers until the new text is there. Prints the median and the spread
over the rounds. Target: median at most 25 ms.

    .venv/bin/python benchmarks/edit_latency.py [rounds]
"""
import os
import statistics
import sys
import tempfile
import time

from zope_processes import KeepAliveClient
from zope_processes import demo_copy
from zope_processes import zope


def main(rounds=20):
    with tempfile.TemporaryDirectory() as folder:
        demo = demo_copy(folder)
        server = zope(folder, demo, 'instance', debug=True).start()
        try:
            status, _ = server.request(
                '/Control_Panel/Products/RefreshDemo/'
                'manage_enableAutoRefresh', {'enable': 'on'})
            assert status == 200
            path = os.path.join(demo, 'Products', 'RefreshDemo',
                                'greeting.py')
            with open(path) as source:
                original = source.read()
            client = KeepAliveClient(server)
            client.get('/demo')
            latencies, requests = [], []
            for round_ in range(rounds):
                text = f'Edit number {round_}'
                saved = time.perf_counter()
                with open(path, 'w') as source:
                    source.write(original.replace(
                        'Hello from the refresh demo!', text))
                asked = 0
                while text.encode() not in client.get('/demo'):
                    asked += 1
                    if time.perf_counter() - saved > 10:
                        raise RuntimeError('the edit was never served')
                latencies.append(time.perf_counter() - saved)
                requests.append(asked)
                time.sleep(0.2)  # let the next save be a separate event
            log = server.log_text()
        finally:
            server.stop()
    ms = sorted(latency * 1000 for latency in latencies)
    print(f'save -> first response with the new code, {rounds} edits, '
          f'event watcher:')
    print(f'  median {statistics.median(ms):.1f} ms, min {ms[0]:.1f} ms, '
          f'max {ms[-1]:.1f} ms (target: median <= 25 ms)')
    print(f'  requests served by the old code meanwhile: median '
          f'{statistics.median(requests):.0f}')
    print(f'  refreshes logged: {log.count("refreshed Products.RefreshDemo ")}'
          f' of RefreshDemo, each followed by RefreshDemoPlus')


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
