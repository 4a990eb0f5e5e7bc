"""The refresh a click runs, against the floor and the other reloaders.

One generated module of N functions and N/10 classes of 10 methods
(N = 50, 200, 1000), one copy per tool, each in a package of its own
whose ``__init__`` imports it, as a product's does. Each cycle makes
the same edit of every copy, then times one reload of each, interleaved,
rotating which goes first. Three edits (see `EDITS`), from the best
case to the worst: one function body and one method body; the same and
a line added to the first function (every definition below it moves);
the same and a line added to the module body (the whole file compiles).

- ``refresh``: ``engine.apply.refresh.refresh_packages([package])``, what the
  Refresh button and auto-refresh run: plan (stat, read, compile what
  changed, scan the bytecode, order), execute in place, carry over, for
  the package's changed module and its ``__init__``, which imports it;
- ``reload_module``: ``inplace.reload_module(module)``, the module alone;
- ``floor``: read + compile + exec of the same source into a fresh dict,
  what a reloader that compiles the whole file must at least do;
- ``importlib.reload``, plone.reload's ``Reloader(module).reload()``,
  IPython's ``superreload`` (one ``old_objects`` table, as its magic
  keeps) and jurigged's ``registry.get(file).refresh()``.

Before each timed call the garbage is collected, so each call pays for
the collections its own allocations cause and for nothing else.
jurigged runs in a child process, driven in lockstep with the others:
importing it installs an audit hook that slows every ``exec`` of the
process it is in. IPython and jurigged are installed into the running
environment when missing (for this script only).

Prints, per edit and size, each tool's median and its ratio to
``refresh``; ``refresh``/floor (target at most 1.25) and
``refresh``/plone.reload (target below 1). Then where ``refresh`` spends
its time, from rounds of their own (see ``stopwatch``). In process, no
HTTP: ``refresh_demo.py`` times the whole click over HTTP.

    .venv/bin/python benchmarks/inplace_speed.py [cycles] [edit ...]
"""
import importlib
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.dirname(HERE), HERE]
sys.dont_write_bytecode = True  # same-second edits must not hit old .pyc

from peer_suites import ensure_installed  # noqa: E402
from refresh_steps import breakdown  # noqa: E402
from refresh_steps import print_breakdown  # noqa: E402
from stopwatch import fresh_heap  # noqa: E402


SIZES = (50, 200, 1000)
SLOW = 20.0  # seconds: a tool this slow is timed for 3 cycles at least
TOOLS = ('refresh', 'reload_module', 'floor', 'importlib.reload',
         'plone.reload', 'IPython superreload', 'jurigged')


# What each cycle edits. The body of ``function0`` and of
# ``Class0.method0`` return the cycle number in every case; besides:
EDITS = {
    # nothing else: one definition's lines compiled, twice each (best)
    'bodies': 'one function and one method body edited',
    # ``function0`` gains a line on odd cycles and loses it on even ones:
    # every definition below it moves, so each function gets new code
    'a line': 'and a line added to (or removed from) the first function',
    # the same at the top of the module: the whole file is compiled and
    # every function gets new code (worst)
    'module line': 'and a line added to (or removed from) the module body',
}


def source(size, cycle, edit='bodies'):
    """`size` functions and `size` // 10 classes of 10 methods; the body
    of ``function0`` and of ``Class0.method0`` return `cycle`, with the
    `edit` of `EDITS` made on odd cycles."""
    extra = cycle % 2 == 1
    lines = ['VERSION = 1', ''] if extra and edit == 'module line' else []
    for index in range(size):
        value = cycle if index == 0 else index
        lines.append(f'def function{index}(x, y=1):')
        if index == 0 and extra and edit == 'a line':
            lines.append('    x = x + 0')
        lines += [f'    return x + y + {value}', '', '']
    for index in range(size // 10):
        lines.append(f'class Class{index}:')
        for method in range(10):
            value = cycle if (index, method) == (0, 0) else method
            lines += [f'    def method{method}(self, x):',
                      f'        return x * {value}', '']
        lines.append('')
    return '\n'.join(lines)


def write(path, text):
    with open(path, 'w') as out:
        out.write(text)


def make_package(folder, name, size):
    """A package `name` whose ``__init__`` imports its module ``mod``."""
    os.mkdir(os.path.join(folder, name))
    write(os.path.join(folder, name, '__init__.py'), 'from . import mod\n')
    path = os.path.join(folder, name, 'mod.py')
    write(path, source(size, 0))
    return path


def floor(path, name):
    """What any reloader must do: read, compile, execute."""
    with open(path, 'rb') as source_file:
        code = compile(source_file.read(), path, 'exec', dont_inherit=True)
    namespace = {'__name__': name}
    exec(code, namespace)
    return namespace


def reloaders():
    from plone.reload.xreload import Reloader
    from IPython.extensions.autoreload import superreload
    from Products.RefreshManager.engine.apply.refresh import refresh_packages
    from Products.RefreshManager.inplace import reload_module
    old_objects = {}
    return {
        'refresh': lambda module: refresh_packages(
            [module.__name__.rpartition('.')[0]]),
        'reload_module': reload_module,
        'importlib.reload': importlib.reload,
        'plone.reload': lambda module: Reloader(module).reload(),
        'IPython superreload': lambda module: superreload(
            module, old_objects=old_objects),
    }


class JuriggedChild:
    """jurigged in a process of its own: each `reload` asks it to
    refresh its copy once and answers the seconds it measured."""

    def __init__(self, folder, name):
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), '--jurigged',
             folder, name], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True)
        assert self.process.stdout.readline().strip() == 'ready'

    def reload(self, cycle):
        self.process.stdin.write(f'{cycle}\n')
        self.process.stdin.flush()
        return float(self.process.stdout.readline())

    def close(self):
        self.process.stdin.close()
        self.process.wait(60)


def jurigged_child(folder, name):
    sys.path.insert(0, folder)
    from jurigged import registry
    module = importlib.import_module(f'{name}.mod')
    registry.prepare(module.__name__, module.__file__)
    codefile = registry.get(module.__file__)
    print('ready', flush=True)
    for line in sys.stdin:
        cycle = int(line)
        fresh_heap()
        start = time.perf_counter()
        codefile.refresh()
        elapsed = time.perf_counter() - start
        assert module.function0(0, 0) == cycle, 'jurigged missed it'
        print(elapsed, flush=True)


def measure(folder, size, cycles, edit):
    """{tool: [seconds]} over `cycles` interleaved cycles."""
    paths, modules = {}, {}
    for tool in TOOLS:
        name = f'speed_{size}_{edit.replace(" ", "_")}_' + \
            tool.replace(".", "_").replace(" ", "_")
        paths[tool] = make_package(folder, name, size)
        if tool not in ('floor', 'jurigged'):
            modules[tool] = importlib.import_module(f'{name}.mod')
    tools = reloaders()
    tools['refresh'](modules['refresh'])  # the engine learns the package
    child = JuriggedChild(folder, os.path.basename(
        os.path.dirname(paths['jurigged'])))
    times = {tool: [] for tool in TOOLS}
    order = list(TOOLS)
    try:
        for cycle in range(1, cycles + 1):
            for tool in TOOLS:
                write(paths[tool], source(size, cycle, edit))
            for tool in order:
                if sum(times[tool]) > SLOW and len(times[tool]) >= 3:
                    continue  # jurigged takes 20 s a cycle for some edits
                if tool == 'jurigged':
                    times[tool].append(child.reload(cycle))
                    continue
                fresh_heap()
                start = time.perf_counter()
                if tool == 'floor':
                    module = floor(paths[tool], 'mod')
                    check = module['function0'], module['Class0']
                else:
                    tools[tool](modules[tool])
                    check = modules[tool].function0, modules[tool].Class0
                times[tool].append(time.perf_counter() - start)
                assert check[0](0, 0) == cycle, tool
                assert check[1]().method0(1) == cycle, tool
            order.append(order.pop(0))
    finally:
        child.close()
    return times, modules['refresh'], paths['refresh']


def report(size, edit, times, cycles):
    median = {tool: statistics.median(t) * 1000 for tool, t in times.items()}
    ours = median['refresh']
    print(f'\none module of {size} functions and {size // 10} classes x 10 '
          f'methods, {EDITS[edit]}, {cycles} cycles interleaved (medians):')
    for tool in TOOLS:
        fewer = len(times[tool]) < cycles
        print(f'  {tool:20s} {median[tool]:8.2f} ms   '
              f'{median[tool] / ours:5.2f}x refresh'
              + (f' ({len(times[tool])} cycles)' if fewer else ''))
    print(f'  refresh / floor:        {ours / median["floor"]:.2f} '
          '(target <= 1.25)')
    print(f'  reload_module / floor:  '
          f'{median["reload_module"] / median["floor"]:.2f}')
    print(f'  refresh / plone.reload: {ours / median["plone.reload"]:.2f} '
          '(target < 1)')
    return median


def main(cycles=40, *edits):
    ensure_installed(['IPython superreload', 'jurigged'])
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        sys.path.insert(0, folder)
        for edit in edits or EDITS:
            for size in SIZES:
                count = cycles if size < 1000 else max(cycles // 2, 5)
                times, module, path = measure(folder, size, count, edit)
                rows.append((edit, size, report(size, edit, times, count)))
                steps, floor_steps, total = breakdown(
                    module, path, lambda cycle: write(
                        path, source(size, cycle, edit)), count)
                print_breakdown(f'where refresh spends its time ({size} '
                                f'functions, {edit})', steps, floor_steps,
                                total)
    print('\n| edit | functions | ' + ' | '.join(TOOLS)
          + ' | refresh / floor |')
    print('|---' * (len(TOOLS) + 3) + '|')
    for edit, size, median in rows:
        print(f'| {edit} | {size} | ' + ' | '.join(
            f'{median[tool]:.2f} ms' for tool in TOOLS)
            + f' | {median["refresh"] / median["floor"]:.2f} |')


if __name__ == '__main__':
    if sys.argv[1:2] == ['--jurigged']:
        jurigged_child(*sys.argv[2:4])
    else:
        main(*[int(arg) if arg.isdigit() else arg for arg in sys.argv[1:]])
