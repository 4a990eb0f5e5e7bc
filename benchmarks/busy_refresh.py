"""How fast a refresh asked for while another runs is refused.

A real runwsgi (debug mode, 127.0.0.1, over HTTP) whose demo greeting
loops forever at import, with a refresh time limit of 60 s: one Refresh
click starts the stuck refresh, then `clicks` more are sent, a few at a
time, while pages are asked for. Prints the answer times of the refused
clicks (409, ``Retry-After``) and of the pages served meanwhile: a stuck
refresh must tie up no worker thread but its own and one waiter.

    .venv/bin/python benchmarks/busy_refresh.py [clicks]
"""
import os
import statistics
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.dirname(HERE), HERE]

from tests.demo import greeting_path  # noqa: E402
from tests.server import ZopeServer  # noqa: E402

PRODUCT = '/Control_Panel/Products/RefreshDemo'
CONF = '''
<product-config refreshmanager>
  refresh-timeout 60
</product-config>
'''


def timed(server, path, data=None):
    started = time.perf_counter()
    status, _body = server.request(path, data)
    return status, (time.perf_counter() - started) * 1000


def stuck_refresh(server):
    try:
        server.request(PRODUCT + '/manage_performRefresh', {})
    except OSError:  # Zope stopped while it was stuck
        pass


def main(clicks):
    server = ZopeServer(os.path.join(tempfile.mkdtemp(), 'instance'),
                        zope_conf=CONF).start()
    try:
        with open(greeting_path(server.demo), 'a') as source:
            source.write('\nwhile True: pass\n')
        stuck = threading.Thread(target=stuck_refresh, args=(server,))
        stuck.start()
        time.sleep(0.5)
        refused, pages = [], []
        for _ in range(clicks // 3):
            threads = [threading.Thread(target=lambda: refused.append(
                timed(server, PRODUCT + '/manage_performRefresh', {})))
                for _ in range(3)]
            for thread in threads:
                thread.start()
            pages.append(timed(server, '/demo'))
            for thread in threads:
                thread.join()
    finally:
        server.stop()
        stuck.join()
    statuses = sorted({status for status, _ in refused})
    times = sorted(ms for _, ms in refused)
    print(f'over HTTP: {len(refused)} refresh clicks while one refresh was '
          f'stuck (statuses {statuses}), 3 at a time:')
    print(f'  answered in median {statistics.median(times):.1f} ms, '
          f'max {times[-1]:.1f} ms (one of each 3 waits for the stuck '
          f'refresh up to 1 s, the others are refused at once)')
    page_times = sorted(ms for _, ms in pages)
    print(f'  {len(pages)} pages meanwhile (statuses '
          f'{sorted({s for s, _ in pages})}): median '
          f'{statistics.median(page_times):.1f} ms, max {page_times[-1]:.1f} '
          f'ms')


if __name__ == '__main__':
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
