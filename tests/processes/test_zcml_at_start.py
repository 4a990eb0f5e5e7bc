"""A product whose ZCML Zope loaded at its start, through a real runwsgi
over HTTP: what its directives filed without their place (a mailer, a
TALES expression type) goes at its first Refresh code and ZCML once the
ZCML no longer makes it, a class's security follows its ``<require>``,
and an ``<implements>`` taken out asks for a restart."""
import os

import pytest

from ..packages import write_files
from ..server import ZopeServer


PRODUCT = '/Control_Panel/Products/StartZcml'
VIEWS = '''\
from Products.Five import BrowserView
from zope.component import queryUtility
from zope.interface import Interface
from zope.sendmail.interfaces import IMailer


class IMarker(Interface):
    """What the class directive declares."""


class Thing:
    size = 3


class Expression:
    def __init__(self, name, expression, engine):
        self.text = expression

    def __call__(self, econtext):
        return self.text


class Report(BrowserView):
    """What the product's ZCML filed without its place."""

    def __call__(self):
        from zope.browserpage.metaconfigure import Engine
        mailer = queryUtility(IMailer, 'startzcml')
        roles = getattr(Thing, 'size__roles__', None)
        return (f'mailer={getattr(mailer, "port", None)} '
                f'type={"startzcml" in Engine.types} '
                f'size={getattr(roles, "__name__", None)} '
                f'marker={IMarker.implementedBy(Thing)}')
'''
ZCML = '''\
<configure xmlns="http://namespaces.zope.org/zope"
           xmlns:browser="http://namespaces.zope.org/browser"
           xmlns:mail="http://namespaces.zope.org/mail"
           xmlns:meta="http://namespaces.zope.org/meta"
           xmlns:tales="http://namespaces.zope.org/tales">
  <include package="zope.sendmail" file="meta.zcml" />
  <meta:directive namespace="http://namespaces.zope.org/tales"
      name="expressiontype"
      schema="zope.browserpage.metadirectives.IExpressionTypeDirective"
      handler="zope.browserpage.metaconfigure.expressiontype" />
  <browser:page for="*" name="startzcml-report" class=".views.Report"
                permission="zope2.View" />
  <class class=".views.Thing">
    <implements interface=".views.IMarker" />
    <require permission="PERMISSION" attributes="size" />
  </class>
  MORE
</configure>
'''
PLACELESS = '''
  <mail:smtpMailer name="startzcml" port="2525" />
  <tales:expressiontype name="startzcml" handler=".views.Expression" />
'''


def zcml(more, permission='zope2.View'):
    return ZCML.replace('MORE', more).replace('PERMISSION', permission)


@pytest.fixture(scope='module')
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp('startzcml')
    server = ZopeServer(home / 'instance')
    server.product = os.path.join(server.demo, 'Products', 'StartZcml')
    write_files(server.product, {'refresh.txt': '', '__init__.py': '',
                                 'views.py': VIEWS,
                                 'configure.zcml': zcml(PLACELESS)})
    server.start()
    yield server
    server.stop()


def reload(server, text):
    write_files(server.product, {'configure.zcml': text})
    return server.request(PRODUCT + '/manage_performRefresh', {'zcml': 'on'})


def test_what_start_filed_without_its_place_goes_at_the_first_reload(
        server):
    assert server.request('/@@startzcml-report') == (
        200, 'mailer=2525 type=True size=View marker=True')
    status, body = reload(server, zcml('', 'zope2.ViewManagementScreens'))
    assert status == 200 and 'ZCML of StartZcml reloaded: ' in body, body
    assert server.request('/@@startzcml-report') == (
        200, 'mailer=None type=False size=View management screens '
        'marker=True')
    # And back, changed: made once, under the new values.
    status, body = reload(server, zcml(PLACELESS.replace('2525', '2526')))
    assert status == 200, body
    assert server.request('/@@startzcml-report') == (
        200, 'mailer=2526 type=True size=View marker=True')
    assert 'Conflicting' not in server.log_text()


def test_an_interface_taken_out_asks_for_a_restart(server):
    status, body = reload(server, zcml('').replace(
        '<implements interface=".views.IMarker" />', ''))
    assert status == 422 and 'views.Thing keeps implementing ' \
        'Products.StartZcml.views.IMarker' in body, body
    assert 'Restart Zope to load it' in body, body
    assert server.request('/@@startzcml-report')[1].endswith('marker=True')
