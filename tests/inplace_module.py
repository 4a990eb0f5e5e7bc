"""A top-level module written to disk, imported, edited and reloaded in
place: what every reload_module test starts from."""
import importlib
import sys
import textwrap

import pytest

from Products.RefreshManager.inplace import reload_module

from .packages import unique_name


class WrittenModule:

    def __init__(self, folder, name):
        self.path = folder / f'{name}.py'
        self.name = name
        self.module = None

    def write(self, source):
        self.path.write_text(textwrap.dedent(source))

    def load(self, source):
        """Write `source` and import it; the import caches its bytecode, as
        it does in a Zope whose environment does not forbid it."""
        self.write(source)
        writes, sys.dont_write_bytecode = sys.dont_write_bytecode, False
        try:
            self.module = importlib.import_module(self.name)
        finally:
            sys.dont_write_bytecode = writes
        return self.module

    def reload(self, source):
        self.write(source)
        return reload_module(self.module)


@pytest.fixture
def module(tmp_path, monkeypatch):
    """A top-level module (outside any package) to write and reload."""
    monkeypatch.syspath_prepend(str(tmp_path))
    written = WrittenModule(tmp_path, unique_name('inplacemod'))
    yield written
    sys.modules.pop(written.name, None)
