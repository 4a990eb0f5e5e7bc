"""Refresh code and ZCML on the real Zope, for the directives whose
actions call something other than zope.component's handler: each one is
reloaded for its package alone, made once however often it runs, changed
when its ZCML changes, and put back when a later part of the file is
broken. (The directives of Plone's stack are tested in the Plone site,
tests_plone/test_zcml_kinds.py.)"""
import os

import pytest
from zope.component import getGlobalSiteManager
from zope.component import queryUtility

from .test_zcml import refresh_zcml
from .test_zcml import registrations


VIEWS = '''
    from Products.Five import BrowserView
    from zope.interface import Interface


    class IMarker(Interface):
        """What a class directive declares."""


    class Thing:
        title = 'a thing'
        size = 3


    class Hello(BrowserView):
        def __call__(self):
            return 'hello'


    class Expression:
        def __init__(self, name, expression, engine):
            self.text = expression

        def __call__(self, econtext):
            return 'one:' + self.text


    class OtherExpression(Expression):
        def __call__(self, econtext):
            return 'two:' + self.text
'''

TEMPLATE = '''
    <configure xmlns="http://namespaces.zope.org/zope"
               xmlns:browser="http://namespaces.zope.org/browser"
               xmlns:five="http://namespaces.zope.org/five"
               xmlns:mail="http://namespaces.zope.org/mail"
               xmlns:meta="http://namespaces.zope.org/meta"
               xmlns:tales="http://namespaces.zope.org/tales"
               i18n_domain="kinds">
      <include package="zope.sendmail" file="meta.zcml" />
      <meta:directive namespace="http://namespaces.zope.org/tales"
          name="expressiontype"
          schema="zope.browserpage.metadirectives.IExpressionTypeDirective"
          handler="zope.browserpage.metaconfigure.expressiontype" />
      {body}
    </configure>
'''
BROKEN = '<browser:nosuch />'


@pytest.fixture
def product(make_product):
    product = make_product({'refresh.txt': '', '__init__.py': '',
                            'views.py': VIEWS}, prefix='Kinds')

    def write(body):
        product.write({'configure.zcml': TEMPLATE.replace('{body}', body)
                       .replace('{name}', product.name)})

    product.write_zcml = write
    return product


def reloaded_alone(admin, product, status=200):
    page = refresh_zcml(admin, product, status=status)
    if status == 200:
        assert f'ZCML of {product.name} reloaded: ' in page.text, \
            page.html.select_one('.alert').text
    return page


def test_a_tales_expression_type_is_registered_again(admin, product):
    from zope.browserpage.metaconfigure import Engine
    from zope.browserpage.metaconfigure import TrustedEngine
    name = product.name.lower()
    directive = (f'<tales:expressiontype name="{name}" '
                 'handler=".views.{kind}" />')
    for kind in ('Expression', 'Expression', 'OtherExpression'):
        product.write_zcml(directive.replace('{kind}', kind))
        reloaded_alone(admin, product)
        for engine in (Engine, TrustedEngine):
            assert engine.types[name].__name__ == kind
    # A broken file later on keeps the registered type.
    product.write_zcml(directive.replace('{kind}', 'Expression') + BROKEN)
    reloaded_alone(admin, product, status=422)
    assert Engine.types[name].__name__ == 'OtherExpression'
    # Taken out, it goes.
    product.write_zcml('')
    reloaded_alone(admin, product)
    assert name not in Engine.types and name not in TrustedEngine.types


def test_a_mailer_follows_its_zcml(admin, product):
    from zope.sendmail.interfaces import IMailer
    name = product.name
    directive = f'<mail:smtpMailer name="{name}" port="{{port}}" />'
    for port in (2525, 2526, 2526):
        product.write_zcml(directive.replace('{port}', str(port)))
        reloaded_alone(admin, product)
        assert queryUtility(IMailer, name).port == port
    product.write_zcml(directive.replace('{port}', '9') + BROKEN)
    reloaded_alone(admin, product, status=422)
    assert queryUtility(IMailer, name).port == 2526
    product.write_zcml('')
    reloaded_alone(admin, product)
    assert queryUtility(IMailer, name) is None


def test_an_add_menu_item_is_made_once(admin, product):
    product.write_zcml('''
        <browser:menu id="menu_{name}" title="Add {name}" />
        <browser:addMenuItem class=".views.Hello" title="A {name}"
            menu="menu_{name}" permission="zope2.View" />''')
    reloaded_alone(admin, product)
    everything = registrations()
    for _ in range(3):
        reloaded_alone(admin, product)
    assert len(registrations()) == len(everything)
    product.write_zcml('''
        <browser:menu id="menu_{name}" title="Add {name}" />
        <browser:addMenuItem class=".views.Hello" title="B {name}"
            menu="menu_{name}" permission="zope2.View" />''')
    reloaded_alone(admin, product)
    assert len(registrations()) == len(everything)
    titles = {getattr(registration.factory, 'kwargs', {}).get('title')
              for registration in getGlobalSiteManager().registeredAdapters()}
    assert f'B {product.name}' in titles and f'A {product.name}' not in titles


def test_pages_from_a_directory_come_change_and_go(admin, product):
    product.write({'pages/first.pt': '<p>first one</p>\n'})
    product.write_zcml('<five:pagesFromDirectory for="*" module=".views" '
                       'directory="pages" permission="zope2.View" />')
    reloaded_alone(admin, product)
    assert admin.get('/@@first').text.strip() == '<p>first one</p>'
    product.write({'pages/second.pt': '<p>second one</p>\n'})
    reloaded_alone(admin, product)
    assert admin.get('/@@second').text.strip() == '<p>second one</p>'
    import os
    os.remove(os.path.join(product.folder, 'pages', 'first.pt'))
    reloaded_alone(admin, product)
    admin.get('/@@first', status=404)


PAGE = ('<browser:page for="*" name="shared-{name}" class="{view}" '
        'permission="zope2.View" />')


def test_another_packages_registration_under_the_same_key_conflicts(
        admin, make_product, product):
    other = make_product({'refresh.txt': '', '__init__.py': '',
                          'views.py': VIEWS}, prefix='Other')
    page = PAGE.replace('{name}', product.name)
    other.write({'configure.zcml': TEMPLATE.replace('{body}', page.replace(
        '{view}', '.views.Hello'))})
    refresh_zcml(admin, other)
    everything = registrations()
    product.write_zcml(page.replace('{view}', '.views.Hello'))
    alert = reloaded_alone(admin, product, status=422).html.select_one(
        '.alert').text
    assert 'conflicts with the one at' in alert
    assert other.folder in alert and 'as a restart would report' in alert
    assert registrations() == everything


def test_an_overrides_zcml_keeps_winning(admin, make_product, product):
    """A package whose overrides.zcml replaced a view of the refreshed
    package keeps it; the refreshed package's own overrides win over
    others."""
    theme = make_product({'refresh.txt': '', '__init__.py': '',
                          'views.py': VIEWS.replace("'hello'", "'themed'")},
                         prefix='Theme')
    page = PAGE.replace('{name}', product.name)
    product.write_zcml(page.replace('{view}', '.views.Hello'))
    reloaded_alone(admin, product)
    assert admin.get(f'/@@shared-{product.name}').text == 'hello'
    theme.write({
        'configure.zcml': TEMPLATE.replace(
            '{body}', '<includeOverrides file="overrides.zcml" />'),
        'overrides.zcml': TEMPLATE.replace(
            '{body}', page.replace('{view}', '.views.Hello'))})
    reloaded_alone(admin, theme)
    assert admin.get(f'/@@shared-{product.name}').text == 'themed'
    for _ in range(2):
        reloaded_alone(admin, product)
        assert admin.get(f'/@@shared-{product.name}').text == 'themed'


CLASS = '''
    <class class=".views.Thing">
      {implements}
      <require permission="{permission}" attributes="title {more}" />
    </class>
    <browser:page for="*" name="{page}-{name}" class=".views.Hello"
                  permission="zope2.View" />
'''


def class_directive(implements=True, permission='zope2.View', more='size',
                    page='one'):
    return CLASS.format(
        implements='<implements interface=".views.IMarker" />'
        if implements else '', permission=permission, more=more, page=page,
        name='{name}')


def test_class_security_follows_its_zcml(admin, product, caplog):
    views = __import__(f'Products.{product.name}.views', fromlist=['_'])
    thing = views.Thing
    product.write_zcml(class_directive())
    reloaded_alone(admin, product)
    assert thing.size__roles__.__name__ == 'View'
    # A changed permission replaces the old one (which used to win, with
    # "Conflicting security declarations" in the log).
    managers = 'zope2.ViewManagementScreens'
    product.write_zcml(class_directive(permission=managers))
    reloaded_alone(admin, product)
    assert thing.size__roles__.__name__ == 'View management screens'
    assert thing.title__roles__.__name__ == 'View management screens'
    # A name taken out of the require has no roles any more, as after a
    # restart; a broken file later on puts them back as they were.
    product.write_zcml(class_directive(more=''))
    reloaded_alone(admin, product)
    assert not hasattr(thing, 'size__roles__')
    assert thing.title__roles__.__name__ == 'View'
    assert [names for _perm, names, *_ in thing.__ac_permissions__
            if names] == [('title',)]
    product.write_zcml(class_directive(permission=managers) + BROKEN)
    reloaded_alone(admin, product, status=422)
    assert not hasattr(thing, 'size__roles__')
    assert thing.title__roles__.__name__ == 'View'
    assert 'Conflicting security declarations' not in caplog.text


def test_an_interface_taken_out_asks_for_a_restart(admin, product):
    views = __import__(f'Products.{product.name}.views', fromlist=['_'])
    product.write_zcml(class_directive())
    reloaded_alone(admin, product)
    assert views.IMarker.implementedBy(views.Thing)
    admin.get(f'/@@one-{product.name}')
    with open(os.path.join(product.folder, 'configure.zcml')) as written:
        line = next(number for number, text in enumerate(written, 1)
                    if '<implements ' in text)
    # Refused with its place, and nothing else in the same edit is made:
    # the page keeps its name.
    product.write_zcml(class_directive(implements=False, page='two'))
    page = refresh_zcml(admin, product, status=422)
    alert = ' '.join(page.html.select_one('.alert').text.split())
    assert f'{product.name}.views.Thing keeps implementing ' \
        f'Products.{product.name}.views.IMarker (' in alert, alert
    assert f'configure.zcml, line {line} before the edit). Restart Zope ' \
        'to load it' in alert, alert
    admin.get(f'/@@one-{product.name}')
    admin.get(f'/@@two-{product.name}', status=404)
    assert views.IMarker.implementedBy(views.Thing)
    # Declared again, the rest of the edit loads.
    product.write_zcml(class_directive(page='two'))
    reloaded_alone(admin, product)
    admin.get(f'/@@two-{product.name}')
