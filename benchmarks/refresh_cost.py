"""A refresh costs what changed, not the size of the product.

A real Zope (runwsgi on 127.0.0.1, debug mode) with a generated product
of 200 modules. In the same run, interleaved, it times the Refresh request
(in place, the default) after editing one module (imported only by the
package) and after editing all 200. Prints the medians and their ratio.

    .venv/bin/python benchmarks/refresh_cost.py [rounds]
"""
import os
import statistics
import sys
import tempfile
import time

from zope_processes import demo_copy
from zope_processes import zope


PRODUCT = 'Generated200'


def edit(folder, modules, round_):
    for module in modules:
        path = os.path.join(folder, f'{module}.py')
        with open(path) as source:
            text = source.read().split('\n# edit')[0]
        with open(path, 'w') as source:
            source.write(f'{text}\n# edit {round_}\n')


def main(rounds=8):
    url = f'/Control_Panel/Products/{PRODUCT}/manage_performRefresh'
    all_modules = [f'm{index:03d}' for index in range(200)]
    with tempfile.TemporaryDirectory() as folder:
        demo = demo_copy(folder, [PRODUCT], 200)
        product = os.path.join(demo, 'Products', PRODUCT)
        server = zope(folder, demo, 'instance', debug=True).start()

        def timed_refresh(expected):
            start = time.perf_counter()
            status, body = server.request(url, {})
            elapsed = time.perf_counter() - start
            assert status == 200 and f'{expected} modules' in body, body
            return elapsed

        one, every = [], []
        try:
            server.request(url, {})  # the engine learns every module
            for round_ in range(rounds):
                edit(product, ['m199'], round_)
                one.append(timed_refresh(2))  # m199 and the package
                edit(product, all_modules, round_)
                every.append(timed_refresh(201))
        finally:
            server.stop()
    one_ms = statistics.median(one) * 1000
    every_ms = statistics.median(every) * 1000
    print(f'product of 200 modules, refresh in place, {rounds} rounds each, '
          'interleaved, whole request:')
    print(f'  1 module changed (2 executed):      median {one_ms:6.1f} ms')
    print(f'  200 modules changed (201 executed): median {every_ms:6.1f} ms')
    print(f'  ratio: {every_ms / one_ms:.1f}x')


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
