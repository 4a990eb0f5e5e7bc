"""Which installation of Products.RefreshManager the tests run against.

``make test`` runs the suite on the wheel installed into an environment
of its own, then the installation tests on the editable install of the
checkout, and says which in ``REFRESHMANAGER_INSTALLED``; a run that is
not on the installation it says stops at once (see conftest.py), so a
green suite can never again come from a setup no user has.
"""
import importlib.metadata
import json
import os
import sysconfig

from .zope_instance import REPO


DIST = 'Products.RefreshManager'
SOURCE = os.path.join(REPO, 'src', 'Products', 'RefreshManager')


def direct_url():
    """PEP 610's record of where the distribution was installed from."""
    text = importlib.metadata.distribution(DIST).read_text('direct_url.json')
    return json.loads(text or '{}')


def package_folder():
    import Products.RefreshManager
    return os.path.dirname(os.path.realpath(Products.RefreshManager.__file__))


def installed_as():
    """'wheel', 'editable', or what else the package was imported from."""
    folder = package_folder()
    editable = direct_url().get('dir_info', {}).get('editable', False)
    site_packages = os.path.realpath(sysconfig.get_paths()['purelib'])
    if editable and folder == os.path.realpath(SOURCE):
        return 'editable'
    if not editable and folder.startswith(site_packages + os.sep):
        return 'wheel'
    return f'{"editable" if editable else "an installation"} in {folder}'


def package_files(top=SOURCE):
    """The files of the package in the checkout, relative to `top`."""
    found = set()
    for folder, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if d != '__pycache__']
        found.update(
            os.path.relpath(os.path.join(folder, name), top).replace(
                os.sep, '/')
            for name in files if not name.endswith(('.pyc', '.pyo')))
    return found


def refuse_other_installations(command):
    """Stop the run if ``REFRESHMANAGER_INSTALLED`` names an installation
    other than the one the tests would import (a conftest's
    ``pytest_configure`` calls it)."""
    import pytest
    expected = os.environ.get('REFRESHMANAGER_INSTALLED')
    if expected and installed_as() != expected:
        raise pytest.UsageError(
            f'REFRESHMANAGER_INSTALLED={expected}, but the tests would run '
            f'on {installed_as()}: run them through {command}.')
