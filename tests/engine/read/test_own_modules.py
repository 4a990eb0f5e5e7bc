"""A product's modules are the ones whose files lie in its folder."""
import importlib
import sys

from Products.RefreshManager.engine.read.modules import modules_by_package
from Products.RefreshManager.engine.read.modules import package_modules

from ...packages import unique_name
from ...packages import write_files
from ..apply.test_engine import mode  # noqa: F401 (fixture)
from ..apply.test_engine import package  # noqa: F401 (fixture)
from ..apply.test_engine import refresh


def test_an_alias_of_another_packages_module_is_not_the_products(
        mode, package, tmp_path):
    """As Zope's ``__module_aliases__`` does for Products.PythonScripts:
    another package's module entered in ``sys.modules`` under the
    product's name. Edited, it is not refreshed as the product's."""
    name, folder = package
    other = unique_name('shared')
    write_files(tmp_path, {f'{other}/__init__.py': '',
                           f'{other}/bindings.py': 'VALUE = 1\n'})
    write_files(folder, {
        '__init__.py': f'import sys\nfrom {other} import bindings\n'
                       f'sys.modules[__name__ + ".bindings"] = bindings\n',
        'own.py': 'VALUE = 1\n'})
    importlib.import_module(name)
    importlib.import_module(f'{name}.own')
    assert sorted(package_modules(name)) == [name, f'{name}.own']
    assert sorted(modules_by_package([name])[name]) == [name, f'{name}.own']
    refresh(mode, [name])
    write_files(tmp_path, {f'{other}/bindings.py': 'VALUE = 2\n'})
    [report] = refresh(mode, [name]).packages
    assert report.reloaded == ()
    assert sys.modules[f'{name}.bindings'].VALUE == 1
