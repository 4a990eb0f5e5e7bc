"""What ``pip install Products.RefreshManager`` delivers: the sdist and
the wheel hold every file of the package, and the installed package is
that wheel (or, in ``make test-editable``, the checkout itself)."""
import importlib.metadata
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile

import pytest

from ..installation import DIST
from ..installation import SOURCE
from ..installation import installed_as
from ..installation import package_files
from ..installation import package_folder
from ..zope_instance import REPO


PROJECT_FILES = ('pyproject.toml', 'MANIFEST.in', 'README.md', 'HISTORY.txt')


@pytest.fixture(scope='module')
def built(tmp_path_factory):
    """The sdist, and the wheel built from it, of a clean copy of the
    project (no virtualenv, no build leftovers), as PyPI gets them; and
    what the build printed."""
    project = tmp_path_factory.mktemp('project')
    for name in PROJECT_FILES:
        shutil.copy(os.path.join(REPO, name), project)
    shutil.copytree(os.path.join(REPO, 'src'), project / 'src',
                    ignore=shutil.ignore_patterns('__pycache__', '*.pyc',
                                                  '*.egg-info'))
    out = tmp_path_factory.mktemp('dist')
    result = subprocess.run(
        [sys.executable, '-m', 'build', '--outdir', str(out), str(project)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    sdist, = out.glob('*.tar.gz')
    wheel, = out.glob('*.whl')
    return sdist, wheel, result.stdout + result.stderr


def test_the_wheel_holds_every_file_of_the_package(built):
    _sdist, wheel, _output = built
    prefix = 'Products/RefreshManager/'
    names = {name.removeprefix(prefix)
             for name in zipfile.ZipFile(wheel).namelist()
             if name.startswith(prefix)}
    expected = package_files()
    assert {'configure.zcml', 'refresh.txt', 'zmi/www/refresh.pt'} <= expected
    assert expected - names == set()
    assert names - expected == set()


def test_the_sdist_holds_every_file_of_the_package(built):
    sdist, _wheel, _output = built
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    root = names[0].split('/')[0]
    prefix = f'{root}/src/Products/RefreshManager/'
    inside = {name.removeprefix(prefix) for name in names
              if name.startswith(prefix)}
    assert package_files() <= inside
    assert {f'{root}/{name}' for name in PROJECT_FILES} <= set(names)


def test_building_warns_of_nothing_deprecated(built):
    output = built[2]
    assert 'eprecat' not in output, output


@pytest.mark.installation
def test_the_tests_run_on_the_installation_make_test_names():
    expected = os.environ.get('REFRESHMANAGER_INSTALLED')
    if expected is None:
        pytest.skip('not run through make test: on whatever is importable')
    assert installed_as() == expected


@pytest.mark.installation
def test_the_installed_package_has_every_file_of_the_checkout():
    installed = package_files(package_folder())
    assert package_files() <= installed
    if installed_as() == 'wheel':
        recorded = {str(path).removeprefix('Products/RefreshManager/')
                    for path in importlib.metadata.distribution(DIST).files
                    if str(path).startswith('Products/RefreshManager/')}
        assert package_files() <= recorded
        for name in package_files():
            with open(os.path.join(SOURCE, name), 'rb') as source, \
                    open(os.path.join(package_folder(), name), 'rb') as out:
                assert source.read() == out.read(), (
                    f'{name}: the installed wheel is older than the '
                    f'checkout; make test builds it again')
