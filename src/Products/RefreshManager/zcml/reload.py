"""Reload one package's ZCML: its registrations only, with rollback.

plone.reload re-runs the whole site configuration (seconds, and memory
that is never given back). A package's registrations can be told apart
instead: every registration a ZCML directive makes in the global
component registry carries the directive's place (``info.file``). The
package's entry files (``configure.zcml``, and ``overrides.zcml`` when
the site loaded it) are read again in the configuration context Zope
started with, which knows every directive and skips the files of other
packages because it has seen them. What their actions call is judged
(`actions`): when a reload of the package alone can undo all of it, the
registrations made by the files in the package's folder are taken out
and the new actions run. A failure anywhere puts the registry, the
context and the other registries that directives fill back as they were.

When an action calls something that cannot be undone, the package gets
plone.reload's remedy instead, all or nothing too: the whole site
configuration is read and run again in a new context, after every
registration it made is taken out. That takes as long as Zope's start
does for its ZCML, and the tab says why. A directive that would patch
code a second time (``monkey:patch``) is refused either way, and other
packages' patches are not run again by a whole-site reload.
"""
import ctypes
import gc
import os
import time
from dataclasses import dataclass

from zope.component import getGlobalSiteManager
from zope.configuration import xmlconfig

from .actions import PATCHES
from .actions import callable_name
from .actions import judge
from .actions import placeless
from .actions import with_place
from .components import RegistrySnapshot
from .declarations import taken_back
from .directives import place
from .registries import DirectiveRegistries
from .security import ClassSecurity
from .security import drop_copied_security
from .startup import started_in


ENTRY = 'configure.zcml'
OVERRIDES = 'overrides.zcml'


class ZCMLError(Exception):
    """The package's ZCML failed; the previous registrations are back.
    `needs_restart`: no refresh can load it, only a restart."""

    def __init__(self, message, needs_restart=False):
        super().__init__(message)
        self.needs_restart = needs_restart


@dataclass(frozen=True)
class ZCMLReport:
    files: tuple  # the ZCML files that were run: the package's, or the site's
    removed: int  # registrations of the previous version taken out
    added: int  # registrations the new version made
    seconds: float
    # The directives whose actions a reload of the package alone cannot
    # undo, which made it reload the whole site configuration ('kind
    # (file, line N)'); empty for a reload of the package alone.
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


def _refuse(conflicts):
    if conflicts:
        raise ZCMLError('; '.join(
            f'The registration at {place(new)} conflicts with the one at '
            f'{place(old)}, as a restart would report (an overrides.zcml '
            'may replace another package\'s registrations)'
            for new, old in conflicts))


# The actions each package's ZCML ran at its last reload (by folder), or
# else at Zope's start (`startup`): the registries that do not file an
# entry under its place give up the entries of those (a TALES type, a
# z3c.caching rule) as well as those the new actions make.
_RAN = {}


def _release_replaced():
    """What the last whole-site reload replaced (a configuration's
    classes, templates and catalogs, in cycles) goes before the next one
    is read, not after it: the process does not grow by both. glibc keeps
    freed heap pages (tens of megabytes after a configuration) unless
    asked to give them back."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (AttributeError, OSError):  # not glibc: its allocator decides
        pass


class _Context:
    """The configuration context's state that reading ZCML changes."""

    def __init__(self, context):
        self.context = context
        self.seen = set(context._seen_files)
        self.actions, self.stack = list(context.actions), list(context.stack)
        self.package = context.package

    def put_back(self):
        from Zope2.App import zcml
        context = zcml._context = self.context
        context.actions[:] = self.actions
        context.stack[:] = self.stack
        context._seen_files.clear()
        context._seen_files.update(self.seen)
        context.package = self.package


class PackageZCML:
    """The ZCML of one package, reloaded with `reload` and put back as it
    was before with `undo` (also after a later step of the same refresh
    failed)."""

    def __init__(self, package, module, folder):
        self.package, self.module, self.folder = package, module, folder
        self._undo = None
        self._prefix = folder + os.sep

    def _ours(self, info):
        """Made by a file in the package's folder (called for every
        registration of the site: kept to one attribute lookup and one
        comparison)."""
        file = getattr(info, 'file', None)
        return type(file) is str and file.startswith(self._prefix)

    def reload(self):
        """Take out what the package's ZCML registered and run it again
        (or the whole site's, see the module); a `ZCMLReport`, or None
        when the package has no ZCML. Raises ZCMLError (its message names
        the file and line) after putting everything back."""
        entry = os.path.join(self.folder, ENTRY)
        if not os.path.isfile(entry) and not zcml_files(self.folder):
            return None
        started = time.perf_counter()
        saved = _Context(_context())
        actions = self._read(saved)
        verdict = judge(actions)
        if verdict.patches:
            saved.put_back()
            raise ZCMLError(
                'Its ZCML uses directives that would patch code a second '
                'time, so it was not reloaded: '
                + '; '.join(map(str, verdict.patches))
                + '. Restart Zope to load them', needs_restart=True)
        ran = _RAN.get(self.folder)
        if ran is None:
            ran = started_in(self.folder)
        kept = taken_back(ran, actions)
        if kept:
            saved.put_back()
            raise ZCMLError(
                'Its ZCML no longer makes declarations that stay on the '
                'class in a running process, so it was not reloaded: '
                + '; '.join(kept) + '. Restart Zope to load it',
                needs_restart=True)
        if verdict.scoped:
            removed, added = self._apply(
                saved, saved.context, actions, ran,
                DirectiveRegistries(self.package, self.folder), self._ours)
            files = zcml_files(self.folder)
        else:
            saved.put_back()
            _release_replaced()
            site = self._read_site()
            removed, added = self._apply(
                saved, site, [action for action in site.actions
                              if callable_name(action) not in PATCHES], ran,
                DirectiveRegistries(None, None),
                lambda info: getattr(info, 'file', None) in saved.seen)
            files = sorted(site._seen_files)
        return ZCMLReport(tuple(files), removed, added,
                          time.perf_counter() - started,
                          tuple(map(str, verdict.not_undoable)))

    def _read(self, saved):
        """The actions of the package's entry files, read (not run) in the
        context Zope started with; the context is put back on failure."""
        context = saved.context
        context._seen_files.difference_update(
            path for path in saved.seen if _under(path, self.folder))
        del context.actions[:]
        try:
            if os.path.isfile(os.path.join(self.folder, ENTRY)):
                xmlconfig.file(ENTRY, package=self.module, context=context,
                               execute=False)
            if os.path.join(self.folder, OVERRIDES) in saved.seen:
                xmlconfig.includeOverrides(context, OVERRIDES,
                                           package=self.module)
        except Exception as error:
            saved.put_back()
            raise ZCMLError(str(error)) from error
        except BaseException:
            saved.put_back()
            raise
        return list(context.actions)

    def _read_site(self):
        """The whole site configuration, read (not run) in a new context,
        as Zope's start reads it."""
        from App.config import getConfiguration
        site_zcml = os.path.join(getConfiguration().instancehome, 'etc',
                                 'site.zcml')
        if not os.path.exists(site_zcml):
            import Zope2.utilities
            site_zcml = os.path.join(os.path.dirname(Zope2.utilities.__file__),
                                     'skel', 'etc', 'site.zcml')
        try:
            return xmlconfig.file(site_zcml, execute=False)
        except Exception as error:
            raise ZCMLError(str(error)) from error

    def _apply(self, saved, context, actions, ran, directives, ours):
        """Take out the registrations `ours` tells and the entries the
        actions `ran` made, run the `actions` in `context`, and make
        `undo` put everything back; how many registrations went, how many
        came."""
        from Zope2.App import zcml
        snapshot = RegistrySnapshot(getGlobalSiteManager())
        security = ClassSecurity(ran, actions)

        def undo():
            saved.put_back()
            snapshot.restore()
            directives.restore()
            security.restore()
            _RAN[self.folder] = ran

        self._undo = undo
        try:
            snapshot.unregister_from(ours)
            snapshot.unregister_placeless(placeless(ran))
            directives.forget(ran + actions)
            emptied = RegistrySnapshot(snapshot.registry)
            drop_copied_security(actions)
            security.take_out()
            context.actions[:] = map(with_place, actions)
            context.execute_actions()
            if context is saved.context:
                _refuse(snapshot.keep_winners(ours))
                context.actions[:] = saved.actions
                context.package = saved.package
            zcml._context = context
            directives.settle(snapshot.replaced())
            _RAN[self.folder] = [action for action in actions
                                 if _under(getattr(action.get('info'), 'file',
                                                   None), self.folder)]
        except Exception as error:
            self.undo()
            raise ZCMLError(str(error)) from error
        except BaseException:
            self.undo()
            raise
        return emptied.count_new(against=snapshot), emptied.count_new()

    def undo(self):
        if self._undo is not None:
            undo, self._undo = self._undo, None
            undo()
