"""Register a refreshed product with Zope again.

Zope 2 re-ran the product's ``initialize(context)`` after re-importing
it; so do we, as the engine's after-load hook, after taking the product's
old meta types out. Everything ``initialize()`` commonly touches is put
in the journal first, so a failure puts the old registrations back: the
Add menu never loses a product because a refresh failed. Registries of
PAS, CMF and GenericSetup are readied in `registries`.
"""
import os

import Products
from App import FactoryDispatcher
from App.ApplicationManager import ApplicationManager
from App.ProductContext import ProductContext
from OFS.Application import Application
from OFS.metaconfigure import get_registered_packages
from OFS.misc_ import Misc_
from OFS.ObjectManager import ObjectManager

from . import registries
from .products import product_id
from .meta_types import in_their_places
from .zcml.reload import PackageZCML


def _registries():
    # The `Products` namespace holds meta_types; ObjectManager gets
    # legacy constructors; misc_ holds product resources; Control_Panel
    # gets sub-objects from products like this one.
    return (Products, ObjectManager, Application.misc_, ApplicationManager)


def reinitializer(app, zcml=(), zcml_reports=None):
    """The engine's after-load hook for products of `app`; the packages in
    `zcml` get their ZCML reloaded first (as at start-up, where Zope loads
    the configuration before initializing products), with a report each
    in `zcml_reports`."""

    def reinitialize(package, module, journal):
        if package in zcml:
            configuration = PackageZCML(
                package, module, os.path.dirname(module.__file__))
            journal.defer(configuration.undo)
            zcml_reports[package] = configuration.reload()
        for registry in _registries():
            journal.keep(registry)
        pid = product_id(package)
        before = Products.meta_types
        own = [info['name'] for info in before if info['product'] == pid]
        Products.meta_types = tuple(
            info for info in before if info['product'] != pid)
        registries.prepare(journal, package, pid, own)
        # manage_addProduct caches product packages: make it look again.
        journal.delattr(FactoryDispatcher, '_packages')
        registered = get_registered_packages()
        for index, old in enumerate(registered):
            if old.__name__ == package:
                journal.setitem(registered, index, module)
        misc = vars(module).get('misc_')
        if misc:
            if isinstance(misc, dict):
                misc = Misc_(pid, misc)
            setattr(Application.misc_, pid, misc)
        initialize = vars(module).get('initialize')
        if initialize is not None:
            initialize(ProductContext(
                FactoryDispatcher.Product(pid), app, module))
            Products.meta_types = in_their_places(
                before, Products.meta_types,
                lambda info: info['product'] == pid)
        registries.finish(journal)

    return reinitialize
