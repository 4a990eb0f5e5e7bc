"""What a package's ZCML does, told by what its actions call.

A ZCML directive does its work through the actions it leaves for the
configuration machine: each one a callable with its arguments. Most
directives of the ecosystem, old and new, register components with
``zope.component.zcml.handler``, which files every registration under
the directive's place, so a reload can find it again and take it out.
A directive is therefore judged by its actions, not by its name: one
that appears tomorrow and only registers components is scoped the day
it appears, and one whose action calls something nobody read makes the
whole site configuration run again (see `reload`).

Each callable below was read. `REGISTERS` files registrations under
their place. `AGAIN` sets the same thing again when run again, or only
checks; what ``class`` directives set on a package's own classes is
looked after apart (`security` sets their security anew, `declarations`
refuses an interface taken out).
`KEPT` fills a registry that `registries` takes the package's entries
out of and puts back. `PATCHES` patches code: run a second time, by any
reload, it patches the patched code.
"""
import functools
import inspect
import weakref
from dataclasses import dataclass
from dataclasses import field

from zope.component import getGlobalSiteManager

from .directives import directive_at


REGISTERS = {'zope.component.zcml.handler'}
AGAIN = {
    'zope.component.interface.provideInterface',
    'zope.security.permission.checkPermission',
    'zope.interface.declarations.classImplements',
    'AccessControl.security.protectName',
    'AccessControl.security.protectClass',
    'AccessControl.class_init.InitializeClass',
    'zope.browsermenu.metaconfigure._checkViewFor',
    # this product's own: keeps the start's actions, once
    'Products.RefreshManager.zcml.startup.remember',
}
KEPT = {
    'OFS.metaconfigure._registerPackage',
    'OFS.metaconfigure._registerClass',
    'OFS.metaconfigure.setDeprecatedManageAddDelete',
    'zope.i18n.zcml.handler',
    'Products.GenericSetup.registry.ProfileRegistry.registerProfile',
    'Products.GenericSetup.registry.ImportStepRegistry.registerStep',
    'Products.GenericSetup.registry.ExportStepRegistry.registerStep',
    'Products.GenericSetup.upgrade._registerUpgradeStep',
    'Products.GenericSetup.upgrade._registerNestedUpgradeStep',
    'Products.CMFCore.DirectoryView.DirectoryRegistry.registerDirectoryByKey',
    'z3c.caching.zcml.register',
    'z3c.caching.zcml.declareType',
    'zope.browserpage.metaconfigure.registerType',
    'plone.distribution.registry.DistributionRegistry.register',
}
PATCHES = {'collective.monkeypatcher.meta._do_patch'}
UNDOABLE = REGISTERS | AGAIN | KEPT


def callable_name(action):
    """The dotted name of what the action calls ('' for none)."""
    function = action.get('callable')
    if function is None:
        return ''
    function = getattr(function, '__func__', function)  # a bound method
    try:
        return _NAMES[function]
    except (KeyError, TypeError):  # not named yet, or not hashable
        pass
    module = getattr(function, '__module__', None)
    qualname = getattr(function, '__qualname__', None)
    if module is None or qualname is None:
        kind = type(function)
        module, qualname = kind.__module__, kind.__qualname__
    name = f'{module}.{qualname}'
    try:
        _NAMES[function] = name
    except TypeError:
        pass
    return name


# Names of the callables met so far: a package's reload reads thousands
# of actions, of a few dozen callables.
_NAMES = weakref.WeakKeyDictionary()


def by_callable(actions):
    """{callable name: [its actions]}."""
    found = {}
    for action in actions:
        found.setdefault(callable_name(action), []).append(action)
    return found


def _placeless(action):
    """(method, bound arguments) of an action that calls zope.component's
    handler to register without the directive's place, else None."""
    if callable_name(action) != 'zope.component.zcml.handler' or \
            not action.get('args'):
        return None
    method, *args = action['args']
    try:
        signature = _signature(method)
        given = signature.bind(*args, **action.get('kw', {}))
    except (AttributeError, TypeError):
        return None
    if 'info' not in signature.parameters or given.arguments.get('info'):
        return None
    return method, given


def with_place(action):
    """The action, registering under its directive's place when it calls
    zope.component's handler without one (as ``mail:smtpMailer`` and
    ``plone:static`` do), so the next reload finds what it made."""
    found = _placeless(action)
    if found is None:
        return action
    method, given = found
    given.arguments['info'] = action.get('info')
    return dict(action, args=(method, *given.args), kw=given.kwargs)


def placeless(actions):
    """(method, arguments) of what `actions` registered without their
    place: a reload takes those out by their arguments."""
    return [(found[0], found[1].arguments) for found in map(_placeless,
                                                            actions)
            if found is not None]


@functools.lru_cache(maxsize=16)
def _signature(method):
    return inspect.signature(getattr(getGlobalSiteManager(), method))


@dataclass
class Verdict:
    """The directives (`directives.Directive`) whose actions patch code,
    and those whose actions a reload of the package cannot undo, each
    with the callables that made it so."""
    patches: dict = field(default_factory=dict)
    not_undoable: dict = field(default_factory=dict)

    @property
    def scoped(self):
        return not self.patches and not self.not_undoable


def judge(actions):
    """The `Verdict` on the actions a package's ZCML produced."""
    verdict = Verdict()
    for action in actions:
        name = callable_name(action)
        if not name or name in UNDOABLE:
            continue
        found = verdict.patches if name in PATCHES else verdict.not_undoable
        found.setdefault(directive_at(action.get('info')), set()).add(name)
    return verdict
