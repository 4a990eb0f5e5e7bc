"""A refresh that fails changes nothing: old code serves, settings stay,
Zope's registrations stay, and fixing the file makes the next one work."""
import sys
import textwrap

import pytest
import Products

from ..conftest import THING_PRODUCT
from ..conftest import post
from ..conftest import refresh


GOOD_CONTENT = textwrap.dedent(THING_PRODUCT['content.py'])

FAILURES = {
    'syntax error': ({'content.py': GOOD_CONTENT + '\ndef broken(:\n'},
                     'SyntaxError'),
    'import error': ({'content.py': 'from .missing import gone\n'
                      + GOOD_CONTENT}, 'ModuleNotFoundError'),
    'module-level exception': ({'content.py': GOOD_CONTENT
                                + '\nraise RuntimeError("boom")\n'},
                               'RuntimeError'),
    'initialize() exception': ({'__init__.py': '''
        from . import content, helper


        def initialize(context):
            context.registerClass(
                content.Thing, constructors=(content.manage_addThing,))
            raise ValueError('initialize failed')
    ''', 'helper.py': 'HELPING = True\n'}, 'ValueError'),
}


def state_of(product):
    modules = {name: (sys.modules[name], dict(vars(sys.modules[name])))
               for name in product.loaded()}
    registered = [info for info in Products.meta_types
                  if info['product'] == product.name]
    return modules, registered, getattr(Products, product.name)


@pytest.mark.parametrize('kind', sorted(FAILURES))
def test_failed_refresh_changes_nothing(zope, admin, installed, kind,
                                        refresh_mode):
    refresh_mode(admin, installed)
    files, error_type = FAILURES[kind]
    post(admin, installed.url + '/manage_enableAutoRefresh', {'enable': 'on'})
    before = state_of(installed)
    installed.write({'content.py': GOOD_CONTENT.replace(
        "'hello'", "'changed'")})
    installed.write(files)

    page = refresh(admin, installed, status=422)

    alert = page.html.select_one('.alert').text
    assert 'An exception occurred' in alert and error_type in alert
    assert 'Nothing was changed' in alert
    assert error_type in page.html.select_one('#traceback').text
    modules, registered, package = state_of(installed)
    assert modules == before[0]
    assert all(modules[n][0] is m for n, (m, _) in before[0].items())
    assert registered == before[1] and package is before[2]
    assert f'{installed.package}.helper' not in sys.modules
    assert admin.get(installed.obj_url + '/greet').text.startswith('hello')
    with zope.app() as app:
        assert app._p_jar.root()['RefreshData']['auto'][installed.name] == 1
    assert admin.get(installed.url + '/manage_refresh').html.select_one(
        '#enable').has_attr('checked')

    installed.write(THING_PRODUCT)
    installed.write({'content.py': GOOD_CONTENT.replace(
        "'hello'", "'fixed'")})
    refresh(admin, installed)
    assert admin.get(installed.obj_url + '/greet').text.startswith('fixed')


def test_failure_is_logged_with_its_traceback(admin, installed, caplog):
    installed.write({'content.py': GOOD_CONTENT + '\n1 / 0\n'})
    with caplog.at_level('ERROR', logger='Products.RefreshManager'):
        refresh(admin, installed, status=422)
    [record] = [r for r in caplog.records
                if r.name == 'Products.RefreshManager']
    assert installed.package in record.getMessage()
    assert record.exc_info[0] is ZeroDivisionError
