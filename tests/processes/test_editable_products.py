"""A user's own product installed with ``pip install -e`` through
setuptools' import hook (its default for a project without a src
layout): Zope's product lookup cannot see it (Zope #1239), so Zope never
initializes it. Control_Panel/Products lists it all the same, says why
and what to do, and refreshes it like any other product.

The product is installed for real into an environment of its own that
layers over the one running the tests, and served by a real runwsgi.
"""
import os
import subprocess
import sys
import sysconfig

import pytest
from bs4 import BeautifulSoup

from ..packages import write_files
from ..server import ZopeServer


NAME = 'EditableThing'
URL = f'/Control_Panel/Products/{NAME}'

PROJECT = {
    'pyproject.toml': f'''
        [build-system]
        requires = ["setuptools >= 64"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "Products.{NAME}"
        version = "1.0"

        # As most products say it (find_namespace_packages(include=
        # ['Products.*'])): the Products namespace is not theirs.
        [tool.setuptools.packages.find]
        include = ["Products.*"]
        namespaces = true
    ''',
    f'Products/{NAME}/refresh.txt': '',
    f'Products/{NAME}/__init__.py': '''
        from . import content


        def initialize(context):
            context.registerClass(
                content.Hello, constructors=(content.manage_addHello,))
    ''',
    f'Products/{NAME}/content.py': '''
        from AccessControl.class_init import InitializeClass
        from AccessControl.SecurityInfo import ClassSecurityInfo
        from OFS.SimpleItem import SimpleItem


        class Hello(SimpleItem):
            meta_type = 'Editable Hello'
            security = ClassSecurityInfo()

            def __init__(self, id):
                self.id = id

            @security.public
            def greet(self):
                """Published."""
                return 'first version'


        InitializeClass(Hello)


        def manage_addHello(self, id, REQUEST=None):
            """Add a Hello."""
            self._setObject(id, Hello(id))
            return 'added'
    ''',
}


def layered_environment(folder):
    """A virtualenv of its own that sees every package of the running one
    (the installed wheel, Zope) behind its own site-packages."""
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip',
                    str(folder)], check=True)
    python = str(folder / 'bin' / 'python')
    own = subprocess.run(
        [python, '-c', 'import sysconfig; print(sysconfig.get_paths()'
         '["purelib"])'], check=True, capture_output=True,
        text=True).stdout.strip()
    with open(os.path.join(own, 'layer-over-tests.pth'), 'w') as pth:
        pth.write('import site; site.addsitedir(%r)\n'
                  % sysconfig.get_paths()['purelib'])
    return python


@pytest.fixture(scope='module')
def server(tmp_path_factory):
    project = tmp_path_factory.mktemp('project')
    write_files(str(project), PROJECT)
    python = layered_environment(tmp_path_factory.mktemp('venv'))
    installed = subprocess.run(
        [sys.executable, '-m', 'pip', '--python', python, 'install',
         '--quiet', '--no-deps', '-e', str(project)],
        capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    server = ZopeServer(tmp_path_factory.mktemp('editable') / 'instance',
                        python=python).start()
    server.project = project
    yield server
    server.stop()


def test_zope_itself_does_not_see_the_product(server):
    # The reason this test exists: with the import hook, Zope's own
    # lookup misses the product, so the Add menu lacks its class.
    status, body = server.request('/manage_main')
    assert status == 200 and 'Editable Hello' not in body


def test_the_listing_shows_it_and_says_why(server):
    status, body = server.request('/Control_Panel/Products/manage_main')
    assert status == 200
    page = BeautifulSoup(body, 'html.parser')
    row, = [r for r in page.select('#products tbody tr')
            if r.select_one('a').text == NAME]
    badge = row.select_one('.hidden-from-zope')
    assert 'editable_mode=compat' in badge['title']
    status, body = server.request(URL + '/manage_refresh')
    assert status == 200
    note = BeautifulSoup(body, 'html.parser').select_one('#hidden-from-zope')
    assert 'Zope did not initialize this product' in note.text
    assert 'pip install -e . --config-settings editable_mode=compat' \
        in note.text


def test_it_refreshes_like_any_other_product(server):
    # The first refresh imports it and runs its initialize().
    status, body = server.request(URL + '/manage_performRefresh', {})
    assert status == 200, body
    status, body = server.request(
        f'/manage_addProduct/{NAME}/manage_addHello', {'id': 'hello'})
    assert status == 200 and 'added' in body
    assert server.request('/hello/greet') == (200, 'first version')

    content = server.project / 'Products' / NAME / 'content.py'
    content.write_text(content.read_text().replace(
        "'first version'", "'second version'"))
    status, body = server.request(URL + '/manage_performRefresh', {})
    assert status == 200 and 'Product refreshed.' in body
    assert server.request('/hello/greet') == (200, 'second version')
