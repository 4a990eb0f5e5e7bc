"""One real Plone 6.2 site for the session: the add-on packages written to
a temporary folder, the instance and its Plone site on a FileStorage, one
runwsgi in debug mode (so auto-refresh runs, with file events), and
Products.CMFPlone given a refresh.txt in the Plone environment for as
long as the session runs."""
import shutil

import pytest

from tests.installation import refuse_other_installations

from .packages import opted_in
from .packages import write_packages
from .server import PloneServer


def pytest_configure(config):
    refuse_other_installations('make test-plone')


@pytest.fixture(scope='session')
def plone(tmp_path_factory):
    home = tmp_path_factory.mktemp('plone')
    packages = write_packages(str(home / 'packages'))
    server = PloneServer(home / 'instance', packages)
    server.packages = packages
    with opted_in('Products.CMFPlone'):
        try:
            yield server.start()
        finally:
            server.stop()
            shutil.rmtree(str(home / 'instance' / 'var' / 'cache'),
                          ignore_errors=True)
