"""A refresh costs what changed, not the size of the product.

A generated product of 200 modules: module ``m<i>`` imports ``m<i-1>``,
the package imports all of them. Each edit changes the body of a
function (``helper``), never just a comment, so the carry-over has work
to do.

1. Engine only, in this process: one leaf module changed (``m199``,
   imported only by the package), `refresh_packages` timed against the
   floor of that module (read + compile + exec). Target: at most 2 ms
   more. Then where the time goes, step by step (see `refresh_steps`).
2. Real HTTP (runwsgi on 127.0.0.1, debug mode): the whole Refresh
   request after editing one module, from the best case (the leaf
   ``m199``: 2 modules executed) through ``m150`` and ``m100`` to the
   worst (``m000``, which every other module imports, directly or
   through the others: all 201 executed), and after editing all 200;
   interleaved, with the engine time Zope logs for the product.

    .venv/bin/python benchmarks/refresh_cost.py [rounds]
"""
import importlib
import os
import re
import statistics
import sys
import tempfile
import time

from refresh_steps import breakdown
from refresh_steps import print_breakdown
from stopwatch import fresh_heap
from zope_processes import demo_copy
from zope_processes import edit_bodies
from zope_processes import generate_product
from zope_processes import zope


PRODUCT = 'Generated200'
MODULES = [f'm{index:03d}' for index in range(200)]
CASES = (('m199', 2), ('m150', 51), ('m100', 101), ('m000', 201),
         ('all 200', 201))
LOGGED = re.compile(rf'refreshed Products\.{PRODUCT} in place \((\d+) '
                    r'modules?, ([\d.]+) ms\)')


def engine_only(rounds):
    from Products.RefreshManager.engine.apply.refresh import refresh_packages
    with tempfile.TemporaryDirectory() as folder:
        generate_product(folder, 'refresh_cost_product', 200)
        sys.path.insert(0, folder)
        package = 'refresh_cost_product'
        importlib.import_module(package)
        refresh_packages([package])  # the engine learns every module
        product = os.path.join(folder, package)
        path = os.path.join(product, 'm199.py')
        name = f'{package}.m199'
        engine, floor = [], []
        for round_ in range(1, rounds + 1):
            edit_bodies(product, ['m199'], round_)
            fresh_heap()
            start = time.perf_counter()
            report = refresh_packages([package])
            engine.append(time.perf_counter() - start)
            assert report.packages[0].reloaded == (name, package)
            assert sys.modules[name].helper(0) == 200 + round_
            fresh_heap()
            start = time.perf_counter()
            with open(path, 'rb') as source:
                code = compile(source.read(), path, 'exec', dont_inherit=True)
            exec(code, {'__name__': name, '__package__': package})
            floor.append(time.perf_counter() - start)
        steps, floor_steps, total = breakdown(
            sys.modules[name], path,
            lambda cycle: edit_bodies(product, ['m199'], cycle), rounds)
    engine_ms = statistics.median(engine) * 1000
    floor_ms = statistics.median(floor) * 1000
    print(f'engine only, in this process: product of 200 modules, the leaf '
          f'm199 changed, {rounds} rounds (medians):')
    print(f'  refresh_packages {engine_ms:.2f} ms (m199 and the package '
          f'executed); floor of m199 {floor_ms:.2f} ms')
    print(f'  engine time beyond the changed module\'s floor: '
          f'{engine_ms - floor_ms:.2f} ms (target <= 2 ms)')
    print_breakdown('  where it goes', steps, floor_steps, total)


def over_http(rounds):
    url = f'/Control_Panel/Products/{PRODUCT}/manage_performRefresh'
    times = {case: [] for case, _ in CASES}
    with tempfile.TemporaryDirectory() as folder:
        demo = demo_copy(folder, [PRODUCT], 200)
        product = os.path.join(demo, 'Products', PRODUCT)
        server = zope(folder, demo, 'instance', debug=True).start()
        try:
            server.request(url, {})  # the engine learns every module
            for round_ in range(1, rounds + 1):
                for case, executed in CASES:
                    edit_bodies(product, MODULES if case == 'all 200'
                                else [case], round_)
                    start = time.perf_counter()
                    status, body = server.request(url, {})
                    times[case].append(time.perf_counter() - start)
                    assert status == 200 and (
                        f'{executed} modules reloaded' in body), body
            logged = LOGGED.findall(server.log_text())[1:]
        finally:
            server.stop()
    engine = {}
    for index, (modules, ms) in enumerate(logged):
        case, executed = CASES[index % len(CASES)]
        assert int(modules) == executed, (case, modules)
        engine.setdefault(case, []).append(float(ms))
    print(f'\nreal HTTP, product of 200 modules, refresh in place, {rounds} '
          'rounds, cases interleaved (medians):')
    print(f'  {"edited":10s} {"executed":>8s} {"request":>10s} '
          f'{"engine (logged)":>16s}')
    for case, executed in CASES:
        print(f'  {case:10s} {executed:8d} '
              f'{statistics.median(times[case]) * 1000:7.1f} ms '
              f'{statistics.median(engine[case]):13.1f} ms')
    best = statistics.median(times['m199'])
    worst = statistics.median(times['m000'])
    print(f'  worst / best: {worst / best:.1f}x')


def main(rounds=8):
    engine_only(max(rounds * 5, 20))
    over_http(rounds)


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
