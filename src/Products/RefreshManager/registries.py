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
  ID``), as when a refresh changed its description. While
  ``initialize()`` runs, a profile of this product registered again
  replaces the old one; ZCML-registered profiles stay.
"""
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


def _profiles(journal, product_names):
    registry_module = _loaded('Products.GenericSetup.registry')
    if registry_module is None:
        return
    registry = registry_module._profile_registry
    registered = dict(registry._registered)
    journal.setattr(registry, '_registered', registered)
    register = type(registry).registerProfile

    def register_again(name, *args, product=None, **kw):
        profile_id = registry._computeProfileId(name, product)
        info = registered.get(profile_id)
        if info is not None and info.get('product') in product_names:
            del registered[profile_id]
        return register(registry, name, *args, product=product, **kw)

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
