"""Does what a package runs equal its files?

A refresh makes the running code the files' code, or fails and changes
nothing. Between refreshes the two part all the same, and a developer
looking at a page must be able to tell: a file saved and not refreshed
yet, a file deleted while its module stays loaded (and imported), a
function that runs with a copy of its module's namespace or whose
``super()`` names another class than the one holding it (what other
reloaders leave behind). `differences` names each, in terms of the
package's files, with what to do about it.

What the running code was made from is the file's fingerprint when the
engine last ran the module, or, for a module it has not run, when it
was imported: at Zope's start (`remember_loaded`) or by a refresh (see
`known`); a module imported otherwise is compared with the time Zope
started. Nothing is compiled: a few
``stat`` calls and a walk over the module's functions and classes.
"""
import os
import sys
import time
import types
from dataclasses import dataclass

from . import known
from ..read.files import fingerprint
from ..read.modules import opted_out
from ..read.modules import own_modules
from ..read.modules import source_path


_STARTED = [time.time()]  # when the running code was loaded, at the latest


@dataclass(frozen=True)
class Difference:
    module: str
    what: str  # what differs, in terms of the package's files
    todo: str  # what makes the running code the files' code again
    # 'changed' or 'deleted' (a file), 'restart' (a file changed that no
    # refresh runs again), or 'stale' (a function that runs with other
    # globals or another class than the module's)
    kind: str = 'stale'

    @property
    def in_files(self):
        """Whether a file changed that a refresh runs again: what a
        refresh of changed products is for."""
        return self.kind in ('changed', 'deleted')


def remember_loaded(packages=None):
    """The fingerprints of the files of the loaded modules (of `packages`,
    or all of them) now: what the code running from them was made from.
    Zope calls this once it has loaded the products, for every module, so
    a package that opts in later is known as loaded too: its first
    refresh runs only what changed since."""
    _STARTED[0] = time.time()
    if packages is None:
        loaded = {name: module for name, module in list(sys.modules.items())
                  if module is not None}
    else:
        loaded = {}
        for package in packages:
            loaded.update(own_modules(package))
    for name, module in loaded.items():
        path = source_path(module)
        if path is not None:
            known.LOADED.setdefault(name, fingerprint(path))


def _ran_from(name):
    """The fingerprint of the file the running code of `name` was made
    from, or None when not known."""
    remembered = known.MODULES.get(name)
    return remembered[0] if remembered else known.LOADED.get(name)


def _file_differs(name, module, path, folder):
    now = fingerprint(path)
    relative = os.path.relpath(path, folder)
    if now is None:
        return Difference(name, f'{relative} was deleted; its module is '
                          f'still loaded', 'Refresh: it goes (a refresh fails '
                          'while another module imports it: remove that '
                          'import first), or restart Zope.', 'deleted')
    ran_from = _ran_from(name)
    if ran_from is None:
        changed = now[0] / 1e9 > _STARTED[0]
    else:
        changed = now != ran_from
    if changed and opted_out(module):
        return Difference(name, f'{relative} changed since its code was '
                          'loaded, and its module opts out of refreshes '
                          '(__refresh_module__ = False)', 'Restart Zope.',
                          'restart')
    if changed:
        return Difference(name, f'{relative} changed since its code was '
                          'loaded', 'Refresh the product.', 'changed')
    return None


def _functions(module):
    """``(qualified name, function, class holding it or None)`` of the
    module's functions and of the methods of the classes it defines."""
    for value in list(vars(module).values()):
        if type(value) is types.FunctionType:
            yield value.__qualname__, value, None
        elif isinstance(value, type) and \
                getattr(value, '__module__', None) == module.__name__:
            for member in list(vars(value).values()):
                if isinstance(member, (classmethod, staticmethod)):
                    member = member.__func__
                if type(member) is types.FunctionType:
                    yield member.__qualname__, member, value


def _stale_function(module, qualname, function, holder):
    namespace = function.__globals__
    if namespace is not vars(module) and \
            namespace.get('__name__') == module.__name__:
        return Difference(module.__name__, f'{qualname} runs with a copy of '
                          f'the module\'s globals (another reloader made it)',
                          'Refresh the product in place.')
    code = function.__code__
    if holder is not None and '__class__' in code.co_freevars and \
            qualname.rpartition('.')[0] == holder.__qualname__:
        cell = function.__closure__[code.co_freevars.index('__class__')]
        named = getattr(cell, 'cell_contents', holder)
        if named is not holder:
            return Difference(module.__name__, f'super() in {qualname} names '
                              f'another class {named.__qualname__} than the '
                              f'one it is in (another reloader made it)',
                              'Refresh the product in place.')
    return None


def differences(package, folder):
    """What differs between what `package` runs and its files in
    `folder`, module by module: a list of `Difference`, empty when all
    is in sync."""
    found, refreshable = [], []
    for name, module in sorted(own_modules(package).items()):
        if not opted_out(module):
            refreshable.append((name, module))
            continue
        difference = _file_differs(name, module, source_path(module),
                                   folder)
        if difference is not None:  # no refresh runs it: a restart does
            found.append(difference)
    for name, module in refreshable:
        difference = _file_differs(name, module, source_path(module),
                                   folder)
        if difference is not None:
            found.append(difference)
            if not os.path.exists(source_path(module)):
                continue
        for qualname, function, holder in _functions(module):
            if function.__module__ != name:
                continue  # imported, or another module's patch
            difference = _stale_function(module, qualname, function, holder)
            if difference is not None:
                found.append(difference)
                break
    return found
