"""What a package's ZCML fills, taken out and put back.

`RegistrySnapshot` keeps the global component registry's four kinds of
registrations as they were, takes out those a package's directives made
(told by the directive's place in ``info``) and, on failure, makes the
registry what it was: what the failed attempt added goes, what was taken
out comes back. `DirectiveRegistries` does the same for the registries
outside the component registry that directives append to and that would
otherwise hold the package twice after a reload.
"""
import os
from collections import Counter

from OFS import metaconfigure
from zope.component import getGlobalSiteManager


try:
    from Products.GenericSetup.interfaces import IProfile
    from Products.GenericSetup.interfaces import IUpgradeSteps
except ImportError:  # GenericSetup is not installed: no profiles
    IProfile = IUpgradeSteps = None
from zope.i18n.interfaces import ITranslationDomain


class RegistrySnapshot:

    def __init__(self, registry):
        self.registry = registry
        self.utilities = dict(registry._utility_registrations)
        self.adapters = dict(registry._adapter_registrations)
        self.subscriptions = list(registry._subscription_registrations)
        self.handlers = list(registry._handler_registrations)

    def unregister_from(self, ours):
        """Unregister the registrations whose ``info`` is `ours`; how many."""
        registry, count = self.registry, 0
        for (provided, name), (component, info, _f) in self.utilities.items():
            if ours(info):
                registry.unregisterUtility(component, provided, name)
                count += 1
        for (required, provided, name), (factory, info) in \
                self.adapters.items():
            if ours(info):
                registry.unregisterAdapter(factory, required, provided, name)
                count += 1
        for required, provided, _name, factory, info in self.subscriptions:
            if ours(info):
                registry.unregisterSubscriptionAdapter(
                    factory, required, provided)
                count += 1
        for required, _name, factory, info in self.handlers:
            if ours(info):
                registry.unregisterHandler(factory, required)
                count += 1
        return count

    def count_new(self):
        """Registrations made since the snapshot."""
        registry = self.registry
        return (
            sum(1 for key, value in registry._utility_registrations.items()
                if self.utilities.get(key) != value)
            + sum(1 for key, value in registry._adapter_registrations.items()
                  if self.adapters.get(key) != value)
            + len(_added(self.subscriptions,
                         registry._subscription_registrations))
            + len(_added(self.handlers, registry._handler_registrations)))

    def restore(self):
        """Make the registry's registrations those of the snapshot."""
        registry = self.registry
        for key, value in list(registry._utility_registrations.items()):
            if self.utilities.get(key) != value:
                registry.unregisterUtility(value[0], *key)
        for key, (component, info, _f) in self.utilities.items():
            if registry._utility_registrations.get(key) is None:
                registry.registerUtility(component, *key, info=info,
                                         event=False)
        for key, value in list(registry._adapter_registrations.items()):
            if self.adapters.get(key) != value:
                registry.unregisterAdapter(value[0], *key)
        for key, (factory, info) in self.adapters.items():
            if registry._adapter_registrations.get(key) is None:
                registry.registerAdapter(factory, *key, info=info,
                                         event=False)
        current = registry._subscription_registrations
        for required, provided, _n, factory, _i in _added(self.subscriptions,
                                                           current):
            registry.unregisterSubscriptionAdapter(factory, required,
                                                   provided)
        for required, provided, name, factory, info in _added(
                current, self.subscriptions):
            registry.registerSubscriptionAdapter(factory, required, provided,
                                                 name, info, event=False)
        current = registry._handler_registrations
        for required, _name, factory, _info in _added(self.handlers,
                                                       current):
            registry.unregisterHandler(factory, required)
        for required, name, factory, info in _added(current, self.handlers):
            registry.registerHandler(factory, required, name, info,
                                     event=False)


def _added(before, after):
    """The entries of the list `after` that are not in `before`. Entries
    are tuples that unregistering rebuilds, of the same objects: compared
    by the identity of those, as a multiset."""
    left = Counter(tuple(map(id, entry)) for entry in before)
    found = []
    for entry in after:
        key = tuple(map(id, entry))
        if left[key]:
            left[key] -= 1
        else:
            found.append(entry)
    return found


class DirectiveRegistries:
    """What directives fill outside the component registry, or without
    their place, for one package: Zope's ``five:registerPackage`` lists;
    GenericSetup's profiles and upgrade steps (utilities that refuse, or
    append to, a second registration); the message catalogs
    ``i18n:registerTranslations`` adds to translation domains. `forget`
    takes the package's (every package's, for package None) out before
    its ZCML runs again, `restore` puts everything back after a failure;
    the utilities themselves come back with the `RegistrySnapshot` taken
    before."""

    def __init__(self, package, folder):
        self.package, self.folder = package, folder
        self.registered = list(metaconfigure.get_registered_packages())
        self.to_initialize = list(metaconfigure.get_packages_to_initialize())
        self.domains = [(domain, dict(domain._data),
                         {key: list(ids) for key, ids in
                          domain._catalogs.items()})
                        for domain in _translation_domains()]

    def _ours(self, package_name):
        return self.package is None or package_name == self.package

    def forget(self):
        """Drop the package's, so its directives register them once."""
        registered = metaconfigure.get_registered_packages()
        registered[:] = [module for module in registered
                         if not self._ours(module.__name__)]
        registry = getGlobalSiteManager()
        for (provided, name), (component, _i, _f) in list(
                registry._utility_registrations.items()):
            if IProfile is not None and provided is IProfile and \
                    self._ours(component.get('product')):
                registry.unregisterUtility(component, IProfile, name)
            elif IProfile is not None and provided is IUpgradeSteps and \
                    self._ours(name.partition(':')[0]):
                registry.unregisterUtility(component, IUpgradeSteps, name)
        for domain, _data, _catalogs in self.domains:
            ours = [key for key in domain._data
                    if self.folder is None
                    or str(key).startswith(self.folder + os.sep)]
            for key in ours:
                del domain._data[key]
            for ids in domain._catalogs.values():
                ids[:] = [key for key in ids if key not in ours]

    def settle(self):
        """Zope initializes registered packages once, at start-up (a
        refresh runs the package's initialize itself); each domain lists
        a catalog once (every registration adds the domain's test catalog
        again)."""
        metaconfigure.get_packages_to_initialize()[:] = self.to_initialize
        for domain in _translation_domains():
            for ids in domain._catalogs.values():
                ids[:] = list(dict.fromkeys(ids))

    def restore(self):
        metaconfigure.get_registered_packages()[:] = self.registered
        metaconfigure.get_packages_to_initialize()[:] = self.to_initialize
        for domain, data, catalogs in self.domains:
            domain._data.clear()
            domain._data.update(data)
            domain._catalogs.clear()
            domain._catalogs.update(catalogs)


def _translation_domains():
    """The translation domains whose catalogs can be told apart."""
    return [registration.component for registration
            in getGlobalSiteManager().registeredUtilities()
            if registration.provided is ITranslationDomain
            and hasattr(registration.component, '_catalogs')]
