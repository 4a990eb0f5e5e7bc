"""What the engine knows of each module it has planned: the file's
fingerprint then, the names the module imports and the names its body
binds (so a refresh in place knows which names the new source dropped).

With it, a refresh compiles and executes only the modules whose file
changed, and those that import them: its cost follows the change, not
the size of the product. A module the engine has not seen yet counts as
changed. Kept out of refreshes, so RefreshManager refreshing itself
keeps what it knows.
"""
__refresh_module__ = False

MODULES = {}  # module name -> (fingerprint, import targets, bound names)
