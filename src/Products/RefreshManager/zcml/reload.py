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

A package whose ZCML uses a directive whose effects a scoped reload
cannot undo gets plone.reload's remedy instead, all or nothing too: the
whole site configuration is run again in a new context, after every
registration it made is taken out. That takes as long as Zope's start
does for its ZCML, and the tab says so. A directive that would patch
code a second time (``monkey:patch``) is refused either way.
"""
import os
import time
from dataclasses import dataclass

import Products
from zope.component import getGlobalSiteManager
from zope.configuration import xmlconfig

from .directives import never_again
from .directives import not_undoable
from .registries import DirectiveRegistries
from .registries import RegistrySnapshot


ENTRY = 'configure.zcml'


class ZCMLError(Exception):
    """The package's ZCML failed; the previous registrations are back.
    `needs_restart`: no refresh can load it, only a restart."""

    def __init__(self, message, needs_restart=False):
        super().__init__(message)
        self.needs_restart = needs_restart


@dataclass(frozen=True)
class ZCMLReport:
    files: tuple  # the package's ZCML files that were run
    removed: int  # registrations of the previous version taken out
    added: int  # registrations the new version made
    seconds: float
    # Directives a scoped reload cannot undo, which made it reload the
    # whole site configuration; empty for a reload of the package alone.
    whole_site_for: tuple = ()


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
        ``configure.zcml`` again (or the whole site's, see the module);
        a `ZCMLReport`, or None when the package has no ZCML. Raises
        ZCMLError (its message names the file and line) after putting
        everything back."""
        entry = os.path.join(self.folder, ENTRY)
        if not os.path.isfile(entry) and not zcml_files(self.folder):
            return None
        started = time.perf_counter()
        refused = not_undoable(entry, self.package, self.folder)
        dangerous = [str(d) for d in refused if never_again(d)]
        if dangerous:
            raise ZCMLError(
                'Its ZCML uses directives that would patch code a second '
                'time, so it was not reloaded: ' + '; '.join(dangerous)
                + '. Restart Zope to load them', needs_restart=True)
        if refused:
            removed, added = self._apply(
                self._run_site, DirectiveRegistries(None, None),
                lambda info, seen: getattr(info, 'file', None) in seen)
        else:
            removed, added = self._apply(
                self._run_package,
                DirectiveRegistries(self.package, self.folder),
                lambda info, seen: _under(getattr(info, 'file', None),
                                          self.folder))
        return ZCMLReport(tuple(zcml_files(self.folder)), removed, added,
                          time.perf_counter() - started,
                          tuple(map(str, refused)))

    def _run_package(self, context, seen):
        context._seen_files.difference_update(
            path for path in seen if _under(path, self.folder))
        if os.path.isfile(os.path.join(self.folder, ENTRY)):
            xmlconfig.file(ENTRY, package=self.module, context=context)

    def _run_site(self, _context, _seen):
        from Zope2.App import zcml
        zcml.load_site(force=True)  # in a new configuration context
        known = set()
        Products.meta_types = tuple(  # five:registerClass ran again
            info for info in Products.meta_types
            if info['name'] not in known and not known.add(info['name']))

    def _apply(self, run, directives, ours):
        """Take out the registrations `ours` tells, `run` the ZCML, and
        make `undo` put everything back; how many registrations went,
        how many came."""
        from Zope2.App import zcml
        context = _context()
        snapshot = RegistrySnapshot(getGlobalSiteManager())
        seen = set(context._seen_files)
        actions, stack = list(context.actions), list(context.stack)
        meta_types = Products.meta_types

        def undo():
            zcml._context = context
            context.actions[:] = actions
            context.stack[:] = stack
            context._seen_files.clear()
            context._seen_files.update(seen)
            snapshot.restore()
            directives.restore()
            Products.meta_types = meta_types

        self._undo = undo
        try:
            removed = snapshot.unregister_from(lambda info: ours(info, seen))
            directives.forget()
            run(context, seen)
            directives.settle()
        except Exception as error:
            self.undo()
            raise ZCMLError(str(error)) from error
        except BaseException:
            self.undo()
            raise
        return removed, snapshot.count_new()

    def undo(self):
        if self._undo is not None:
            undo, self._undo = self._undo, None
            undo()
