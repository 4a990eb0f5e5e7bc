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


# The registry's own tables, and how one entry is registered again or
# taken out: (table, register(components, key, entry), unregister(...)).
# Utilities and adapters are dicts by key; subscribers and handlers are
# lists of tuples, each kept as it is (told apart by identity).
_KEYED = (
    ('_utility_registrations',
     lambda c, key, e: c.registerUtility(e[0], *key, e[1], event=False),
     lambda c, key, e: c.unregisterUtility(e[0], *key)),
    ('_adapter_registrations',
     lambda c, key, e: c.registerAdapter(e[0], *key, e[1], event=False),
     lambda c, key, e: c.unregisterAdapter(e[0], *key)),
)
_LISTED = (
    ('_subscription_registrations',
     lambda c, e: c.registerSubscriptionAdapter(e[3], e[0], e[1], e[2], e[4],
                                                event=False),
     lambda c, e: c.unregisterSubscriptionAdapter(e[3], e[0], e[1], e[2])),
    ('_handler_registrations',
     lambda c, e: c.registerHandler(e[2], e[0], e[1], e[3], event=False),
     lambda c, e: c.unregisterHandler(e[2], e[0], e[1])),
)


class Registrations:
    """A snapshot of the global registrations (cheap: copies of the
    registry's own tables, which hold every registration once); from
    then on, a rollback through `journal` puts them back as they were."""

    def __init__(self, journal, components=None):
        self.components = components or _global_components()
        if self.components is None:
            return
        self.keyed = {table: dict(getattr(self.components, table))
                      for table, _register, _unregister in _KEYED}
        self.listed = {table: list(getattr(self.components, table))
                       for table, _register, _unregister in _LISTED}
        journal.defer(_as_it_was, self)

    def put_back(self):
        """Register again what was taken out since the snapshot; how many
        registrations that was."""
        components, count = self.components, 0
        if components is None:
            return count
        for table, register, _unregister in _KEYED:
            now = getattr(components, table)
            for key, entry in self.keyed[table].items():
                if key not in now:
                    register(components, key, entry)
                    count += 1
        for table, register, _unregister in _LISTED:
            present = {id(entry) for entry in getattr(components, table)}
            for entry in self.listed[table]:
                if id(entry) not in present:
                    register(components, entry)
                    count += 1
        return count

    def take_out_the_new(self):
        """What the new code added, or registered in place of what was
        there, goes."""
        components = self.components
        for table, _register, unregister in _KEYED:
            before = self.keyed[table]
            for key, entry in list(getattr(components, table).items()):
                old = before.get(key)
                if old is None or old[0] is not entry[0]:
                    unregister(components, key, entry)
        for table, _register, unregister in _LISTED:
            kept = {id(entry) for entry in self.listed[table]}
            for entry in list(getattr(components, table)):
                if id(entry) not in kept:
                    unregister(components, entry)


def _as_it_was(before):
    """Rollback: what the new code added or replaced goes, and what it
    took out is there again."""
    before.take_out_the_new()
    before.put_back()
