"""Refresh code and ZCML in the real Plone site for the directives of
Plone's stack that do more than register through zope.component's
handler: z3c.form's widget templates and layouts, z3c.caching's ruleset
types and rules, plone.contentrules' actions and conditions, CMF's skin
directories. Each is reloaded for its package alone, follows its ZCML,
is made once however often it runs (z3c.caching warns about a second
rule), and a broken file later on changes nothing. A ``zcml:customAction``
(a function nobody can undo) makes the whole site configuration reload,
and the page says which directive and where."""
import json
import os
import re

from .packages import KINDS_ZCML
from .test_plone import get
from .test_plone import reload_zcml


KINDS = 'refreshkinds'
REPORT = '/Plone/@@refreshkinds-report'

ONE = '''
  <z3c:widgetTemplate mode="display" widget=".views.IKindsWidget"
                      layer="zope.publisher.interfaces.browser.IBrowserRequest"
                      template="one.pt" />
  <z3c:widgetLayout mode="input" widget=".views.IKindsWidget"
                    layer="zope.publisher.interfaces.browser.IBrowserRequest"
                    template="one.pt" />
  <cache:rulesetType name="refreshkinds.one" title="One" />
  <cache:ruleset for=".views.Report" ruleset="refreshkinds.one" />
  <plone:ruleAction name="refreshkinds.action" title="Action one"
                    addview="refreshkinds.action" for="*" event="*" />
  <plone:ruleCondition name="refreshkinds.one" title="Condition one"
                       addview="refreshkinds.one" for="*" event="*" />
  <cmf:registerDirectory name="kinds_one" directory="skins/kinds_one" />
'''
TWO = ONE.replace('one.pt', 'two.pt').replace('refreshkinds.one',
                                              'refreshkinds.two').replace(
    'One"', 'Two"').replace('Action one', 'Action two').replace(
    'Condition one', 'Condition two').replace('kinds_one', 'kinds_two')
EXPECTED = {
    'one': {'templates': [['display', 'one.pt'], ['input', 'one.pt']],
            'rule': 'refreshkinds.one', 'ruleset_types': ['refreshkinds.one'],
            'actions': [['refreshkinds.action', 'Action one']],
            'conditions': ['refreshkinds.one'],
            'skins': ['refreshkinds:skins/kinds_one']},
    'two': {'templates': [['display', 'two.pt'], ['input', 'two.pt']],
            'rule': 'refreshkinds.two', 'ruleset_types': ['refreshkinds.two'],
            'actions': [['refreshkinds.action', 'Action two']],
            'conditions': ['refreshkinds.two'],
            'skins': ['refreshkinds:skins/kinds_two']},
}


def write(plone, body):
    with open(os.path.join(plone.packages, 'refreshkinds',
                           'configure.zcml'), 'w') as out:
        out.write(KINDS_ZCML.replace('{body}', body))


def report(plone):
    found = json.loads(get(plone, REPORT))
    ours = found.pop('ours')
    return found, ours


def test_plone_directive_kinds_reload_alone(plone):
    log_before = len(plone.log_text())
    try:
        counts = set()
        for body, expected in ((ONE, 'one'), (ONE, 'one'), (TWO, 'two'),
                               (TWO, 'two'), (ONE, 'one')):
            write(plone, body)
            page = reload_zcml(plone, KINDS)
            assert f'ZCML of {KINDS} reloaded: ' in page
            found, ours = report(plone)
            assert found == EXPECTED[expected]
            counts.add(ours)
        assert len(counts) == 1  # made once each time, never twice
        logged = plone.log_text()[log_before:]
        assert 'Ignoring attempted to register caching rule' not in logged

        # A broken file later on changes nothing.
        write(plone, TWO + '<cache:nosuch />')
        page = reload_zcml(plone, KINDS, status=422)
        assert 'nosuch' in page and 'configure.zcml' in page
        assert report(plone)[0] == EXPECTED['one']

        # Taken out, they go.
        write(plone, '')
        reload_zcml(plone, KINDS)
        found, _ours = report(plone)
        assert found == {'templates': [], 'rule': None, 'ruleset_types': [],
                         'actions': [], 'conditions': [], 'skins': []}
    finally:
        write(plone, '')
        reload_zcml(plone, KINDS)


def test_a_custom_action_reloads_the_whole_site(plone):
    action = ('<include package="z3c.zcmlhook" file="meta.zcml" />'
              '<zcml:customAction handler=".views.finish" />')
    try:
        write(plone, ONE + action)
        page = reload_zcml(plone, KINDS)
        assert 'reloaded with the whole site configuration, since ' \
            'zcml:customAction (' in page
        assert re.search(
            f'refreshkinds{os.sep}configure.zcml, line \\d+\\) cannot be '
            f'undone for {KINDS} alone', page), page[page.find('alert'):]
        assert report(plone)[0] == EXPECTED['one']
        assert 'Plone' in get(plone, '/Plone')
    finally:
        write(plone, '')
        reload_zcml(plone, KINDS)
