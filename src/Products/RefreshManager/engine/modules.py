"""Which loaded modules belong to a package.

A refresh re-executes source files, so only modules loaded from a ``.py``
file take part: namespace packages and extension modules have nothing to
re-execute. ``__refresh_module__ = False`` (Zope 2's opt-out, also spelled
``__reload_module__``) keeps a module out, for modules whose state must
outlive a refresh.
"""
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


def opted_out(module):
    namespace = vars(module)
    return not (namespace.get(OPT_OUT_FLAGS[0], True)
                and namespace.get(OPT_OUT_FLAGS[1], True))


def package_modules(package, modules=None):
    """The refreshable modules of `package` now loaded, by name."""
    if modules is None:
        modules = sys.modules
    prefix = package + '.'
    return {
        name: module
        for name, module in list(modules.items())
        if (name.startswith(prefix) or name == package)
        and module is not None and source_path(module)
        and not opted_out(module)
    }


def modules_by_package(packages, modules=None):
    """``{package: [module names]}``: `package_modules` for many packages
    in one pass over ``sys.modules`` (a Plone site has thousands of
    entries; one pass per package made its product listing slow)."""
    if modules is None:
        modules = sys.modules
    found = {package: [] for package in packages}
    for name, module in list(modules.items()):
        head = name
        while head and head not in found:
            head = head.rpartition('.')[0]
        if head and module is not None and source_path(module) \
                and not opted_out(module):
            found[head].append(name)
    return found
