"""Registries beyond Zope's own that a product's ``initialize()`` fills.

Running ``initialize()`` again must not trip over what its first run
registered, and a failed refresh must leave each registry as it was. A
registry is only touched when its package is already loaded: a site
without PAS or CMF imports neither because of a refresh.

- PAS: ``registerMultiPlugin`` refuses a meta type already in
  ``MultiPlugins`` (``RuntimeError: Meta-type (…) already available to
  Add List``); the product's own meta types are taken out first. The list
  is changed in place: other modules imported the list object itself.
- CMF skins: ``registerDirectory`` writes into ``_dirreg``; it gets a
  copy to write into, so rollback puts the old one back. Entries are not
  cleared first: packages also register directories through ZCML, which
  a refresh does not run again.
- GenericSetup: ``profile_registry.registerProfile`` refuses a profile id
  registered before with other details (``KeyError: Duplicate profile
  ID``), as when a refresh changed its title. While ``initialize()``
  runs, a profile of this product registered again replaces the old one,
  through the journal; profiles it does not register again (ZCML's) stay.
"""
import inspect
import sys


def _loaded(name):
    return sys.modules.get(name)


def _pas_plugins(journal, product_meta_types):
    pas = _loaded('Products.PluggableAuthService.PluggableAuthService')
    if pas is not None:
        plugins = pas.MultiPlugins
        journal.setitem(plugins, slice(None), [
            meta_type for meta_type in plugins
            if meta_type not in product_meta_types])


def _skin_directories(journal):
    views = _loaded('Products.CMFCore.DirectoryView')
    if views is not None:
        registry = views._dirreg
        journal.setattr(registry, '_directories',
                        dict(registry._directories))


class _Profile:
    """One id of GenericSetup's profile registry (kept in the global site
    manager, not in a dict), as an attribute the journal can set back."""

    def __init__(self, storage, profile_id):
        self.storage = storage
        self.profile_id = profile_id

    @property
    def info(self):
        return self.storage.get(self.profile_id)

    @info.setter
    def info(self, value):
        if value is not None:
            self.storage[self.profile_id] = value
        elif self.info is not None:
            del self.storage[self.profile_id]


def _profiles(journal, product_names):
    registry_module = _loaded('Products.GenericSetup.registry')
    if registry_module is None:
        return
    registry = registry_module._profile_registry
    register = type(registry).registerProfile
    signature = inspect.signature(register)

    def register_again(*args, **kw):
        given = signature.bind(registry, *args, **kw).arguments
        profile = _Profile(registry._registered, registry._computeProfileId(
            given['name'], given.get('product')))
        old = profile.info
        own = old is not None and old.get('product') in product_names
        # Rollback puts back what was there, or takes the new one out.
        journal.assign(profile, 'info', None if own else old)
        return register(registry, *args, **kw)

    journal.setattr(registry, 'registerProfile', register_again)


def prepare(journal, package, product_id, meta_types):
    """Ready the registries for `package`'s ``initialize()`` to run again;
    `meta_types` are the names its previous run registered."""
    _pas_plugins(journal, set(meta_types))
    _skin_directories(journal)
    _profiles(journal, {package, product_id})


def finish(journal):
    """Take back what `prepare` put in place only for ``initialize()``."""
    registry_module = _loaded('Products.GenericSetup.registry')
    if registry_module is not None:
        journal.delattr(registry_module._profile_registry, 'registerProfile')
