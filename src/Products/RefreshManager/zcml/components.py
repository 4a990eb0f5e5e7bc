"""The global component registry as a package's ZCML found it.

`RegistrySnapshot` keeps the registry's four kinds of registrations as
they were, takes out those a package's directives made (told by the
directive's place in ``info``) and, on failure, makes the registry what
it was: what the failed attempt added goes, what was taken out comes
back.
"""
import inspect
from collections import Counter


class RegistrySnapshot:

    def __init__(self, registry):
        self.registry = registry
        self.utilities = dict(registry._utility_registrations)
        self.adapters = dict(registry._adapter_registrations)
        self.subscriptions = list(registry._subscription_registrations)
        self.handlers = list(registry._handler_registrations)

    def unregister_from(self, ours):
        """Unregister the registrations whose ``info`` is `ours`."""
        registry = self.registry
        for (provided, name), (component, info, _f) in self.utilities.items():
            if ours(info):
                registry.unregisterUtility(component, provided, name)
        for (required, provided, name), (factory, info) in \
                self.adapters.items():
            if ours(info):
                registry.unregisterAdapter(factory, required, provided, name)
        for required, provided, _name, factory, info in self.subscriptions:
            if ours(info):
                registry.unregisterSubscriptionAdapter(
                    factory, required, provided)
        for required, _name, factory, info in self.handlers:
            if ours(info):
                registry.unregisterHandler(factory, required)

    def unregister_placeless(self, registrations):
        """Unregister what the (method, arguments) of `actions.placeless`
        registered, where it is still what is registered: each
        ``registerX`` is undone by ``unregisterX`` with the arguments
        that one takes."""
        for method, given in registrations:
            unregister = getattr(self.registry, 'un' + method)
            takes = inspect.signature(unregister).parameters
            unregister(**{key: value for key, value in given.items()
                          if key in takes})

    def keep_winners(self, ours):
        """Settle the keys where the package's ZCML, run again alone,
        replaced another package's registration, as a restart would: an
        ``overrides.zcml`` wins (the other's is put back, or the new one
        stays); anything else is the conflict a restart reports. Returns
        the conflicts as (the new registration's place, the other's)."""
        registry, conflicts = self.registry, []
        for key, before in self.utilities.items():
            now = registry._utility_registrations.get(key)
            if now is None or now == before:
                continue
            component, info, _f = before
            if not ours(info) and ours(now[1]):
                if _overrides(info):
                    registry.registerUtility(component, *key, info=info,
                                             event=False)
                elif not _overrides(now[1]):
                    conflicts.append((now[1], info))
        for key, before in self.adapters.items():
            now = registry._adapter_registrations.get(key)
            if now is None or now == before:
                continue
            factory, info = before
            if not ours(info) and ours(now[1]):
                if _overrides(info):
                    registry.registerAdapter(factory, *key, info=info,
                                             event=False)
                elif not _overrides(now[1]):
                    conflicts.append((now[1], info))
        return conflicts

    def replaced(self):
        """The components and factories of the snapshot that are no
        longer registered under their key."""
        registry = self.registry
        return [value[0] for key, value in self.utilities.items()
                if registry._utility_registrations.get(key) != value] + [
            value[0] for key, value in self.adapters.items()
            if registry._adapter_registrations.get(key) != value]

    def count_new(self, against=None):
        """Registrations made since the snapshot (or that `against`, an
        earlier snapshot, has and this one has not)."""
        now = against or RegistrySnapshot(self.registry)
        return (
            sum(1 for key, value in now.utilities.items()
                if self.utilities.get(key) != value)
            + sum(1 for key, value in now.adapters.items()
                  if self.adapters.get(key) != value)
            + len(_added(self.subscriptions, now.subscriptions))
            + len(_added(self.handlers, now.handlers)))

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


def _overrides(info):
    """Made by an ``overrides.zcml``, as Zope and plone.autoinclude load
    every package's overrides."""
    return str(getattr(info, 'file', '')).endswith('overrides.zcml')


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


