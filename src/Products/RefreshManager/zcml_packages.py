"""Plain packages whose ZCML the site loaded and that opted in.

Plone add-ons (``collective.*``, ``plone.app.*``) are neither in the
``Products`` namespace nor registered with ``five:registerPackage``: the
site loads their ZCML (z3c.autoinclude / plone.autoinclude plugins,
``<include package=…>`` in ``site.zcml``). The configuration Zope ran
remembers every ZCML file it read (``Zope2.App.zcml``'s context,
``_seen_files``); the package folders holding those files are where
such a package's ``refresh.txt`` can be, beside the ``configure.zcml``
that was loaded. Only the ones that have one count: a Plone site loads
the ZCML of hundreds of packages.
"""
import os
import sys

from .engine.read.files import REFRESH_FILES


# The candidate folders, worked out again only when more ZCML was loaded:
# (files seen then, {folder: dotted package name}).
_candidates = (-1, {})


def _seen_zcml_files():
    from Zope2.App import zcml
    context = zcml._context
    return getattr(context, '_seen_files', None) or ()


def _package_folders():
    """``{folder: dotted name}`` of the regular packages now imported."""
    folders = {}
    for name, module in list(sys.modules.items()):
        path = getattr(module, '__file__', None)
        if isinstance(path, str) and hasattr(module, '__path__'):
            folders[os.path.dirname(path)] = name
    return folders


def candidate_folders():
    """``{folder: package}`` of every package folder holding a ZCML file
    the site loaded."""
    global _candidates
    seen = _seen_zcml_files()
    if _candidates[0] == len(seen):
        return _candidates[1]
    packages = _package_folders()
    folders = {os.path.dirname(path) for path in list(seen)}
    found = {folder: packages[folder] for folder in folders
             if folder in packages}
    _candidates = (len(seen), found)
    return found


def has_refresh_file(folder):
    return any(os.path.isfile(os.path.join(folder, name))
               for name in REFRESH_FILES)


def zcml_packages(only=None):
    """``{package: folder}`` of the packages whose ZCML the site loaded
    that ship a ``refresh.txt`` (only the package `only`, if given: the
    ZMI looks a product up on every traversal); a package inside another
    of them is part of it, not a product of its own."""
    candidates = candidate_folders()
    found = {}
    for folder, package in candidates.items():
        if only is not None and only not in (
                package, package.removeprefix('Products.')):
            continue
        if has_refresh_file(folder) and not any(
                parent in candidates and has_refresh_file(parent)
                for parent in _parents(folder)):
            found[package] = folder
    return found


def _parents(folder):
    parent = os.path.dirname(folder)
    while parent != folder:
        yield parent
        folder, parent = parent, os.path.dirname(parent)
