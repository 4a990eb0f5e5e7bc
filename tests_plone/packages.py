"""The add-on packages the Plone tests and benchmarks edit and refresh,
written to a folder on ``PYTHONPATH`` as a Plone developer has them:

- ``refreshdemo``: a plain package, no product, loaded by
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
  keeps open while its code is saved (live reload);
- ``refreshkinds``: a plain package whose ZCML uses the
  directives of Plone's stack that do not register through zope.component
  alone (z3c.form widget templates, z3c.caching rules, content rules, CMF
  skin directories), with a page that reports what they registered.
"""
import contextlib
import importlib.util
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

KINDS_VIEWS = '''\
import json

from plone.contentrules.rule.interfaces import IRuleAction
from plone.contentrules.rule.interfaces import IRuleCondition
from Products.CMFCore.DirectoryView import _dirreg
from Products.Five.browser import BrowserView
from z3c.caching.registry import lookup
from z3c.caching.interfaces import IRulesetType
from zope.component import getGlobalSiteManager
from zope.component import getUtilitiesFor
from zope.interface import Interface


FINISHED = []


def finish():
    """What a zcml:customAction runs."""
    FINISHED.append(True)


class IKindsWidget(Interface):
    """Widgets whose templates the package registers."""


class Report(BrowserView):
    """What the package's ZCML registered, as JSON."""

    def __call__(self):
        folder = __file__.rsplit('/', 1)[0]
        templates = sorted(
            (registration.name,
             registration.factory.template.filename.rsplit('/', 1)[-1])
            for registration in getGlobalSiteManager().registeredAdapters()
            if IKindsWidget in registration.required)
        self.request.response.setHeader('Content-Type', 'application/json')
        return json.dumps({
            'templates': templates,
            'rule': lookup(self),
            'ruleset_types': sorted(
                name for name, _t in getUtilitiesFor(IRulesetType)
                if name.startswith('refreshkinds')),
            'actions': sorted(
                (name, action.title) for name, action
                in getUtilitiesFor(IRuleAction)
                if name.startswith('refreshkinds')),
            'conditions': sorted(
                name for name, _c in getUtilitiesFor(IRuleCondition)
                if name.startswith('refreshkinds')),
            'skins': sorted(key for key in _dirreg._directories
                            if key.startswith('refreshkinds')),
            'ours': sum(str(getattr(registration.info, 'file', ''))
                        .startswith(folder) for registration
                        in getGlobalSiteManager().registeredAdapters()),
        })
'''
KINDS_ZCML = '''\
<configure xmlns="http://namespaces.zope.org/zope"
           xmlns:browser="http://namespaces.zope.org/browser"
           xmlns:z3c="http://namespaces.zope.org/z3c"
           xmlns:cache="http://namespaces.zope.org/cache"
           xmlns:cmf="http://namespaces.zope.org/cmf"
           xmlns:plone="http://namespaces.plone.org/plone"
           xmlns:zcml="http://namespaces.zope.org/zcml"
           i18n_domain="refreshkinds">
  <browser:page name="refreshkinds-report" for="*" class=".views.Report"
                permission="zope2.View" />
  {body}
</configure>
'''
FILES = {
    'refreshdemo/__init__.py': '',
    'refreshdemo/refresh.txt': 'A plain Plone add-on.\n',
    'refreshdemo/configure.zcml': ZCML_VIEW.format(
        name='refreshdemo', module='views', cls='DemoView'),
    'refreshdemo/views.py': VIEW,
    'refreshdemo/helper.py': HELPER,
    'refreshdemo-1.0.dist-info/METADATA':
        'Metadata-Version: 2.1\nName: refreshdemo\n'
        'Version: 1.0\n',
    'refreshdemo-1.0.dist-info/entry_points.txt':
        '[z3c.autoinclude.plugin]\ntarget = plone\n',
    'refreshkinds/__init__.py': '',
    'refreshkinds/refresh.txt': '',
    'refreshkinds/views.py': KINDS_VIEWS,
    'refreshkinds/configure.zcml': KINDS_ZCML.replace(
        '{body}', ''),
    'refreshkinds/one.pt': '<p>one</p>\n',
    'refreshkinds/two.pt': '<p>two</p>\n',
    'refreshkinds/skins/kinds_one/one.txt': 'one\n',
    'refreshkinds/skins/kinds_two/two.txt': 'two\n',
    'refreshkinds-1.0.dist-info/METADATA':
        'Metadata-Version: 2.1\nName: refreshkinds\n'
        'Version: 1.0\n',
    'refreshkinds-1.0.dist-info/entry_points.txt':
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


def package_folder(name):
    """The folder of the installed package `name`."""
    spec = importlib.util.find_spec(name)
    return os.path.dirname(spec.origin)


@contextlib.contextmanager
def opted_in(name):
    """The installed package `name` with a refresh.txt, for as long as the
    block runs (one it shipped stays)."""
    refresh_txt = os.path.join(package_folder(name), 'refresh.txt')
    created = not os.path.exists(refresh_txt)
    with open(refresh_txt, 'a'):
        pass
    try:
        yield
    finally:
        if created:
            os.remove(refresh_txt)
