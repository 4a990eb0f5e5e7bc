"""The reload engine: find a package's modules, plan their order, reload
them all or nothing.

Nothing here imports Zope, so the engine can be used (and tested) on any
Python package; the Zope glue lives one level up.
"""
