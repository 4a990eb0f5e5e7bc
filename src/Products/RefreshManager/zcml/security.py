"""Class security that a view directive, read again, must not copy.

Five's ``browser:view`` (and directives built like it) makes a new class
for the view and copies into it the security its class has when the ZCML
is read. At Zope's start that class has only the security its Python
code declared; read again, it also has what the site's ``class``
directives gave it. Applied to the new class, those copies meet the
view's own declarations: Zope logs "Conflicting security declarations"
and the copied permission wins over the view's (Plone's portlet adding
view for a user's own portlets would ask for Manage portlets). The new
class inherits its base's security anyway: the copies go before the
actions run.
"""
import sys

from .actions import by_callable


INITIALIZE = 'AccessControl.class_init.InitializeClass'


def _made_by_directive(cls):
    """A class a directive made (not one its module defines)."""
    module = sys.modules.get(getattr(cls, '__module__', None))
    return getattr(module, getattr(cls, '__name__', ''), None) is not cls


def drop_copied_security(actions):
    for action in by_callable(actions).get(INITIALIZE, ()):
        cls = action['args'][0] if action.get('args') else None
        if not isinstance(cls, type) or not _made_by_directive(cls):
            continue
        own = vars(cls)
        for key in [key for key in own if key == '__ac_permissions__'
                    or key.endswith('__roles__')]:
            if any(vars(base).get(key) is own[key] for base in cls.__bases__):
                delattr(cls, key)
