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
import time

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


# Folders found without a refresh.txt, and when: looked at again after a
# second (the opt-in scan's pace), so a listing of a thousand packages
# does not ask the disk about each of them on every page.
_without = {}
RECHECK = 1.0


def _opted_in(folder, now):
    checked = _without.get(folder)
    if checked is not None and now - checked < RECHECK:
        return False
    if has_refresh_file(folder):
        _without.pop(folder, None)
        return True
    _without[folder] = now
    return False


def plain_packages(only=None):
    """``{package: folder}`` of the imported packages that ship a
    ``refresh.txt`` (only the package `only`, if given: the ZMI looks a
    product up on every traversal, and asks the disk then)."""
    folders = package_folders()
    now = time.monotonic()
    found = {}
    for folder, package in folders.items():
        if only is not None:
            if only not in (package, package.removeprefix('Products.')):
                continue
            opted = has_refresh_file(folder)
            if opted:  # the rest of this request lists it too
                _without.pop(folder, None)
        else:
            opted = _opted_in(folder, now)
        if opted and not any(
                parent in folders and has_refresh_file(parent)
                for parent in _parents(folder)):
            found[package] = folder
    return found


def _parents(folder):
    parent = os.path.dirname(folder)
    while parent != folder:
        yield parent
        folder, parent = parent, os.path.dirname(parent)
