"""What each package's ZCML filed without its place when Zope started.

A reload finds most of what a package's ZCML made by the directive's
place the registration carries. The entries some directives file
without one (a z3c.caching rule, a TALES expression type, a skin
directory, a ``plone:static`` resource, a ``mail:smtpMailer``) are found
by the arguments of the actions that made them, and what ``class``
directives declared is compared with what the edited ZCML declares
(`declarations`); Zope keeps no action once its configuration has run.
The ``refreshmanager:startup`` directive (in this product's
configure.zcml) leaves an action that runs last, when the configuration
machine still holds every action of the start: those the first reload of
each package will need are kept, about a thousand references in a Plone
site.
"""
from .actions import KEPT
from .actions import callable_name
from .actions import placeless
from .declarations import on_held_classes


LAST = 2 ** 62  # after every action of the site, whatever its order
STARTED = []  # (the file of its directive, action)


def startup(_context):
    _context.action(discriminator=('refreshmanager:startup',),
                    callable=remember, args=(_context.actions,), order=LAST)


def remember(actions):
    """Keep the start's actions found by their arguments (once: a reload
    of this product's ZCML runs this again on its own actions only)."""
    if STARTED:
        return
    declaring = {id(action) for found in on_held_classes(actions).values()
                 for action in found}
    STARTED.extend(
        (getattr(action.get('info'), 'file', None), action)
        for action in actions
        if callable_name(action) in KEPT or placeless([action])
        or id(action) in declaring)


def started_in(folder):
    """The kept actions of the files below `folder`."""
    prefix = folder.rstrip('/') + '/'
    return [action for path, action in STARTED
            if isinstance(path, str) and path.startswith(prefix)]
