"""Where a refresh spends its time, step by step, next to the floor.

Times ``refresh_packages`` with a `Stopwatch` on the engine's steps: stat
the files, find the package's modules, read, compile (the changed
definitions, twice each, or the whole file), rebuild the module code
around new definitions (see `incremental`), scan the bytecode (imports
and bound names), check for import-time patches, execute,
carry over (the in-place update less the execution), and the rest
(planning, ordering, staging, the journal). In the same rounds, the floor of
the changed module alone: read, compile, exec into a fresh dict.
"""
import builtins
import statistics
import time

from stopwatch import Stopwatch
from stopwatch import fresh_heap

from Products.RefreshManager.engine.read import bytecode
from Products.RefreshManager.engine.plan import incremental
from Products.RefreshManager.engine.carry import inplace
from Products.RefreshManager.engine.plan import plan
from Products.RefreshManager.engine.apply import refresh


STEPS = ('stat', 'find modules', 'read', 'compile', 'rebuild',
         'scan bytecode', 'patch check', 'exec', 'carry over', 'the rest')


def _engine_stopwatch():
    watch = Stopwatch()
    # Builtins looked up in the engine's modules: shadow them there.
    incremental.compile, inplace.exec = builtins.compile, builtins.exec
    for owner, attribute, step in (
            (refresh, 'refresh_packages', 'the rest'),
            (plan, 'fingerprint', 'stat'),
            (plan, 'package_modules', 'find modules'),
            (plan, 'compile_file', 'read'),
            (incremental, 'compile', 'compile'),
            (incremental, '_recompiled', 'rebuild'),
            (bytecode, '_Scan', 'scan bytecode'),
            (plan, 'patch_reason', 'patch check'),
            (inplace.StagedUpdate, 'apply', 'carry over'),
            (inplace, 'exec', 'exec')):
        watch.wrap(owner, attribute, step)
    return watch


def _floor_steps(path, name, seconds):
    start = time.perf_counter()
    with open(path, 'rb') as source:
        data = source.read()
    read = time.perf_counter()
    code = compile(data, path, 'exec', dont_inherit=True)
    compiled = time.perf_counter()
    exec(code, {'__name__': name})
    done = time.perf_counter()
    for step, value in (('read', read - start), ('compile', compiled - read),
                        ('exec', done - compiled)):
        seconds[step] = seconds.get(step, 0.0) + value


def breakdown(module, path, edit, rounds, first_cycle=10000):
    """Refresh the package of `module` (its file: `path`) `rounds` times,
    each after ``edit(cycle)``; ``(steps, floor_steps, total)``: mean
    milliseconds per refresh of each step and the mean total."""
    package = module.__name__.rpartition('.')[0]
    watch = _engine_stopwatch()
    floor_seconds, totals = {}, []
    try:
        for cycle in range(first_cycle, first_cycle + rounds):
            edit(cycle)
            fresh_heap()
            start = time.perf_counter()
            refresh.refresh_packages([package])
            totals.append(time.perf_counter() - start)
            fresh_heap()
            _floor_steps(path, module.__name__, floor_seconds)
    finally:
        watch.restore()
        del incremental.compile, inplace.exec
    steps = {step: watch.seconds.get(step, 0.0) * 1000 / rounds
             for step in STEPS}
    floor = {step: value * 1000 / rounds
             for step, value in floor_seconds.items()}
    return steps, floor, statistics.mean(totals) * 1000


def print_breakdown(title, steps, floor, total):
    print(f'{title}, mean of the timed rounds, ms per refresh:')
    print(f'  {"step":14s} {"refresh":>8s} {"floor":>8s}')
    for step in STEPS:
        floor_ms = f'{floor[step]:8.3f}' if step in floor else ' ' * 8
        print(f'  {step:14s} {steps[step]:8.3f} {floor_ms}'
              f'  {steps[step] / total * 100:5.1f}%')
    print(f'  {"total":14s} {total:8.3f} {sum(floor.values()):8.3f}'
          f'  (steps add up to {sum(steps.values()):.3f})')
