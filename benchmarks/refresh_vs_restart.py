"""Refreshing a product against restarting Zope to load its new code.

One real Zope (runwsgi on 127.0.0.1, debug mode) with a generated product
of 30 modules. In the same run, interleaved, it times:
- a refresh: a function body changed in every module of the product,
  then POST manage_performRefresh of the product (all 31 modules), the
  whole request;
- a restart: stop the process (SIGTERM) and start it again until it
  answers a request.
Prints the medians and their ratio. Target: a refresh takes at most 1/20
of a restart.

    .venv/bin/python benchmarks/refresh_vs_restart.py [rounds]
"""
import os
import statistics
import sys
import tempfile

from zope_processes import demo_copy
from zope_processes import edit_bodies
from zope_processes import timed
from zope_processes import zope


PRODUCT = 'Generated30'
MODULES = [f'm{index:03d}' for index in range(30)]


def main(rounds=5):
    url = f'/Control_Panel/Products/{PRODUCT}/manage_performRefresh'
    with tempfile.TemporaryDirectory() as folder:
        demo = demo_copy(folder, [PRODUCT], 30)
        server = zope(folder, demo, 'instance', debug=True).start()

        product = os.path.join(demo, 'Products', PRODUCT)
        edits = iter(range(1000))

        def touch_all():
            edit_bodies(product, MODULES, next(edits))

        def refresh():
            status, body = server.request(url, {})
            assert status == 200 and '31 modules' in body, body

        def restart():
            server.stop()
            server.start()
            assert server.request('/demo')[0] == 200

        refreshes, restarts = [], []
        try:
            touch_all()
            refresh()  # warm up
            for _ in range(rounds):
                for _ in range(4):
                    touch_all()
                    refreshes.append(timed(refresh))
                restarts.append(timed(restart))
        finally:
            server.stop()
    refresh_ms = statistics.median(refreshes) * 1000
    restart_ms = statistics.median(restarts) * 1000
    print(f'product of 30 modules, {len(refreshes)} refreshes and '
          f'{len(restarts)} restarts, interleaved:')
    print(f'  refresh: median {refresh_ms:.1f} ms (whole request)')
    print(f'  restart: median {restart_ms:.0f} ms (until Zope answers)')
    print(f'  ratio refresh/restart: 1/{restart_ms / refresh_ms:.0f} '
          f'(target: at most 1/20)')


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
