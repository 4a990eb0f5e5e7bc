"""Class security as the ZCML read again says, not as it said before.

Zope's ``InitializeClass`` folds the ``__ac_permissions__`` a class
already has into what is declared now, and the old entry wins (with
"Conflicting security declarations" in the log). Two kinds of class meet
that on a reload:

- The classes Five's ``browser:view`` (and directives built like it)
  makes for a view copy the security their base has when the ZCML is
  read: at Zope's start only what the Python code declared, read again
  also what the site's ``class`` directives gave the base, and the copy
  won over the view's own permission (Plone's portlet adding view for a
  user's own portlets asked for Manage portlets). The new class inherits
  its base's security anyway: the copies go.
- A package's own classes keep what its ``<require>`` and ``<allow>``
  gave them: a changed permission lost to the old one, a removed one
  stayed. What the last run of the package's ZCML declared, where it is
  still in force, is taken out before the actions run, and put back with
  everything else if the reload fails.
"""
from AccessControl.SecurityInfo import ACCESS_PRIVATE
from AccessControl.SecurityInfo import ACCESS_PUBLIC
from zope.component import queryUtility
from zope.security.checker import CheckerPublic
from zope.security.interfaces import IPermission

from .actions import by_callable
from .declarations import PROTECTS
from .declarations import held
from .declarations import on_held_classes


INITIALIZE = 'AccessControl.class_init.InitializeClass'
PERMISSIONS = '__ac_permissions__'
_MISSING = object()


def _is_security(key, value):
    return key == PERMISSIONS or key.endswith('__roles__') or \
        hasattr(value, '__security_info__')


def drop_copied_security(actions):
    for action in by_callable(actions).get(INITIALIZE, ()):
        cls = action['args'][0] if action.get('args') else None
        if not isinstance(cls, type) or held(cls):
            continue
        own = vars(cls)
        for key in [key for key in own if key == PERMISSIONS
                    or key.endswith('__roles__')]:
            if any(vars(base).get(key) is own[key] for base in cls.__bases__):
                delattr(cls, key)


def _access(permission_id):
    """What AccessControl files for the ZCML permission `permission_id`:
    a permission's title, or the roles of public and private names."""
    if permission_id in ('zope.Public', CheckerPublic):
        return ACCESS_PUBLIC
    if permission_id == 'zope.Private':
        return ACCESS_PRIVATE
    permission = queryUtility(IPermission, permission_id)
    return str(permission.title) if permission is not None else _MISSING


def _in_force(cls, name):
    """What protects `name` on `cls` now (its permission's title, or the
    roles of a public or private name)."""
    for entry in vars(cls).get(PERMISSIONS, ()):
        if name in entry[1]:
            return entry[0]
    return vars(cls).get(name + '__roles__', _MISSING)


class ClassSecurity:
    """The security of the held classes the package's ZCML protects,
    before and after a reload."""

    def __init__(self, ran, actions):
        """`ran`: the actions the package's ZCML ran last; `actions`: those
        about to run."""
        self.declared = [action for found in on_held_classes(
            ran, PROTECTS).values() for action in found]
        self.saved = {cls: {key: value for key, value in vars(cls).items()
                            if _is_security(key, value)}
                      for cls in on_held_classes(ran + actions, PROTECTS)}

    def take_out(self):
        """Take out what the last run declared, where it is in force."""
        for action in self.declared:
            cls, *rest = action['args']
            name, permission_id = rest if len(rest) == 2 else ('', rest[0])
            if _in_force(cls, name) != _access(permission_id):
                continue  # the class's own code declared it otherwise
            if name + '__roles__' in vars(cls):
                delattr(cls, name + '__roles__')
            if PERMISSIONS in vars(cls):
                setattr(cls, PERMISSIONS, tuple(
                    (entry[0], tuple(n for n in entry[1] if n != name))
                    + tuple(entry[2:]) for entry in vars(cls)[PERMISSIONS]))

    def restore(self):
        for cls, saved in self.saved.items():
            for key, value in list(vars(cls).items()):
                if _is_security(key, value) and key not in saved:
                    delattr(cls, key)
            for key, value in saved.items():
                setattr(cls, key, value)
