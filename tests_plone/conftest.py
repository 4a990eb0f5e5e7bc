"""One real Plone 6.2 site for the session: the add-on packages written to
a temporary folder, the instance and its Plone site on a FileStorage, one
runwsgi in debug mode (so auto-refresh runs, with file events), and
Products.CMFPlone given a refresh.txt in the Plone environment for as
long as the session runs."""
import os
import shutil

import pytest

from tests.installation import refuse_other_installations

from .packages import write_packages
from .server import PloneServer


def pytest_configure(config):
    refuse_other_installations('make test-plone')


def cmfplone_folder():
    import importlib.util
    spec = importlib.util.find_spec('Products.CMFPlone')
    return os.path.dirname(spec.origin)


@pytest.fixture(scope='session')
def plone(tmp_path_factory):
    home = tmp_path_factory.mktemp('plone')
    packages = write_packages(str(home / 'packages'))
    refresh_txt = os.path.join(cmfplone_folder(), 'refresh.txt')
    created = not os.path.exists(refresh_txt)
    with open(refresh_txt, 'a'):
        pass
    server = PloneServer(home / 'instance', packages)
    server.packages = packages
    try:
        yield server.start()
    finally:
        server.stop()
        if created:
            os.remove(refresh_txt)
        shutil.rmtree(str(home / 'instance' / 'var' / 'cache'),
                      ignore_errors=True)
