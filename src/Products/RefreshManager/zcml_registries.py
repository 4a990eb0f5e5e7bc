"""What a package's ZCML fills, taken out and put back.

`RegistrySnapshot` keeps the global component registry's four kinds of
registrations as they were, takes out those a package's directives made
(told by the directive's place in ``info``) and, on failure, makes the
registry what it was: what the failed attempt added goes, what was taken
out comes back. `DirectiveRegistries` does the same for the registries
outside the component registry that directives append to and that would
otherwise hold the package twice after a reload.
"""
from collections import Counter

from OFS import metaconfigure
from zope.component import getGlobalSiteManager


try:
    from Products.GenericSetup.interfaces import IProfile
except ImportError:  # GenericSetup is not installed: no profiles
    IProfile = None


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
    """Zope's ``five:registerPackage`` lists, and GenericSetup's profiles
    (utilities without the directive's place, which refuses a profile id
    registered twice), for one package. The profiles come back with the
    `RegistrySnapshot` taken before."""

    def __init__(self, package):
        self.package = package
        self.registered = list(metaconfigure.get_registered_packages())
        self.to_initialize = list(metaconfigure.get_packages_to_initialize())

    def forget(self):
        """Drop the package, so its directive registers it once again."""
        registered = metaconfigure.get_registered_packages()
        registered[:] = [module for module in registered
                         if module.__name__ != self.package]
        if IProfile is not None:
            registry = getGlobalSiteManager()
            for (provided, name), (profile, _i, _f) in list(
                    registry._utility_registrations.items()):
                if provided is IProfile and \
                        profile.get('product') == self.package:
                    registry.unregisterUtility(profile, IProfile, name)

    def settle(self):
        """Zope initializes registered packages once, at start-up; a
        refresh runs the package's initialize itself."""
        metaconfigure.get_packages_to_initialize()[:] = self.to_initialize

    def restore(self):
        metaconfigure.get_registered_packages()[:] = self.registered
        metaconfigure.get_packages_to_initialize()[:] = self.to_initialize
