"""Which loaded modules belong to a package.

A refresh re-executes source files, so only modules loaded from a ``.py``
file take part: namespace packages and extension modules have nothing to
re-execute. ``__refresh_module__ = False`` (Zope 2's opt-out, also spelled
``__reload_module__``) keeps a module out, for modules whose state must
outlive a refresh.

A package's modules are the ones whose files lie in its folder: a name
under the package can stand for another package's module (Zope's
``__module_aliases__`` put ``Shared.DC.Scripts.Bindings`` into
``sys.modules`` as a module of Products.PythonScripts), whose file is
not the product's to refresh.
"""
import os
import sys


OPT_OUT_FLAGS = ('__refresh_module__', '__reload_module__')


def in_package(name, package):
    """Whether the module `name` is `package` or lies in it. Asked of
    every module in ``sys.modules`` (thousands in Zope) on each refresh,
    so a name outside it is told by one ``startswith``."""
    return name.startswith(package) and (
        len(name) == len(package) or name[len(package)] == '.')


def source_path(module):
    path = getattr(module, '__file__', None)
    if isinstance(path, str) and path.endswith('.py'):
        return path
    return None


def folders(package, modules):
    """Where `package`'s own files lie (each folder with a trailing
    separator: ``Foo/`` does not hold ``FooBar/``); empty when it is not
    loaded, and then nothing is ruled out."""
    paths = getattr(modules.get(package), '__path__', None) or ()
    return tuple(os.path.join(path, '') for path in paths
                 if isinstance(path, str))


def _in_folders(module, within):
    """Whether `module` has a source file in the package's folders."""
    path = source_path(module)
    return path is not None and (not within or path.startswith(within))


def opted_out(module):
    namespace = vars(module)
    return not (namespace.get(OPT_OUT_FLAGS[0], True)
                and namespace.get(OPT_OUT_FLAGS[1], True))


def own_modules(package, modules=None):
    """The loaded modules of `package` with a source file in its folders,
    by name: those that opt out of refreshes too (one pass over
    ``sys.modules``, which holds thousands in Plone)."""
    if modules is None:
        modules = sys.modules
    prefix = package + '.'
    within = folders(package, modules)
    found = {}
    for name, module in list(modules.items()):
        if (name.startswith(prefix) or name == package) and \
                module is not None and _in_folders(module, within):
            found[name] = module
    return found


def package_modules(package, modules=None):
    """The refreshable modules of `package` now loaded, by name."""
    return {name: module for name, module in own_modules(
        package, modules).items() if not opted_out(module)}


def modules_by_package(packages, modules=None):
    """``{package: [module names]}``: `package_modules` for many packages
    in one pass over ``sys.modules`` (a Plone site has thousands of
    entries; one pass per package made its product listing slow)."""
    if modules is None:
        modules = sys.modules
    found = {package: [] for package in packages}
    within = {package: folders(package, modules) for package in found}
    for name, module in list(modules.items()):
        head = name
        while head and head not in found:
            head = head.rpartition('.')[0]
        if head and module is not None and not opted_out(module) and \
                _in_folders(module, within[head]):
            found[head].append(name)
    return found
