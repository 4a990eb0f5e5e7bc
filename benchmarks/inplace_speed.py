"""reload_module against plone.reload's xreload and importlib.reload.

Three identical generated modules (200 functions, 20 classes of 10
methods); each cycle edits one function and one method of each, then
times one reload of each: ``plone.reload.xreload.Reloader(m).reload()``,
``reload_module(m)`` and ``importlib.reload(m)``, interleaved, rotating
which goes first. Prints the medians and the ratios. Target: ours at
most plone.reload's time.

    .venv/bin/python benchmarks/inplace_speed.py [cycles]
"""
import importlib
import os
import statistics
import sys
import tempfile
import time


sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
sys.dont_write_bytecode = True  # same-second edits must not hit old .pyc

from plone.reload.xreload import Reloader  # noqa: E402

from Products.RefreshManager.inplace import reload_module  # noqa: E402


def source(cycle):
    lines = []
    for index in range(200):
        value = cycle if index == 0 else index
        lines += [f'def function{index}(x, y=1):',
                  f'    return x + y + {value}', '', '']
    for index in range(20):
        lines.append(f'class Class{index}:')
        for method in range(10):
            value = cycle if (index, method) == (0, 0) else method
            lines += [f'    def method{method}(self, x):',
                      f'        return x * {value}', '']
        lines.append('')
    return '\n'.join(lines)


TOOLS = {
    'plone.reload': lambda module: Reloader(module).reload(),
    'reload_module': reload_module,
    'importlib': importlib.reload,
}


def main(cycles=60):
    with tempfile.TemporaryDirectory() as folder:
        sys.path.insert(0, folder)
        # xreload needs the module to be in a package.
        package = os.path.join(folder, 'inplace_speed_generated')
        os.mkdir(package)
        open(os.path.join(package, '__init__.py'), 'w').close()
        modules = {}
        for tool in TOOLS:
            name = tool.replace('.', '_')
            path = os.path.join(package, f'{name}.py')
            with open(path, 'w') as out:
                out.write(source(0))
            modules[tool] = (importlib.import_module(
                f'inplace_speed_generated.{name}'), path)
        times = {tool: [] for tool in TOOLS}
        order = list(TOOLS)
        for cycle in range(1, cycles + 1):
            for tool in order:
                module, path = modules[tool]
                with open(path, 'w') as out:
                    out.write(source(cycle))
                start = time.perf_counter()
                TOOLS[tool](module)
                times[tool].append(time.perf_counter() - start)
                assert module.function0(0, 0) == cycle
                assert module.Class0().method0(1) == cycle
            order.append(order.pop(0))
    median = {tool: statistics.median(t) * 1000 for tool, t in times.items()}
    print(f'one generated module (200 functions, 20 classes x 10 methods), '
          f'one function and one method edited, {cycles} cycles:')
    for tool in TOOLS:
        print(f'  {tool:14s} median {median[tool]:6.2f} ms')
    print(f'ratio reload_module/plone.reload: '
          f'{median["reload_module"] / median["plone.reload"]:.2f} '
          '(target <= 1)')
    print(f'ratio reload_module/importlib.reload: '
          f'{median["reload_module"] / median["importlib"]:.2f}')


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
