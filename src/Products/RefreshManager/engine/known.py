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

MODULES = {}  # module name -> (fingerprint, import targets)
BINDINGS = weakref.WeakKeyDictionary()  # module -> bytecode.Bindings
