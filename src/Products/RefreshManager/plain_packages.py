"""Plain packages that opted in: any imported package with a refresh.txt.

Plone add-ons (``collective.*``, ``plone.app.*``) are neither in the
``Products`` namespace nor registered with ``five:registerPackage``; many
packages of the stack (``plone.base``, a developer's own helper library)
have no ZCML at all. Any imported regular package whose folder ships a
``refresh.txt`` is a product; a Plone site imports about a thousand
packages, and only the ones that opted in count. A package inside
another one that opted in is part of it, not a product of its own.
"""
import os
import sys

from .engine.read.files import REFRESH_FILES


# The package folders, worked out again only when more modules were
# imported: (how many modules then, {folder: dotted package name}).
_folders = (-1, {})


def package_folders():
    """``{folder: dotted name}`` of the regular packages now imported."""
    global _folders
    count = len(sys.modules)
    if _folders[0] == count:
        return _folders[1]
    found = {}
    for name, module in list(sys.modules.items()):
        path = getattr(module, '__file__', None)
        if isinstance(path, str) and hasattr(module, '__path__'):
            found[os.path.dirname(path)] = name
    _folders = (count, found)
    return found


def has_refresh_file(folder):
    return any(os.path.isfile(os.path.join(folder, name))
               for name in REFRESH_FILES)


def plain_packages(only=None):
    """``{package: folder}`` of the imported packages that ship a
    ``refresh.txt`` (only the package `only`, if given: the ZMI looks a
    product up on every traversal)."""
    folders = package_folders()
    found = {}
    for folder, package in folders.items():
        if only is not None and only not in (
                package, package.removeprefix('Products.')):
            continue
        if has_refresh_file(folder) and not any(
                parent in folders and has_refresh_file(parent)
                for parent in _parents(folder)):
            found[package] = folder
    return found


def _parents(folder):
    parent = os.path.dirname(folder)
    while parent != folder:
        yield parent
        folder, parent = parent, os.path.dirname(parent)
