"""Several Zope processes on one database (ZEO, RelStorage) refresh
together: one click asks all of them, each reports its own result.

Kept free of Zope imports at package level: the ZEO server imports
``records`` to resolve conflicts between two clicks.
"""
