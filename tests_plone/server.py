"""The Plone instance served by a real runwsgi of the Plone environment."""
import os
import re

from tests.server import ZopeServer
from tests.server import free_port

from .plone_site import PLONE_PYTHON
from .plone_site import make_instance


class PloneServer(ZopeServer):
    """`ZopeServer`'s start, stop and requests, on a Plone instance with
    the add-on packages of `packages` (a folder) on ``PYTHONPATH``."""

    def __init__(self, home, packages, zope_conf=''):
        self.home = str(home)
        self.demo = str(packages)  # what ZopeServer puts on PYTHONPATH
        self.python = PLONE_PYTHON
        self.debug = True
        self.port = free_port()
        self.url = f'http://127.0.0.1:{self.port}'
        self.user, self.password = make_instance(self.home, self.demo)
        ini = os.path.join(self.home, 'etc', 'zope.ini')
        with open(ini) as conf:
            text = re.sub(r'(?m)^port = \d+$', f'port = {self.port}',
                          conf.read())
        with open(ini, 'w') as conf:
            conf.write(text)
        with open(os.path.join(self.home, 'etc', 'zope.conf'), 'a') as conf:
            conf.write(zope_conf)
        self.process = None
