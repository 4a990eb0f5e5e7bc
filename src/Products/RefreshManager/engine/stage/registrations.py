"""The global component registrations, as they were before the new code
ran, put back: what a module's top level takes out of the registry
comes back, what it adds stays ("as it was, plus the new").

Running a module again is not a fresh start for the rest of the process.
Products.GenericSetup's ``registry`` module makes its registries at its
top level, and making one clears the utilities it stands for: every
profile and import step the site's ZCML registered (195 in Plone) would
be gone after a refresh that ran it again. A fresh Zope runs that module
and then the ZCML that fills the registry; a refresh runs only the
module. So each registration the new code removed or replaced is
registered again (a replaced one keeps the new code's component), and a
rollback also takes out what the new code added.

zope.interface's registry (``zope.component``'s global site manager) is
used when it is there; the engine needs neither.
"""


def _global_components():
    try:
        from zope.component import getGlobalSiteManager
    except ImportError:
        return None
    return getGlobalSiteManager()


class Registrations:
    """A snapshot of the global registrations (cheap: copies of the
    registry's own tables, which hold every registration once); from
    then on, a rollback through `journal` puts them back as they were."""

    def __init__(self, journal, components=None):
        self.components = components or _global_components()
        if self.components is None:
            return
        self.utilities = dict(self.components._utility_registrations)
        self.adapters = dict(self.components._adapter_registrations)
        self.subscribers = list(self.components._subscription_registrations)
        self.handlers = list(self.components._handler_registrations)
        journal.defer(_as_it_was, self)

    def put_back(self):
        """Register again what was taken out since the snapshot; how many
        registrations that was."""
        if self.components is None:
            return 0
        return (self._utilities() + self._adapters() + self._subscribers()
                + self._handlers())

    def _utilities(self):
        components, count = self.components, 0
        now = components._utility_registrations
        for (provided, name), entry in self.utilities.items():
            if (provided, name) not in now:
                components.registerUtility(entry[0], provided, name,
                                           entry[1], event=False)
                count += 1
        return count

    def _adapters(self):
        components, count = self.components, 0
        now = components._adapter_registrations
        for (required, provided, name), entry in self.adapters.items():
            if (required, provided, name) not in now:
                components.registerAdapter(entry[0], required, provided,
                                           name, entry[1], event=False)
                count += 1
        return count

    def _subscribers(self):
        components, count = self.components, 0
        present = {id(entry) for entry in
                   components._subscription_registrations}
        for entry in self.subscribers:
            if id(entry) not in present:
                required, provided, name, factory, info = entry
                components.registerSubscriptionAdapter(
                    factory, required, provided, name, info, event=False)
                count += 1
        return count

    def _handlers(self):
        components, count = self.components, 0
        present = {id(entry) for entry in components._handler_registrations}
        for entry in self.handlers:
            if id(entry) not in present:
                required, name, factory, info = entry
                components.registerHandler(factory, required, name, info,
                                           event=False)
                count += 1
        return count

    def _take_out_the_new(self):
        components = self.components
        for key, entry in list(components._utility_registrations.items()):
            old = self.utilities.get(key)
            if old is None or old[0] is not entry[0]:
                components.unregisterUtility(entry[0], *key)
        for key, entry in list(components._adapter_registrations.items()):
            old = self.adapters.get(key)
            if old is None or old[0] is not entry[0]:
                components.unregisterAdapter(entry[0], *key)
        kept = {id(entry) for entry in self.subscribers}
        for entry in list(components._subscription_registrations):
            if id(entry) not in kept:
                required, provided, name, factory, _info = entry
                components.unregisterSubscriptionAdapter(
                    factory, required, provided, name)
        kept = {id(entry) for entry in self.handlers}
        for entry in list(components._handler_registrations):
            if id(entry) not in kept:
                required, name, factory, _info = entry
                components.unregisterHandler(factory, required, name)


def _as_it_was(before):
    """Rollback: what the new code added or replaced goes, and what it
    took out is there again."""
    before._take_out_the_new()
    before.put_back()
