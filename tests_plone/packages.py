"""The add-on packages the Plone tests and benchmarks edit and refresh,
written to a folder on ``PYTHONPATH`` as a Plone developer has them:

- ``collective.refreshdemo``: a plain package, no product, loaded by
  Plone through its z3c.autoinclude entry point (a ``.dist-info`` beside
  it), with a browser view in ZCML that calls a helper module;
- ``Products.RefreshPloneThing``: an old-style product with a persistent
  class;
- ``Products.RefreshPAS``: a product registering a PAS plugin;
- ``Products.RefreshPatch``: a product whose ``patches`` module patches
  another module (``refreshtarget``) when imported;
- ``Products.RefreshSuper``: a view whose method calls ``super()``, which
  plone.reload's code reload breaks;
- ``Products.RefreshLive``: an HTML page from a view, which a browser
  keeps open while its code is saved (live reload).
"""
import os

from tests.packages import write_files


HELPER = "def message():\n    return 'helper v1'\n"
VIEW = '''\
from Products.Five.browser import BrowserView

from .helper import message


class DemoView(BrowserView):

    def __call__(self):
        return f'view v1: {message()}'
'''
PATCH = '''\
import refreshtarget

_original = refreshtarget.answer


def answer():
    return 'patched v1 ' + _original()


refreshtarget.answer = answer
'''
THING = '''\
from AccessControl.class_init import InitializeClass
from AccessControl.SecurityInfo import ClassSecurityInfo
from OFS.SimpleItem import SimpleItem


class Thing(SimpleItem):
    meta_type = 'Refresh Plone Thing'
    security = ClassSecurityInfo()

    def __init__(self, id):
        self.id = id

    @security.public
    def greet(self):
        """Published."""
        return f'thing v1 {self.id}'


InitializeClass(Thing)


def manage_addThing(self, id, REQUEST=None):
    """Add a Thing."""
    self._setObject(id, Thing(id))
'''
PAS = '''\
from AccessControl.class_init import InitializeClass
from Products.CMFCore.DirectoryView import registerDirectory
from Products.GenericSetup import EXTENSION
from Products.GenericSetup import profile_registry
from Products.PluggableAuthService.plugins.BasePlugin import BasePlugin
from Products.PluggableAuthService.PluggableAuthService import \\
    registerMultiPlugin


class RefreshPlugin(BasePlugin):
    meta_type = 'Refresh Test PAS Plugin'

    def __init__(self, id):
        self.id = id


InitializeClass(RefreshPlugin)


def addRefreshPlugin(self, id, REQUEST=None):
    """Add a plugin."""
    self._setObject(id, RefreshPlugin(id))


def initialize(context):
    # What a CMF/Plone product's initialize() typically does: a PAS
    # plugin, a skins folder, a GenericSetup profile.
    registerDirectory('skins', globals())
    profile_registry.registerProfile(
        'default', 'Refresh PAS v1', 'Installs the plugin.',
        'profiles/default', 'Products.RefreshPAS', EXTENSION)
    registerMultiPlugin(RefreshPlugin.meta_type)
    context.registerClass(
        RefreshPlugin, permission='Manage users',
        constructors=(addRefreshPlugin,), visibility=None)
'''
SUPER_VIEW = '''\
from Products.Five.browser import BrowserView


class Base(BrowserView):

    def text(self):
        return 'base'


class View(Base):

    def text(self):
        return super().text() + ' super v1'

    def __call__(self):
        return self.text()
'''
LIVE_VIEW = '''\
from Products.Five.browser import BrowserView


class View(BrowserView):

    def __call__(self):
        self.request.response.setHeader('Content-Type', 'text/html')
        return '<html><body><p id="live">live v1</p></body></html>'
'''
ZCML_VIEW = '''\
<configure xmlns="http://namespaces.zope.org/zope"
           xmlns:browser="http://namespaces.zope.org/browser">
  <browser:page name="{name}" for="*" class=".{module}.{cls}"
                permission="zope2.View" />
</configure>
'''

FILES = {
    'collective/refreshdemo/__init__.py': '',
    'collective/refreshdemo/refresh.txt': 'A plain Plone add-on.\n',
    'collective/refreshdemo/configure.zcml': ZCML_VIEW.format(
        name='refreshdemo', module='views', cls='DemoView'),
    'collective/refreshdemo/views.py': VIEW,
    'collective/refreshdemo/helper.py': HELPER,
    'collective.refreshdemo-1.0.dist-info/METADATA':
        'Metadata-Version: 2.1\nName: collective.refreshdemo\n'
        'Version: 1.0\n',
    'collective.refreshdemo-1.0.dist-info/entry_points.txt':
        '[z3c.autoinclude.plugin]\ntarget = plone\n',
    'Products/RefreshPloneThing/__init__.py':
        'from . import content\n\n\ndef initialize(context):\n'
        '    context.registerClass(content.Thing,\n'
        '                          constructors=(content.manage_addThing,))\n',
    'Products/RefreshPloneThing/refresh.txt': '',
    'Products/RefreshPloneThing/content.py': THING,
    'Products/RefreshPAS/__init__.py': PAS,
    'Products/RefreshPAS/refresh.txt': '',
    'Products/RefreshPAS/skins/refresh_pas/hello.txt': 'hello\n',
    'Products/RefreshPAS/profiles/default/metadata.xml':
        '<?xml version="1.0"?>\n<metadata><version>1</version></metadata>\n',
    'refreshtarget.py': "def answer():\n    return 'answer'\n",
    'Products/RefreshPatch/__init__.py': 'from . import patches  # noqa\n',
    'Products/RefreshPatch/refresh.txt': '',
    'Products/RefreshPatch/patches.py': PATCH,
    'Products/RefreshPatch/view.py':
        'import refreshtarget\nfrom Products.Five.browser import BrowserView'
        '\n\n\nclass View(BrowserView):\n\n'
        '    def __call__(self):\n        return refreshtarget.answer()\n',
    'Products/RefreshPatch/configure.zcml': ZCML_VIEW.format(
        name='refreshpatch', module='view', cls='View'),
    'Products/RefreshSuper/__init__.py': '',
    'Products/RefreshSuper/refresh.txt': '',
    'Products/RefreshSuper/view.py': SUPER_VIEW,
    'Products/RefreshSuper/configure.zcml': ZCML_VIEW.format(
        name='refreshsuper', module='view', cls='View'),
    'Products/RefreshLive/__init__.py': '',
    'Products/RefreshLive/refresh.txt': '',
    'Products/RefreshLive/view.py': LIVE_VIEW,
    'Products/RefreshLive/configure.zcml': ZCML_VIEW.format(
        name='refreshlive', module='view', cls='View'),
}


def write_packages(folder):
    write_files(folder, FILES)
    return folder


def edit(folder, relative, old, new):
    """Replace `old` by `new` in a file below `folder`; fails loudly if
    `old` is not there, so a test never edits nothing."""
    path = os.path.join(folder, relative)
    with open(path) as source:
        text = source.read()
    assert old in text, f'{old!r} not in {path}'
    with open(path, 'w') as source:
        source.write(text.replace(old, new))
