"""Refresh code and ZCML on a real add-on from PyPI: collective.easyform
(plone/addons.txt) in the Plone site, opted in for the test. Its ZCML
uses z3c.form's widget templates, which the old list of directives sent
to a reload of the whole site configuration; a view added to its
``browser/configure.zcml`` now comes, changes and goes by a reload of
easyform alone, and a broken file changes nothing."""
import os
import re

import pytest

from .packages import opted_in
from .packages import package_folder
from .test_plone import get
from .test_plone import reload_zcml
from .test_plone import request
from .test_plone import wait_for


EASYFORM = 'collective.easyform'
PAGE = '''
  <browser:page name="refreshmanager-easyform" for="*"
                template="{template}" permission="zope2.View" />
</configure>'''
TEMPLATES = {'refreshmanager_one.pt': '<p>easyform page one</p>\n',
             'refreshmanager_two.pt': '<p>easyform page two</p>\n'}


@pytest.fixture
def easyform(plone):
    """easyform's browser/configure.zcml, writable: ``write(text)``; the
    original and the test's templates put back at the end."""
    browser = os.path.join(package_folder(EASYFORM), 'browser')
    zcml = os.path.join(browser, 'configure.zcml')
    with open(zcml) as source:
        original = source.read()
    for name, text in TEMPLATES.items():
        with open(os.path.join(browser, name), 'w') as out:
            out.write(text)

    def write(text):
        with open(zcml, 'w') as out:
            out.write(text)

    write.original = original
    with opted_in(EASYFORM):
        try:
            # Listed once the refresh.txt is seen (within a second).
            wait_for(plone, '/Control_Panel/Products/manage_main',
                     f'/{EASYFORM}/manage_refresh')
            yield write
        finally:
            write(original)
            reload_zcml(plone, EASYFORM)
            for name in TEMPLATES:
                os.remove(os.path.join(browser, name))


def counts(body):
    """(registrations taken out, made) that the reload reported."""
    found = re.search(r'(\d+) registrations? taken out, (\d+) made', body)
    return int(found.group(1)), int(found.group(2))


def with_page(original, template):
    return original.replace('</configure>', PAGE.replace(
        '{template}', template), 1)


def test_a_view_comes_changes_and_goes_with_easyform_alone(plone, easyform):
    assert request(plone, '/Plone/@@refreshmanager-easyform')[0] == 404
    easyform(with_page(easyform.original, 'refreshmanager_one.pt'))
    body = reload_zcml(plone, EASYFORM)
    assert f'ZCML of {EASYFORM} reloaded: ' in body, body
    assert 'whole site' not in body
    taken, made = counts(body)
    assert made > taken > 100  # easyform's own, and the page's
    assert 'easyform page one' in get(plone, '/Plone/@@refreshmanager-easyform')

    easyform(with_page(easyform.original, 'refreshmanager_two.pt'))
    assert f'ZCML of {EASYFORM} reloaded: ' in reload_zcml(plone, EASYFORM)
    assert 'easyform page two' in get(plone, '/Plone/@@refreshmanager-easyform')

    # A broken file: refused with its place, and nothing changed.
    easyform(with_page(easyform.original, 'refreshmanager_one.pt').replace(
        '</configure>', '<browser:page name="x" for="*" '
        'class=".view.NoSuchView" permission="zope2.View" /></configure>', 1))
    body = reload_zcml(plone, EASYFORM, status=422)
    assert 'NoSuchView' in body and 'Nothing was changed' in body
    assert 'easyform page two' in get(plone, '/Plone/@@refreshmanager-easyform')

    easyform(easyform.original)
    body = reload_zcml(plone, EASYFORM)
    assert f'ZCML of {EASYFORM} reloaded: ' in body
    assert counts(body) == (made, taken)
    assert request(plone, '/Plone/@@refreshmanager-easyform')[0] == 404
