"""Where the peer reloaders' test cases run: modules written to disk in a
package of their own, imported, held, edited and reloaded by a reloader
(ours in the tests; each peer's too in benchmarks/peer_suites.py).

Every write gets a modification time of its own, two seconds after the
last one, so no reloader is fooled by a cached bytecode file written in
the same second for a source of the same size; the imports write those
files, as they do in a normal process.
"""
import importlib
import itertools
import os
import shutil
import sys
import tempfile
import textwrap
import time

import pytest

from Products.RefreshManager.inplace import reload_module

from .packages import unique_name


class Box:

    def __init__(self, reloader):
        self.reloader = reloader
        self.folder = tempfile.mkdtemp(prefix='peerbox')
        self.package = unique_name('peerbox')
        os.mkdir(os.path.join(self.folder, self.package))
        self._clock = itertools.count(int(time.time()) - 10 ** 6, 2)
        self._names = itertools.count(1)
        self._write(os.path.join(self.folder, self.package, '__init__.py'),
                    '')
        sys.path.insert(0, self.folder)

    def _write(self, path, source):
        with open(path, 'w') as out:
            out.write(textwrap.dedent(source))
        stamp = next(self._clock)
        os.utime(path, (stamp, stamp))

    def path(self, name):
        return os.path.join(self.folder, self.package, f'{name}.py')

    def load(self, source, name=None):
        """Write a module of the box's package and import it."""
        name = name or f'mod{next(self._names)}'
        self._write(self.path(name), source)
        importlib.invalidate_caches()
        writes, sys.dont_write_bytecode = sys.dont_write_bytecode, False
        try:
            return importlib.import_module(f'{self.package}.{name}')
        finally:
            sys.dont_write_bytecode = writes

    def write(self, module, source):
        self._write(module.__file__, source)

    def reload(self, module, source=None):
        """Write `source` (if given) over the module's file, and reload."""
        if source is not None:
            self.write(module, source)
        self.reloader(module)

    def close(self):
        sys.path.remove(self.folder)
        for name in [n for n in sys.modules
                     if n.split('.')[0] == self.package]:
            del sys.modules[name]
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def box():
    """A box whose modules `reload_module` reloads."""
    made = Box(reload_module)
    yield made
    made.close()
