"""What directives fill outside the component registry, or without their
place: kept as it was, the package's entries taken out before its ZCML
runs again, everything put back after a failure.

The entries a package's ZCML made are found by the arguments of the
actions it ran (those of its last reload, and the new ones).

These are the registries of the callables `actions.KEPT` names. A
registry that refuses an entry it has (a TALES expression type) or keeps
a second one (Zope's meta types, GenericSetup's profiles, z3c.caching's
rules, which warns) has the entries the new actions will make taken out
first, found by the actions' own arguments; one that replaces an entry
under its key (skin directories) is only kept for a rollback; import
steps and distributions are utilities, replaced under their key too. A registry is looked at only when its package is
loaded: a site without CMF or Plone imports neither because of a reload.
The component registry's own registrations come back with the
`components.RegistrySnapshot` taken beside this.
"""
import os
import sys

import Products
from OFS import metaconfigure
from zope.component import getGlobalSiteManager
from zope.i18n.interfaces import ITranslationDomain

from ..meta_types import in_their_places
from .actions import by_callable


def _loaded(name):
    return sys.modules.get(name)


def _argument(actions, name, index):
    """The argument at `index` of the actions (`by_callable`) calling
    `name`."""
    return [action['args'][index] for action in actions.get(name, ())
            if len(action.get('args', ())) > index]


class DirectiveRegistries:
    """The registries' state for the package `package` in `folder` (every
    package's, for None: the whole site configuration runs again)."""

    def __init__(self, package, folder):
        self.package, self.folder = package, folder
        self.registered = list(metaconfigure.get_registered_packages())
        self.to_initialize = list(metaconfigure.get_packages_to_initialize())
        self.meta_types = Products.meta_types
        self.lists = [(found, list(found)) for found in _class_lists()]
        self.dicts = [(found, dict(found)) for found in _keyed_dicts()]
        self.domains = [(domain, dict(domain._data),
                         {key: list(ids) for key, ids in
                          domain._catalogs.items()})
                        for domain in _translation_domains()]

    def _ours(self, name):
        """Of the package (or one of its subpackages)."""
        return self.package is None or name == self.package or \
            str(name).startswith(self.package + '.')

    def _own_meta_type(self, info, names):
        """Registered by ZCML (``five:registerClass``) for a class of the
        package, or under a name the new ZCML registers."""
        module = getattr(info.get('instance'), '__module__', None) or ''
        return info.get('product') == 'OFS' and (
            info['name'] in names or self.package is None
            or (module + '.').startswith(self.package + '.'))

    def forget(self, actions):
        """Take out the package's entries and those the new `actions`
        make, so each is made once."""
        actions = by_callable(actions)
        registered = metaconfigure.get_registered_packages()
        registered[:] = [module for module in registered
                         if not self._ours(module.__name__)]
        names = set(_argument(actions, 'OFS.metaconfigure._registerClass',
                              1))
        Products.meta_types = tuple(
            info for info in Products.meta_types
            if not self._own_meta_type(info, names))
        self._forget_profiles()
        self._forget_cache_rules(actions)
        for engine in _expression_engines():
            for name in _argument(
                    actions, 'zope.browserpage.metaconfigure.registerType', 0):
                engine.types.pop(name, None)
        skins = _loaded('Products.CMFCore.DirectoryView')
        if skins is not None:
            directories = skins._dirreg._directories
            for key in _argument(actions, 'Products.CMFCore.DirectoryView.'
                                 'DirectoryRegistry.registerDirectoryByKey', 1):
                for known in list(directories):
                    if known == key or known.startswith(key + '/'):
                        del directories[known]
        for domain, _data, _catalogs in self.domains:
            ours = [key for key in domain._data
                    if self.folder is None
                    or str(key).startswith(self.folder + os.sep)]
            for key in ours:
                del domain._data[key]
            for ids in domain._catalogs.values():
                ids[:] = [key for key in ids if key not in ours]

    def _forget_profiles(self):
        interfaces = _loaded('Products.GenericSetup.interfaces')
        if interfaces is None:
            return
        registry = getGlobalSiteManager()
        for (provided, name), (component, _i, _f) in list(
                registry._utility_registrations.items()):
            if provided is interfaces.IProfile and \
                    self._ours(component.get('product')):
                registry.unregisterUtility(component, provided, name)
            elif provided is interfaces.IUpgradeSteps and \
                    self._ours(name.partition(':')[0]):
                registry.unregisterUtility(component, provided, name)

    def _forget_cache_rules(self, actions):
        """z3c.caching files its rules and ruleset types without their
        place, and warns about a second rule (keeping the first)."""
        caching = _loaded('z3c.caching.registry')
        if caching is None:
            return
        registry = getGlobalSiteManager()
        for ruled in _argument(actions, 'z3c.caching.zcml.register', 0):
            registry.unregisterAdapter(provided=caching.ICacheRule,
                                       required=(ruled,))
        for name in _argument(actions, 'z3c.caching.zcml.declareType', 0):
            registry.unregisterUtility(provided=caching.IRulesetType,
                                       name=name)

    def settle(self, replaced):
        """Zope initializes registered packages once, at start-up (a
        refresh runs the package's initialize itself); a meta type keeps
        its place in the Add list; the lists of classes directives append
        to and each domain's catalogs list an entry once; the templates
        of the `replaced` view classes go from z3c.jbot's cache."""
        _forget_templates(replaced)
        metaconfigure.get_packages_to_initialize()[:] = self.to_initialize
        Products.meta_types = in_their_places(
            self.meta_types, Products.meta_types,
            lambda info: self._own_meta_type(info, ()))
        for found, _before in self.lists:
            found[:] = list(dict.fromkeys(found))
        for domain in _translation_domains():
            for ids in domain._catalogs.values():
                ids[:] = list(dict.fromkeys(ids))

    def restore(self):
        metaconfigure.get_registered_packages()[:] = self.registered
        metaconfigure.get_packages_to_initialize()[:] = self.to_initialize
        Products.meta_types = self.meta_types
        for found, before in self.lists:
            found[:] = before
        for found, before in self.dicts:
            found.clear()
            found.update(before)
        for domain, data, catalogs in self.domains:
            domain._data.clear()
            domain._data.update(data)
            domain._catalogs.clear()
            domain._catalogs.update(catalogs)


def _forget_templates(replaced):
    """z3c.jbot keeps every page template it was asked for, by the
    template object, for good: without this, the templates of the view
    classes each reload replaces would stay (megabytes a reload)."""
    jbot = _loaded('z3c.jbot.patches')
    if jbot is None:
        return
    gone = {id(value) for factory in replaced
            for value in getattr(factory, '__dict__', {}).values()}
    for key in [key for key in jbot.registry if id(key[1]) in gone]:
        del jbot.registry[key]


def _class_lists():
    """The lists of classes ``five:registerClass`` and
    ``five:deprecatedManageAddDelete`` append to."""
    return [metaconfigure._register_monkies, metaconfigure._meta_type_regs,
            metaconfigure.deprecatedManageAddDeleteClasses]


def _keyed_dicts():
    """The registries that replace an entry under its key: restored as a
    whole after a failure."""
    found = [engine.types for engine in _expression_engines()]
    skins = _loaded('Products.CMFCore.DirectoryView')
    if skins is not None:
        found.append(skins._dirreg._directories)
    return found


def _expression_engines():
    """zope.browserpage's TALES engines, which refuse a type they know."""
    pages = _loaded('zope.browserpage.metaconfigure')
    return [] if pages is None else [pages.Engine, pages.TrustedEngine]


def _translation_domains():
    """The translation domains whose catalogs can be told apart."""
    return [domain for _name, domain
            in getGlobalSiteManager().getUtilitiesFor(ITranslationDomain)
            if hasattr(domain, '_catalogs')]
