"""What the in-sync view costs: is what a product runs what its files say?

The Refresh tab works it out each time it is shown, and the product
listing for every refreshable product: a ``stat`` per module and a walk
over each module's functions and classes, nothing compiled. Timed here
in process (no HTTP) on a generated product of 200 modules (each with a
class and a few functions, all imported by the package: the product
`refresh_cost.py` refreshes), in the best case (all in sync: every
module and function looked at) and in the worst (every file saved since:
a difference per module), against one ``stat`` of each file, the floor
of any check that looks at the files.

    .venv/bin/python benchmarks/sync_check.py [rounds]
"""
import importlib
import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.dirname(HERE), HERE]

from zope_processes import edit_bodies  # noqa: E402
from zope_processes import generate_product  # noqa: E402


MODULES = 200


def median_ms(call, rounds):
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main(rounds):
    from Products.RefreshManager.engine.apply.refresh import refresh_packages
    from Products.RefreshManager.engine.record.sync import differences
    folder = tempfile.mkdtemp()
    generate_product(folder, 'SyncBench', MODULES)
    sys.path.insert(0, folder)
    importlib.import_module('SyncBench')
    refresh_packages(['SyncBench'])  # the engine has run every module
    product = os.path.join(folder, 'SyncBench')
    paths = [os.path.join(product, name) for name in os.listdir(product)
             if name.endswith('.py')]
    floor = median_ms(lambda: [os.stat(path) for path in paths], rounds)
    assert differences('SyncBench', product) == []
    in_sync = median_ms(lambda: differences('SyncBench', product), rounds)
    time.sleep(0.01)
    edit_bodies(product, [f'm{index:03d}' for index in range(MODULES)], 1)
    assert len(differences('SyncBench', product)) == MODULES
    all_differ = median_ms(lambda: differences('SyncBench', product), rounds)
    print(f'in-sync check of a {MODULES}-module product, in process, '
          f'median of {rounds}:')
    print(f'  all in sync (best case, every function looked at): '
          f'{in_sync:.2f} ms')
    print(f'  every file saved since (worst case, {MODULES} differences): '
          f'{all_differ:.2f} ms')
    print(f'  floor, one stat per file: {floor:.2f} ms '
          f'(in sync / floor: {in_sync / floor:.1f})')


if __name__ == '__main__':
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
