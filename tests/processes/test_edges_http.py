"""The edges where a refresh could answer "refreshed" and leave the site
running other code than the files, through a real runwsgi over HTTP: a
deleted module, plone.reload's code reload beforehand, a GET on an
action, another package's module under the product's name."""
import os
import textwrap

import pytest

from ..server import ZopeServer
from ..server import request


PRODUCT = '/Control_Panel/Products/EdgeCases'
CONTENT = '''\
from AccessControl.class_init import InitializeClass
from AccessControl.SecurityInfo import ClassSecurityInfo
from OFS.SimpleItem import SimpleItem

from .logic import answer


class Base(SimpleItem):

    def describe(self):
        return 'base'


class Thing(Base):
    meta_type = 'Edge thing'
    security = ClassSecurityInfo()

    def __init__(self, id):
        self.id = id

    @security.public
    def greet(self):
        """Published: the code that runs, as a user sees it."""
        return f'{answer()} {super().describe()} VERSION'

    @security.public
    def reload_with_plone_reload(self):
        """Published: what plone.reload's @@reload does to this module."""
        import sys
        from plone.reload.xreload import Reloader
        Reloader(sys.modules[__name__]).reload()
        return 'reloaded'


InitializeClass(Thing)


def manage_addThing(self, id, REQUEST=None):
    """Add a Thing."""
    self._setObject(id, Thing(id))
    return 'added'
'''
INIT = '''\
from . import content

# As Products.PythonScripts does: another package's module under a name
# of this product.
__module_aliases__ = (
    ('Products.EdgeCases.Bindings', 'Shared.DC.Scripts.Bindings'),)


def initialize(context):
    context.registerClass(content.Thing,
                          constructors=(content.manage_addThing,))
'''


def _product(products):
    folder = os.path.join(products, 'EdgeCases')
    os.makedirs(folder)
    files = {'refresh.txt': '', '__init__.py': INIT,
             'content.py': CONTENT.replace('VERSION', 'v1'),
             'logic.py': 'def answer():\n    return "answer-1"\n'}
    for name, text in files.items():
        with open(os.path.join(folder, name), 'w') as out:
            out.write(text)
    return folder


@pytest.fixture(scope='module')
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp('edges')
    server = ZopeServer(home / 'instance')
    server.product = _product(os.path.join(server.demo, 'Products'))
    server.start()
    status, body = server.request(
        '/manage_addProduct/EdgeCases/manage_addThing', {'id': 'edge'})
    assert status == 200, body
    yield server
    server.stop()


def write(server, name, text):
    with open(os.path.join(server.product, name), 'w') as out:
        out.write(textwrap.dedent(text))


def refresh(server):
    return server.request(PRODUCT + '/manage_performRefresh', {})


def test_a_deleted_module_fails_the_refresh_then_its_new_code_runs(server):
    assert refresh(server)[0] == 200  # the engine has run every module
    os.remove(os.path.join(server.product, 'logic.py'))
    status, body = refresh(server)
    assert status == 422
    assert 'logic.py was deleted' in body and 'Nothing was changed' in body
    assert server.request('/edge/greet') == (200, 'answer-1 base v1')
    write(server, 'logic.py', 'def answer():\n    return "answer-2"\n')
    assert refresh(server)[0] == 200
    assert server.request('/edge/greet') == (200, 'answer-2 base v1')


def test_after_plone_reload_a_refresh_makes_super_work_again(server):
    write(server, 'content.py', CONTENT.replace('VERSION', 'v2'))
    assert server.request('/edge/reload_with_plone_reload') == (
        200, 'reloaded')
    status, body = server.request('/edge/greet')
    assert status == 500  # plone.reload's known limit: super() is broken
    status, tab = server.request(PRODUCT + '/manage_refresh')
    assert 'runs with a copy of the module' in tab  # the in-sync view
    write(server, 'content.py', CONTENT.replace('VERSION', 'v3'))
    status, body = refresh(server)
    assert status == 200 and 'Product refreshed.' in body
    assert server.request('/edge/greet') == (200, 'answer-2 base v3')
    status, tab = server.request(PRODUCT + '/manage_refresh')
    assert 'id="in-sync"' in tab


def test_a_get_on_an_action_is_405_with_the_reason(server):
    status, body = request(server.url + PRODUCT + '/manage_performRefresh',
                           server.user, server.password)
    assert status == 405
    assert 'an action of this page takes a POST' in body


def test_an_alias_of_another_packages_module_is_not_the_products(server):
    status, tab = server.request(PRODUCT + '/manage_refresh')
    assert 'Products.EdgeCases.content' in tab
    assert 'Products.EdgeCases.Bindings' not in tab
