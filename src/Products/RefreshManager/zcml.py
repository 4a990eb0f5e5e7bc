"""Reload one package's ZCML: its registrations only, with rollback.

plone.reload re-runs the whole site configuration (seconds, and memory
that is never given back). A package's registrations can be told apart
instead: every registration a ZCML directive makes in the global
component registry carries the directive's place (``info.file``), so
those made by the files in the package's folder are unregistered, the
package's ``configure.zcml`` is run again in the configuration context
Zope started with (which knows every directive, and skips the files of
other packages because it has seen them), and the new registrations are
made. A failure anywhere puts the registry, the context and the other
registries that directives fill back as they were.
"""
import os
import time
from dataclasses import dataclass

from zope.component import getGlobalSiteManager
from zope.configuration import xmlconfig

from .zcml_directives import not_undoable
from .zcml_registries import DirectiveRegistries
from .zcml_registries import RegistrySnapshot


ENTRY = 'configure.zcml'


class ZCMLError(Exception):
    """The package's ZCML failed; the previous registrations are back."""


@dataclass(frozen=True)
class ZCMLReport:
    files: tuple  # the package's ZCML files that were run
    removed: int  # registrations of the previous version taken out
    added: int  # registrations the new version made
    seconds: float


def _under(path, folder):
    return isinstance(path, str) and path.startswith(folder + os.sep)


def _context():
    """The configuration context Zope's site.zcml was loaded with."""
    from Zope2.App import zcml
    if zcml._context is None:
        raise ZCMLError('Zope has not loaded its configuration (site.zcml) '
                        'in this process, so there is no ZCML to reload.')
    return zcml._context


def zcml_files(folder):
    """The ZCML files the site loaded from the package's folder."""
    context = _context()
    return sorted(path for path in context._seen_files
                  if _under(path, folder))


class PackageZCML:
    """The ZCML of one package, reloaded with `reload` and put back as it
    was before with `undo` (also after a later step of the same refresh
    failed)."""

    def __init__(self, package, module, folder):
        self.package, self.module, self.folder = package, module, folder
        self._undo = None

    def _ours(self, info):
        return _under(getattr(info, 'file', None), self.folder)

    def reload(self):
        """Unregister what the package's ZCML registered and run its
        ``configure.zcml`` again; a `ZCMLReport`, or None when the
        package has no ZCML. Raises ZCMLError (its message names the file
        and line) after putting everything back."""
        entry = os.path.join(self.folder, ENTRY)
        if not os.path.isfile(entry) and not zcml_files(self.folder):
            return None
        started = time.perf_counter()
        refused = not_undoable(entry, self.package, self.folder)
        if refused:
            raise ZCMLError(
                'Its ZCML uses directives whose effects a reload of this '
                'package alone cannot undo, so it was not reloaded: '
                + '; '.join(map(str, refused))
                + '. Restart Zope to load them')
        context = _context()
        snapshot = RegistrySnapshot(getGlobalSiteManager())
        directives = DirectiveRegistries(self.package, self.folder)
        seen = set(context._seen_files)
        actions, stack = list(context.actions), list(context.stack)

        def undo():
            context.actions[:] = actions
            context.stack[:] = stack
            context._seen_files.clear()
            context._seen_files.update(seen)
            snapshot.restore()
            directives.restore()

        self._undo = undo
        try:
            removed = snapshot.unregister_from(self._ours)
            directives.forget()
            context._seen_files.difference_update(
                path for path in seen if _under(path, self.folder))
            if os.path.isfile(entry):
                xmlconfig.file(ENTRY, package=self.module, context=context)
            directives.settle()
        except Exception as error:
            self.undo()
            raise ZCMLError(str(error)) from error
        except BaseException:
            self.undo()
            raise
        return ZCMLReport(tuple(zcml_files(self.folder)), removed,
                          snapshot.count_new(),
                          time.perf_counter() - started)

    def undo(self):
        if self._undo is not None:
            undo, self._undo = self._undo, None
            undo()
