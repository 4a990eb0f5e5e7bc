"""Refresh code and ZCML on the real Zope: a product's registrations are
taken out and made again from its edited ZCML, other packages' stay
exactly as they were, and a broken ZCML file changes nothing."""
import os
import re

import pytest
from zope.component import getGlobalSiteManager

from Products.RefreshManager import autorefresh
from Products.RefreshManager import state

from ..conftest import post
from ..notice.test_autorefresh import wait_until


VIEWS = '''
    from Products.Five import BrowserView
    from zope.interface import Interface


    class IEvents(Interface):
        """What the subscribers are told."""


    FIRED = []


    class Hello(BrowserView):
        def __call__(self):
            return 'hello v1'


    class Other(BrowserView):
        def __call__(self):
            return 'other v1'


    def subscriber(event):
        FIRED.append(event)
'''

ZCML = '''
    <configure xmlns="http://namespaces.zope.org/zope"
               xmlns:browser="http://namespaces.zope.org/browser">
      <browser:page for="*" name="hello-{name}" class=".views.Hello"
                    permission="zope2.View" />
      <subscriber for=".views.IEvents" handler=".views.subscriber" />
      {more}
    </configure>
'''

PRODUCT = {
    'refresh.txt': '',
    '__init__.py': '''
        from . import views
    ''',
    'views.py': VIEWS,
}


def zcml(product, more=''):
    return ZCML.replace('{name}', product.name).replace('{more}', more)


def refresh_zcml(browser, product, status=200):
    return post(browser, product.url + '/manage_performRefresh',
                {'zcml': 'on'}, status=status)


def registrations(folder=None):
    """Every registration of the global registry as comparable tuples;
    those made by files under `folder` left out."""
    registry = getGlobalSiteManager()

    def ours(info):
        return folder and str(getattr(info, 'file', '')).startswith(folder)

    found = set()
    for reg in registry.registeredUtilities():
        if not ours(reg.info):
            found.add(('utility', reg.provided, reg.name, id(reg.component)))
    for reg in registry.registeredAdapters():
        if not ours(reg.info):
            found.add(('adapter', reg.required, reg.provided, reg.name,
                       id(reg.factory)))
    for reg in registry.registeredSubscriptionAdapters():
        if not ours(reg.info):
            found.add(('subscription', reg.required, reg.provided,
                       id(reg.factory)))
    for reg in registry.registeredHandlers():
        if not ours(reg.info):
            found.add(('handler', reg.required, id(reg.handler)))
    return found


def keys(found):
    """Registrations without the identity of what is registered."""
    return {registration[:-1] for registration in found}


def fire(product):
    import sys
    from zope.event import notify
    from zope.interface import alsoProvides
    views = sys.modules[product.package + '.views']

    class Event:
        pass

    event = Event()
    alsoProvides(event, views.IEvents)
    before = len(views.FIRED)
    notify(event)
    return len(views.FIRED) - before


@pytest.fixture
def product(make_product, admin):
    product = make_product(PRODUCT, prefix='Zcml')
    product.write({'configure.zcml': zcml(product)})
    page = refresh_zcml(admin, product)
    assert f'ZCML of {product.name} reloaded: 0 registrations taken out' \
        in page.text
    return product


def test_views_come_change_and_go(zope, admin, product):
    assert admin.get(f'/@@hello-{product.name}').text == 'hello v1'
    admin.get(f'/@@other-{product.name}', status=404)

    product.write({'configure.zcml': zcml(product, f'''
        <browser:page for="*" name="other-{product.name}"
                      class=".views.Other" permission="zope2.View" />''')})
    refresh_zcml(admin, product)
    assert admin.get(f'/@@other-{product.name}').text == 'other v1'

    # A changed view: another class, and a permission anonymous users
    # lack (the page was public before).
    product.write({'configure.zcml': zcml(product).replace(
        'class=".views.Hello"\n                    permission="zope2.View"',
        'class=".views.Other"\n                    '
        'permission="zope2.ViewManagementScreens"')})
    refresh_zcml(admin, product)
    assert admin.get(f'/@@hello-{product.name}').text == 'other v1'
    zope.browser(None).get(f'/@@hello-{product.name}', status=401)
    admin.get(f'/@@other-{product.name}', status=404)


def test_a_removed_subscriber_stops_firing(admin, product):
    assert fire(product) == 1
    product.write({'configure.zcml': zcml(product).replace(
        '<subscriber for=".views.IEvents" handler=".views.subscriber" />',
        '')})
    page = refresh_zcml(admin, product)
    assert '2 registrations taken out, 1 made' in page.html.select_one(
        '.alert').text, page.html.select_one('.alert').text
    assert fire(product) == 0


def test_other_packages_registrations_stay_exactly(admin, product):
    others = registrations(product.folder)
    product.write({'configure.zcml': zcml(product, f'''
        <browser:page for="*" name="other-{product.name}"
                      class=".views.Other" permission="zope2.View" />''')})
    refresh_zcml(admin, product)
    assert registrations(product.folder) == others
    for _ in range(3):
        refresh_zcml(admin, product)
    assert registrations(product.folder) == others


@pytest.mark.parametrize('broken, shown', [
    ('<browser:page for="*" name="x" class=".views.Missing" '
     'permission="zope2.View" />', 'Missing'),
    ('<browser:nosuchdirective />', 'nosuchdirective'),
    ('<browser:page for="*" name="x" class=".views.Hello" '
     'permission="zope2.View" template="missing.pt" />', 'missing.pt'),
    ('<unclosed>', 'configure.zcml'),
])
def test_broken_zcml_changes_nothing(admin, product, broken, shown):
    everything = registrations()
    product.write({'configure.zcml': zcml(product, broken)})
    page = refresh_zcml(admin, product, status=422)
    assert 'Nothing was changed' in page.text
    assert 'configure.zcml' in page.text and shown in page.text
    assert registrations() == everything
    assert admin.get(f'/@@hello-{product.name}').text == 'hello v1'
    assert fire(product) == 1

    product.write({'configure.zcml': zcml(product)})
    refresh_zcml(admin, product)
    assert admin.get(f'/@@hello-{product.name}').text == 'hello v1'
    assert fire(product) == 1


def test_code_only_refresh_leaves_the_configuration(admin, product):
    product.write({'configure.zcml': zcml(product, f'''
        <browser:page for="*" name="other-{product.name}"
                      class=".views.Other" permission="zope2.View" />''')})
    product.write({'views.py': VIEWS.replace('hello v1', 'hello v2')})
    page = post(admin, product.url + '/manage_performRefresh')
    assert 'ZCML' not in page.html.select_one('.alert').text
    admin.get(f'/@@other-{product.name}', status=404)
    assert admin.get(f'/@@hello-{product.name}').text == 'hello v2'


def test_a_zcml_save_is_auto_refreshed(admin, product):
    assert autorefresh.config.active and autorefresh.watcher is not None
    post(admin, product.url + '/manage_enableAutoRefresh', {'enable': 'on'})
    # The new product is watched once the watcher saw its refresh.txt.
    wait_until(lambda: any(path.startswith(product.folder)
                           for path in autorefresh.watcher.files))
    assert autorefresh.watcher.ready.wait(5)
    admin.get('/')  # a refresh for opting in, if it is still pending
    product.write({'configure.zcml': zcml(product, f'''
        <browser:page for="*" name="other-{product.name}"
                      class=".views.Other" permission="zope2.View" />''')})
    wait_until(lambda: product.name in state.zcml_changes.marked()
               and product.name in state.changes.marked())
    assert admin.get(f'/@@other-{product.name}').text == 'other v1'
    assert product.name not in state.zcml_changes.marked()


EVERY_DIRECTIVE = '''
    <configure xmlns="http://namespaces.zope.org/zope"
               xmlns:browser="http://namespaces.zope.org/browser"
               i18n_domain="test">
      <permission id="{name}.Use" title="{name}: Use" />
      <class class=".content.Item">
        <require permission="zope2.View" attributes="title" />
      </class>
      <utility component=".content.THE_UTILITY" name="{name}"
               provides=".content.IThing" />
      <adapter factory=".content.Adapter" for="OFS.interfaces.IItem"
               provides=".content.IThing" name="{name}" />
      <browser:resource name="{name}.txt" file="refresh.txt" />
      <browser:page for="*" name="use-{name}" class=".content.View"
                    permission="{name}.Use" />
    </configure>
'''

EVERY_DIRECTIVE_PRODUCT = {
    'refresh.txt': 'a resource too\n',
    '__init__.py': 'from . import content\n',
    'content.py': '''
        from OFS.SimpleItem import SimpleItem
        from Products.Five import BrowserView
        from zope.interface import Interface, implementer


        class IThing(Interface):
            pass


        @implementer(IThing)
        class Thing:
            pass


        THE_UTILITY = Thing()


        class Item(SimpleItem):
            title = 'an item'


        @implementer(IThing)
        class Adapter:
            def __init__(self, context):
                self.context = context


        class View(BrowserView):
            def __call__(self):
                return 'used'
    ''',
}


def test_every_common_directive_reloads_cleanly(admin, make_product,
                                                caplog):
    product = make_product(EVERY_DIRECTIVE_PRODUCT, prefix='Every')
    product.write({'configure.zcml': EVERY_DIRECTIVE.replace(
        '{name}', product.name)})
    refresh_zcml(admin, product)
    everything = registrations()
    assert admin.get(f'/@@use-{product.name}').text == 'used'
    assert admin.get(f'/++resource++{product.name}.txt').text == \
        'a resource too\n'
    caplog.clear()
    for _ in range(5):
        page = refresh_zcml(admin, product)
        assert 'Product refreshed.' in page.text
    # The same registrations (of new view classes), none twice.
    assert keys(registrations()) == keys(everything)
    assert len(registrations()) == len(everything)
    assert admin.get(f'/@@use-{product.name}').text == 'used'
    assert [r.getMessage() for r in caplog.records
            if r.levelname == 'WARNING'] == []


PROFILE_ZCML = '''
    <configure xmlns="http://namespaces.zope.org/zope"
               xmlns:genericsetup="http://namespaces.zope.org/genericsetup"
               i18n_domain="test">
      <genericsetup:registerProfile
          name="default" title="{title}" directory="profiles/default"
          provides="Products.GenericSetup.interfaces.EXTENSION" />
    </configure>
'''


def test_a_genericsetup_profile_is_registered_again(admin, make_product):
    from Products.GenericSetup.registry import _profile_registry
    product = make_product({'refresh.txt': '', '__init__.py': '',
                            'profiles/default/metadata.xml':
                                '<metadata><version>1</version></metadata>'},
                           prefix='Profile')
    profile_id = f'{product.package}:default'
    for title in ('First', 'Second', 'Second'):
        product.write({'configure.zcml': PROFILE_ZCML.replace(
            '{title}', title)})
        page = refresh_zcml(admin, product)
        assert 'Product refreshed.' in page.text
        assert _profile_registry.getProfileInfo(profile_id)['title'] == title
    assert _profile_registry.listProfiles().count(profile_id) == 1

    # A broken file keeps the registered profile.
    product.write({'configure.zcml': PROFILE_ZCML.replace(
        'interfaces.EXTENSION', 'interfaces.NO_SUCH_TYPE')})
    refresh_zcml(admin, product, status=422)
    assert _profile_registry.getProfileInfo(profile_id)['title'] == 'Second'


# Two directives of the product's own making: one only registers a
# utility (through zope.component's handler), the other calls a function
# whose effect nobody can know.
DIRECTIVES = {
    'directives.py': '''
        from zope.component.zcml import utility
        from zope.interface import Interface
        from zope.schema import TextLine


        class IName(Interface):
            name = TextLine(title='name')


        NAMES = []


        def remember(name):
            NAMES.append(name)


        def named(_context, name):
            utility(_context, provides=IName, component=IName, name=name)


        def remembered(_context, name):
            _context.action(discriminator=('remembered', name),
                            callable=remember, args=(name,))
    ''',
    'meta.zcml': '''
        <configure xmlns="http://namespaces.zope.org/zope"
                   xmlns:meta="http://namespaces.zope.org/meta">
          <meta:directive namespace="urn:x" name="named"
              schema=".directives.IName" handler=".directives.named" />
          <meta:directive namespace="urn:x" name="remembered"
              schema=".directives.IName" handler=".directives.remembered" />
        </configure>''',
}


def own_directives(product, uses):
    return zcml(product, '<include file="meta.zcml" />' + uses).replace(
        '<configure ', '<configure xmlns:x="urn:x" ')


def named(name):
    from zope.component import queryUtility
    from zope.interface import Interface
    return queryUtility(Interface, name) is not None or any(
        registration.name == name for registration
        in getGlobalSiteManager().registeredUtilities())


def test_a_new_directive_that_only_registers_is_reloaded_alone(
        admin, product):
    product.write(DIRECTIVES)
    product.write({'configure.zcml': own_directives(
        product, f'<x:named name="a-{product.name}" />')})
    page = refresh_zcml(admin, product)
    assert f'ZCML of {product.name} reloaded: ' in page.text
    assert named(f'a-{product.name}')
    product.write({'configure.zcml': own_directives(
        product, f'<x:named name="b-{product.name}" />')})
    page = refresh_zcml(admin, product)
    assert '3 registrations taken out, 3 made' in page.text
    assert named(f'b-{product.name}') and not named(f'a-{product.name}')


def test_a_directive_that_cannot_be_undone_reloads_the_whole_site(
        admin, product, caplog):
    caplog.set_level('INFO', logger='Products.RefreshManager')
    product.write(DIRECTIVES)
    product.write({'configure.zcml': own_directives(product, '''
        <x:named name="kept" />
        <x:remembered name="one" />
        <x:remembered name="two" />''')})
    page = refresh_zcml(admin, product)
    alert = ' '.join(page.html.select_one('.alert').text.split())
    assert 'reloaded with the whole site configuration, since urn:x ' \
        'remembered (' in alert, alert
    assert 'configure.zcml, line 9) and 1 other directive cannot be ' \
        f'undone for {product.name} alone' in alert, alert
    # Its counts are the site's: registrations and files alike.
    from Zope2.App import zcml as site
    files = int(re.search(r'made, from (\d+) files', alert).group(1))
    assert files == len(site._context._seen_files) > 10, alert
    # The tab and the log list both.
    tab = admin.get(f'{product.url}/manage_refresh').html
    listed = [li.text for li in tab.select('#whole-site-for li')]
    assert [line.split(' (')[0] for line in listed] == [
        'urn:x remembered', 'urn:x remembered']
    assert sum('not undoable alone: urn:x remembered' in r.getMessage()
               for r in caplog.records) == 2
    everything = registrations()
    assert admin.get(f'/@@hello-{product.name}').text == 'hello v1'
    assert fire(product) == 1
    for _ in range(2):
        refresh_zcml(admin, product)
    # Each registration made once again (with new view classes), none
    # twice; other packages' pages still served.
    assert keys(registrations()) == keys(everything)
    assert len(registrations()) == len(everything)
    assert fire(product) == 1
    assert admin.get('/manage_main').status_int == 200

    # A failure puts every registration back, the very same objects.
    product.write({'configure.zcml': own_directives(
        product, '<x:remembered name="one" /><browser:nosuch />')})
    everything = registrations()
    refresh_zcml(admin, product, status=422)
    assert registrations() == everything
    assert admin.get(f'/@@hello-{product.name}').text == 'hello v1'


def test_a_directive_that_patches_code_is_refused(admin, product):
    everything = registrations()
    product.write({'configure.zcml': zcml(product).replace(
        '<configure ', '<configure xmlns:monkey='
        '"http://namespaces.plone.org/monkey" ').replace(
        '{more}', '').replace(
        '</configure>', '<include package="collective.monkeypatcher" />'
        '<monkey:patch class="OFS.SimpleItem.Item" '
        'original="title" replacement=".views.Hello" /></configure>')})
    page = refresh_zcml(admin, product, status=422)
    alert = page.html.select_one('.alert').text
    assert 'patch code a second time' in alert and 'monkey:patch' in alert, \
        alert
    assert registrations() == everything
    from OFS.SimpleItem import Item
    assert not hasattr(Item.title, '__func__') and Item.title == ''
    # Only a restart loads it: the tab offers one, with the reason.
    tab = admin.get(f'{product.url}/manage_refresh').html
    offer = ' '.join(tab.select_one('#restart-form').text.split())
    assert 'its last refresh: Its ZCML uses directives that would patch ' \
        'code a second time' in offer


def test_a_later_failure_takes_the_new_zcml_back(admin, product):
    everything = registrations()
    product.write({
        'configure.zcml': zcml(product, f'''
            <browser:page for="*" name="other-{product.name}"
                          class=".views.Other" permission="zope2.View" />'''),
        '__init__.py': '''
            from . import views


            def initialize(context):
                raise RuntimeError('initialize failed after the ZCML')
        '''})
    page = refresh_zcml(admin, product, status=422)
    assert 'initialize failed after the ZCML' in page.text
    assert registrations() == everything
    admin.get(f'/@@other-{product.name}', status=404)
    assert admin.get(f'/@@hello-{product.name}').text == 'hello v1'


@pytest.mark.parametrize('value', ['maybe', '2'])
def test_a_zcml_value_that_is_not_a_switch_is_refused(admin, product, value):
    everything = registrations()
    product.write({'configure.zcml': zcml(product, f'''
        <browser:page for="*" name="other-{product.name}"
                      class=".views.Other" permission="zope2.View" />''')})
    page = post(admin, product.url + '/manage_performRefresh',
                {'zcml': value}, status=400)
    assert 'zcml must be one of on, 1, true, yes (on)' in page.text
    assert registrations() == everything


def mo_file(translation):
    """A compiled message catalog translating 'hello'."""
    import io
    from pythongettext.msgfmt import Msgfmt
    po = ('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
          f'msgid "hello"\nmsgstr "{translation}"\n').encode()
    return Msgfmt(io.BytesIO(po), name='test').get()


I18N_AND_UPGRADES = '''
    <configure xmlns="http://namespaces.zope.org/zope"
               xmlns:i18n="http://namespaces.zope.org/i18n"
               xmlns:genericsetup="http://namespaces.zope.org/genericsetup"
               i18n_domain="{name}">
      <i18n:registerTranslations directory="locales" />
      <genericsetup:registerProfile
          name="default" title="Profile" directory="profiles/default"
          provides="Products.GenericSetup.interfaces.EXTENSION" />
      <genericsetup:upgradeSteps source="1" destination="2"
                                 profile="{package}:default">
        <genericsetup:upgradeStep title="{step}" handler=".upgrade" />
      </genericsetup:upgradeSteps>
    </configure>
'''


def test_translations_and_upgrade_steps_are_registered_once(admin,
                                                            make_product):
    from zope.i18n import translate
    product = make_product({'refresh.txt': '', '__init__.py':
                            'def upgrade(context):\n    pass\n',
                            'profiles/default/metadata.xml':
                                '<metadata><version>2</version></metadata>'},
                           prefix='Locales')
    mo = os.path.join(product.folder, 'locales', 'de', 'LC_MESSAGES',
                      f'{product.name}.mo')
    os.makedirs(os.path.dirname(mo))
    domain = product.name

    def configure(step, translation):
        with open(mo, 'wb') as out:
            out.write(mo_file(translation))
        product.write({'configure.zcml': I18N_AND_UPGRADES.replace(
            '{name}', product.name).replace(
            '{package}', product.package).replace('{step}', step)})

    def steps():
        from Products.GenericSetup.upgrade import _upgrade_registry
        found = _upgrade_registry.getUpgradeStepsForProfile(
            f'{product.package}:default')
        return [step.title for nested in found.values()
                for _id, step in nested]

    for step, translation in [('One', 'hallo'), ('Two', 'servus'),
                              ('Two', 'servus')]:
        configure(step, translation)
        page = refresh_zcml(admin, product)
        assert 'Product refreshed.' in page.text
        assert translate('hello', domain, target_language='de') == \
            translation
        assert steps() == [step]
    catalogs = registered_domain(domain)._catalogs['de']
    assert len(catalogs) == len(set(catalogs)) == 1

    product.write({'configure.zcml': I18N_AND_UPGRADES.replace(
        '{name}', product.name).replace('{package}', 'no.such:profile')
        .replace('handler=".upgrade"', 'handler=".missing"')})
    refresh_zcml(admin, product, status=422)
    assert translate('hello', domain, target_language='de') == 'servus'
    assert steps() == ['Two']


def registered_domain(name):
    from zope.component import getUtility
    from zope.i18n.interfaces import ITranslationDomain
    return getUtility(ITranslationDomain, name)


def test_directives_in_included_subpackages_are_reloaded(admin, product):
    import Products
    register_class = '''
        <configure xmlns="http://namespaces.zope.org/zope"
                   xmlns:five="http://namespaces.zope.org/five">
          <five:registerClass class="..views.Hello" meta_type="{meta_type}"
                              permission="zope2.View" />
        </configure>'''
    product.write({
        'browser/__init__.py': '',
        'browser/configure.zcml': register_class.replace(
            '{meta_type}', f'X{product.name}'),
        'configure.zcml': zcml(product, '<include package=".browser" />')})
    for _ in range(2):
        page = refresh_zcml(admin, product)
        assert f'ZCML of {product.name} reloaded: ' in page.text
    names = [info['name'] for info in Products.meta_types]
    assert names.count(f'X{product.name}') == 1
    from_zcml = [info['name'] for info in Products.meta_types
                 if info['product'] == 'OFS']
    assert len(from_zcml) == len(set(from_zcml))
    place = names.index(f'X{product.name}')

    # Renamed: the old name goes, the new one takes its place.
    product.write({'browser/configure.zcml': register_class.replace(
        '{meta_type}', f'Y{product.name}')})
    refresh_zcml(admin, product)
    names = [info['name'] for info in Products.meta_types]
    assert f'X{product.name}' not in names
    assert names.index(f'Y{product.name}') == place


def test_a_changed_template_is_served(admin, product):
    product.write({'one.pt': '<p>template one</p>\n',
                   'two.pt': '<p>template two</p>\n'})
    for template, text in (('one.pt', 'template one'),
                           ('two.pt', 'template two')):
        product.write({'configure.zcml': zcml(product, f'''
            <browser:page for="*" name="tpl-{product.name}"
                          template="{template}" permission="zope2.View" />
        ''')})
        refresh_zcml(admin, product)
        assert text in admin.get(f'/@@tpl-{product.name}').text


def test_dependents_zcml_follows_and_the_event_says_so(admin, product,
                                                      make_product):
    from Products.RefreshManager.interfaces import IProductRefreshedEvent
    dependent = make_product(PRODUCT, prefix='ZcmlDependent')
    dependent.write({'configure.zcml': zcml(dependent)})
    refresh_zcml(admin, dependent)
    post(admin, product.url + '/manage_selectDependentProducts',
         {'selections:list': dependent.name})
    dependent.write({'configure.zcml': zcml(dependent, f'''
        <browser:page for="*" name="other-{dependent.name}"
                      class=".views.Other" permission="zope2.View" />''')})
    events = []
    registry = getGlobalSiteManager()
    registry.registerHandler(events.append, (IProductRefreshedEvent,))
    try:
        page = refresh_zcml(admin, product)
        post(admin, product.url + '/manage_performRefresh')
    finally:
        registry.unregisterHandler(events.append, (IProductRefreshedEvent,))
    alert = page.html.select_one('.alert').text
    assert f'ZCML of {product.name} reloaded' in alert
    assert f'ZCML of {dependent.name} reloaded' in alert
    assert admin.get(f'/@@other-{dependent.name}').text == 'other v1'
    assert [(e.product, e.zcml) for e in events] == [
        (product.name, True), (dependent.name, True),
        (product.name, False), (dependent.name, False)]


SECURED_VIEWS = '''
    from Products.Five import BrowserView


    class Adding(BrowserView):
        def add(self):
            return 'added'
'''
SECURED_ZCML = '''
    <configure xmlns="http://namespaces.zope.org/zope"
               xmlns:browser="http://namespaces.zope.org/browser">
      <class class=".adding.Adding">
        <require permission="zope2.View" attributes="add" />
      </class>
      <browser:view for="OFS.interfaces.IFolder" name="adding-{name}"
                    class=".adding.Adding" allowed_attributes="add"
                    permission="zope2.ViewManagementScreens" />
    </configure>
'''


def test_a_view_keeps_its_own_permission_over_its_class(admin, make_product,
                                                         caplog):
    """Five copies the security a view's class has when the ZCML is read:
    read again, that includes what the ``class`` directive gave it, which
    met the view's own and won (and Zope logged the conflict)."""
    from OFS.Folder import Folder
    from zope.component import getMultiAdapter
    from zope.publisher.browser import TestRequest
    product = make_product({'refresh.txt': '', '__init__.py': '',
                            'adding.py': SECURED_VIEWS,
                            'configure.zcml': SECURED_ZCML}, prefix='Secured')
    caplog.set_level('WARNING')
    for _ in range(3):
        refresh_zcml(admin, product)
        view = type(getMultiAdapter((Folder('f'), TestRequest()),
                                    name=f'adding-{product.name}'))
        assert view.add__roles__.__name__ == 'View management screens', \
            view.add__roles__.__name__
    assert not [record for record in caplog.records
                if 'onflicting security' in record.getMessage()]
