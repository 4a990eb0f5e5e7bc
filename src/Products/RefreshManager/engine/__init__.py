"""The reload engine: refresh a package's changed modules all or nothing.

It imports nothing from Zope, so it can be used (and tested) on any
Python package; the Zope glue lives one level up. A refresh goes through
the stages its subpackages are named for, each importing only those
listed before it:

- `read`: what a package's code is: its modules and files, their
  fingerprints, what their bytecode does (and on which Python versions
  the fast readings are proven);
- `record`: what the engine keeps between refreshes (fingerprints, names
  bound, the modules a classic refresh replaced) and tells (reports; is
  what runs what the files say);
- `plan`: which modules run again, in which order, compiled (only the
  definitions an edit changed, where that gives the whole file's code),
  and which are patch modules not to run again;
- `stage`: running the new code off to the side, the journal that undoes
  every change, the gate that keeps requests out while it is applied,
  the lock and the time limit;
- `carry`: carrying the new definitions into the old objects, in place;
- `apply`: one refresh as a unit of work: planned, staged, applied, or
  rolled back (`apply.refresh.refresh_packages` is the entry point).
"""
