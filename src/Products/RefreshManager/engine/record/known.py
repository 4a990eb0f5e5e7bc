"""What the engine knows of each module: the file's fingerprint when it
planned it and the names the module imports; and what the code it last
executed in each module bound (so a refresh in place knows which names
the new source dropped).

With it, a refresh compiles and executes only the modules whose file
changed, and those that import them: its cost follows the change, not
the size of the product. A module the engine has not seen yet counts as
changed. Kept out of refreshes, so RefreshManager refreshing itself
keeps what it knows.
"""
import weakref


__refresh_module__ = False


class ModuleTable:
    """A table by module object that does not keep modules alive. What
    some packages put into ``sys.modules`` cannot be weakly referenced
    (zope.deferredimport's ``ModuleProxy``, in Plone): those are held,
    by identity."""

    def __init__(self):
        self._weak = weakref.WeakKeyDictionary()
        self._held = {}  # id(module): (module, value)

    def get(self, module, default=None):
        try:
            return self._weak.get(module, default)
        except TypeError:
            found = self._held.get(id(module))
            return found[1] if found and found[0] is module else default

    def __setitem__(self, module, value):
        try:
            self._weak[module] = value
        except TypeError:
            self._held[id(module)] = (module, value)

    def pop(self, module, default=None):
        try:
            return self._weak.pop(module, default)
        except TypeError:
            found = self._held.pop(id(module), None)
            return found[1] if found else default


MODULES = {}  # module name -> (fingerprint, import targets)
# module name -> its file's fingerprint when it was imported, for the
# modules the engine has not run: those Zope loaded at its start (see
# `sync.remember_loaded`) and those a refresh imported for the first time
LOADED = {}
BINDINGS = ModuleTable()  # module -> bytecode.Bindings
