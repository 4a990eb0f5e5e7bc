"""The installed products and whether they opted in to refreshing.

A product is a package under the ``Products`` namespace, or a package
registered with ``five:registerPackage``. It opts in by shipping a
``refresh.txt`` in its folder (Zope 2's convention); the file's text, if
any, warns whoever refreshes it.
"""
import os
from dataclasses import dataclass

from OFS.Application import get_products
from OFS.metaconfigure import get_registered_packages

from .engine.files import REFRESH_FILES
from .engine.modules import package_modules


@dataclass(frozen=True)
class Product:
    name: str  # the product id Zope uses: 'Foo' for Products.Foo
    package: str  # the dotted package name
    folder: str

    @property
    def refresh_file(self):
        for name in REFRESH_FILES:
            path = os.path.join(self.folder, name)
            if os.path.isfile(path):
                return path
        return None

    @property
    def refreshable(self):
        return self.refresh_file is not None

    @property
    def warning(self):
        path = self.refresh_file
        if path is None:
            return ''
        with open(path, encoding='utf-8', errors='replace') as text:
            return text.read().strip()

    def loaded_modules(self):
        return sorted(package_modules(self.package))


def installed_products():
    """Every installed product by name, whether imported yet or not."""
    found = {}
    for _priority, name, _index, finder in get_products():
        found.setdefault(
            name, Product(name, f'Products.{name}',
                          os.path.join(finder.path, name)))
    for module in get_registered_packages():
        found.setdefault(
            module.__name__,
            Product(module.__name__, module.__name__, module.__path__[0]))
    return found


def product_id(package):
    """The product id Zope registers a package's classes under."""
    return package.removeprefix('Products.')
