"""The installed products and whether they opted in to refreshing.

A product is a package under the ``Products`` namespace, a package
registered with ``five:registerPackage``, or any imported package that
ships a ``refresh.txt`` (a Plone add-on, ``plone.base``, a helper
library without ZCML). A package is listed once, under one
name: ``Foo`` for ``Products.Foo`` however Zope found it, the dotted name
otherwise. It opts in by shipping a ``refresh.txt`` in its folder (Zope
2's convention); the file's text, if any, warns whoever refreshes it.

Zope finds products by listing the folders of the ``Products`` namespace
(``pkgutil.iter_modules``). A product installed with ``pip install -e``
into an import hook (setuptools' default for a project without a src
layout) is not in any folder of the namespace, so Zope never sees it:
Zope issue #1239. Those are found here through the installed
distributions that say they are editable (PEP 610) and the import system,
so they can be listed, explained and refreshed all the same.
"""
import functools
import glob
import importlib.metadata
import importlib.util
import json
import os
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.request import url2pathname

from OFS.Application import get_products
from OFS.metaconfigure import get_registered_packages

from .engine.read.files import REFRESH_FILES
from .engine.read.modules import package_modules
from .plain_packages import plain_packages


HIDDEN_FROM_ZOPE = (
    'Zope did not initialize this product at start-up (nor load its ZCML):'
    ' it is installed in editable mode through an import hook, which Zope\'s'
    ' product lookup cannot list; reinstall it with "pip install -e .'
    ' --config-settings editable_mode=compat" and restart Zope.')


@dataclass(frozen=True)
class Product:
    name: str  # the product id Zope uses: 'Foo' for Products.Foo
    package: str  # the dotted package name
    folder: str
    # Zope's product lookup cannot see it (an editable install through an
    # import hook), so Zope never ran its initialize() or its ZCML.
    hidden_from_zope: bool = False

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


def _editable_projects():
    """The folders of projects installed with ``pip install -e``."""
    for dist in importlib.metadata.distributions():
        try:
            info = json.loads(dist.read_text('direct_url.json') or '{}')
        except ValueError:
            continue
        url = urlsplit(info.get('url', ''))
        if info.get('dir_info', {}).get('editable') and url.scheme == 'file':
            yield url2pathname(url.path)


@functools.cache
def editable_products():
    """``{name: folder}`` of the ``Products.*`` packages of editable
    projects, where the import system finds them. Looked up once per
    process: installing a product needs a restart anyway."""
    found = {}
    for project in _editable_projects():
        for base in (project, os.path.join(project, 'src')):
            for init in glob.glob(os.path.join(base, 'Products', '*',
                                               '__init__.py')):
                name = os.path.basename(os.path.dirname(init))
                spec = importlib.util.find_spec(f'Products.{name}')
                if spec is not None and spec.origin:
                    found.setdefault(name, os.path.dirname(spec.origin))
    return found


def installed_products(only=None):
    """Every installed product by name, whether imported yet or not
    (those that may be named `only`, if given)."""
    found = {}

    def add(package, folder, hidden_from_zope=False):
        name = product_id(package)
        found.setdefault(name, Product(name, package, folder,
                                       hidden_from_zope))

    for _priority, name, _index, finder in get_products():
        add(f'Products.{name}', os.path.join(finder.path, name))
    for name, folder in editable_products().items():
        add(f'Products.{name}', folder, True)
    for module in get_registered_packages():
        add(module.__name__, module.__path__[0])
    for package, folder in plain_packages(only).items():
        add(package, folder)
    return found


def product_id(package):
    """The product id Zope registers a package's classes under."""
    return package.removeprefix('Products.')
