"""What ``class`` directives declare on a package's own classes.

``<implements>`` adds to what the class implements and ``<require>`` /
``<allow>`` give its names roles, on the class itself, which a reload
keeps. Their security can be set anew (`security`); an interface cannot
be taken back: zope.interface cannot tell the one a directive declared
from one the class's own code declared. A reload whose edited ZCML no
longer declares an interface a class still implements would leave the
site unlike its files: it is refused, with the class and the place,
before anything changes, and a restart loads it.

Only classes a module holds under their name count: a view class that
``browser:page`` makes, or one a refresh replaced, goes with its
declarations.
"""
import sys

from zope.interface import implementedBy

from .actions import callable_name
from .directives import place


IMPLEMENTS = 'zope.interface.declarations.classImplements'
PROTECTS = {'AccessControl.security.protectName',
            'AccessControl.security.protectClass'}
DECLARING = PROTECTS | {IMPLEMENTS}


def held(cls):
    """Whether `cls` is what its module holds under its name."""
    found = sys.modules.get(getattr(cls, '__module__', None))
    for name in getattr(cls, '__qualname__', '').split('.'):
        found = getattr(found, name, None)
    return found is cls


def on_held_classes(actions, names=DECLARING):
    """{class: [actions]}: those of `actions` that call one of `names` on
    a class its module holds (a reload's actions name a few hundred
    classes, most of them made by a directive: each is looked up once)."""
    by_class = {}
    for action in actions:
        if callable_name(action) in names and action.get('args'):
            by_class.setdefault(action['args'][0], []).append(action)
    return {cls: found for cls, found in by_class.items() if held(cls)}


def _implemented(actions):
    """{(class, interface): action} for what `actions` declare
    implemented by held classes."""
    found = {}
    for cls, declaring in on_held_classes(actions, {IMPLEMENTS}).items():
        for action in declaring:
            for interface in action['args'][1:]:
                found.setdefault((cls, interface), action)
    return found


def taken_back(before, after):
    """The interfaces the actions `before` declared implemented by a class
    that the actions `after` no longer declare and the class still
    implements: a description of each, with the place it was declared."""
    now = _implemented(after)
    return [f'{cls.__module__}.{cls.__qualname__} keeps implementing '
            f'{interface.__identifier__} (declared at '
            f'{place(action.get("info"))} before the edit)'
            for (cls, interface), action in _implemented(before).items()
            if (cls, interface) not in now
            and interface in implementedBy(cls).declared]
