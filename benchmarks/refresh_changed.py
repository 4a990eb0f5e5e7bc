"""Refresh all changed against the three clicks it replaces, over HTTP.

After editing three products, a person either posts the listing's
**Refresh all changed** once (``manage_refreshChanged``: the changed
products, each after those it imports from, then their dependents, as
one unit) or clicks Refresh on each product's tab
(``manage_performRefresh``) in dependency order. This measures both on
the same edits, so the one action's cost is known against the clicks'.

A real Zope (runwsgi on 127.0.0.1, debug mode, a FileStorage, the demo
instance of ``make run``) with 20 generated refreshable products
``Chg00`` to ``Chg19`` under ``Products``: each has a ``text`` module (the
edited function), a ``content`` module (a persistent page, ``/chgNN``,
showing that text), a ``tools`` module, ``refresh.txt`` and an
``initialize(context)`` registering the page class. ``Chg01`` imports
from ``Chg00``; ``Chg03`` to ``Chg14`` subclass the page of ``Chg00``,
``Chg01`` or ``Chg02`` and show its text, and are chosen as its
dependent products (as the tab offers the importers); ``Chg18`` imports
from ``Chg17``. Two cases, each edit changing the body of ``text()``:
- worst: ``Chg00``, ``Chg01`` (imports ``Chg00``) and ``Chg02``, which
  12 products import: they are refreshed too;
- best: ``Chg17``, ``Chg18`` (imports ``Chg17``) and ``Chg19``, which no
  other product imports.
Each round and case, interleaved (the order alternating per round), on
one keep-alive connection, POSTs with basic auth as the manager and the
server's own ``Origin`` (what a browser sends from the ZMI):
(a) edit the three, one POST of ``manage_refreshChanged``;
(b) edit them again, the three POSTs of ``manage_performRefresh``
    (``scope=process``) one after another, their times summed (in the
    worst case the click on ``Chg00`` refreshes ``Chg01``, its dependent,
    so the click on ``Chg01`` finds nothing to do: a person clicks it
    all the same; what each click ran is printed).
After each, every edited product's page (and a dependent's) must show the
new text, and (a)'s answer must name the three; else it exits 1.

    .venv/bin/python benchmarks/refresh_changed.py [rounds]
"""
import os
import re
import statistics
import sys
import tempfile
import urllib.parse

from zope_processes import KeepAliveClient
from zope_processes import demo_copy
from zope_processes import timed
from zope_processes import zope

from tests.packages import write_files


COUNT = 20
BASES = ('Chg00', 'Chg01', 'Chg02')
IMPORTS = {'Chg01': 'Chg00', 'Chg18': 'Chg17'}  # product: what it imports
IMPORTS.update({f'Chg{3 + i:02d}': BASES[i % 3] for i in range(12)})
CASES = {'worst': ('Chg00', 'Chg01', 'Chg02'),  # in dependency order
         'best': ('Chg17', 'Chg18', 'Chg19')}
LISTING = '/Control_Panel/Products/manage_main'
CHANGED = '/Control_Panel/Products/manage_refreshChanged'
CLICK = '/Control_Panel/Products/{}/manage_performRefresh'
DEPENDENTS = '/Control_Panel/Products/{}/manage_selectDependentProducts'
TEXT = re.compile(r"return '(Chg\d\d) [^']*'")
REFRESHED = re.compile(r'Products refreshed: ([^.<]*)\.')
DEPENDENTS_DONE = re.compile(r'Dependent products refreshed too: ([^.<]*)\.')
# What a refresh ran: in all (with dependents), else the one product's.
RAN = (re.compile(r'In all (\d+) modules'), re.compile(r'(\d+) modules? re'))

TEXT_MODULE = '''\
{imports}

def text():
    return '{name} v0'


def shown():
    return text(){more}
'''
CONTENT_MODULE = '''\
from AccessControl.class_init import InitializeClass
{base}
from .text import shown


class Page(Base):
    meta_type = '{name} Page'
    index_html__roles__ = None  # public

    def __init__(self, id):
        self.id = id

    def index_html(self, REQUEST=None):
        """The page: this product's text."""
        return shown()


InitializeClass(Page)


def manage_addPage(self, id, REQUEST=None):
    """Add a page."""
    self._setObject(id, Page(id))
    return 'added'
'''
INIT_MODULE = '''\
from . import content, text, tools  # noqa: F401


def initialize(context):
    context.registerClass(content.Page, permission='Add {name} Pages',
                          constructors=(content.manage_addPage,))
'''


def write_products(products_folder):
    """The 20 products, in the demo copy's ``Products`` folder."""
    for index in range(COUNT):
        name = f'Chg{index:02d}'
        base = IMPORTS.get(name)
        write_files(os.path.join(products_folder, name), {
            '__init__.py': INIT_MODULE.format(name=name),
            'refresh.txt': '',
            'tools.py': f"def describe():\n    return '{name} tools'\n",
            'text.py': TEXT_MODULE.format(
                name=name, more=" + ' + ' + base.shown()" if base else '',
                imports=f'from Products.{base} import text as base\n'
                if base else ''),
            'content.py': CONTENT_MODULE.format(
                name=name,
                base=f'from Products.{base}.content import Page as Base'
                if base else 'from OFS.SimpleItem import SimpleItem as Base'),
        })


class OriginClient(KeepAliveClient):
    """`KeepAliveClient` whose POSTs carry the server's own ``Origin``, as
    a browser's from the ZMI do, so the same-origin check lets them in."""

    def __init__(self, server):
        super().__init__(server)
        self.origin = server.url

    def get(self, path):  # logged in too: the listing needs it
        return self._answer('GET', path, {'Authorization': self.authorization})

    def post(self, path, data=None):
        body = urllib.parse.urlencode(data or {}, doseq=True)
        return self._answer('POST', path, {
            'Authorization': self.authorization, 'Origin': self.origin,
            'Content-Type': 'application/x-www-form-urlencoded'}, body).decode()


def ran_modules(answer):
    for pattern in RAN:
        found = pattern.search(answer)
        if found:
            return found.group(1)
    if 'nothing was executed' not in answer:
        fail('an answer says neither what ran nor that nothing did', answer)
    return '0'


def fail(what, body=''):
    sys.exit(f'refresh_changed: verification failed: {what}\n{body[:2000]}')


def main(rounds=10):
    with tempfile.TemporaryDirectory() as folder:
        demo = demo_copy(folder, extra=write_products)
        products = os.path.join(demo, 'Products')
        server = zope(folder, demo, 'instance', debug=True).start()
        client = OriginClient(server)

        def edit(names, label):
            for name in names:
                path = os.path.join(products, name, 'text.py')
                with open(path) as source:
                    text = TEXT.sub(f"return '\\1 {label}'", source.read())
                with open(path, 'w') as source:
                    source.write(text)

        def verify(case, names, label):
            shown = dict(zip(names, names), **(  # and a dependent's page
                {'Chg03': 'Chg00'} if case == 'worst' else {}))
            for name, source in shown.items():
                page = client.get(f'/{name.lower()}').decode()
                if (wanted := f'{source} {label}') not in page:
                    fail(f'/{name.lower()} shows {page!r}, not {wanted!r}')

        def all_changed(case, names, label):
            edit(names, label)
            answers = []
            seconds = timed(lambda: answers.append(
                client.post(CHANGED, {'scope': 'process'})))
            named = REFRESHED.search(answers[0])
            if not named or named.group(1).split(', ') != list(names):
                fail(f'{case}: the answer does not name {", ".join(names)} '
                     'in that order', answers[0])
            verify(case, names, label)
            done = DEPENDENTS_DONE.search(answers[0])
            ran[case, all_changed] = ran_modules(answers[0]), (
                done.group(1) if done else 'none')
            return seconds

        def clicks(case, names, label):
            edit(names, label)
            answers = []
            seconds = sum(timed(lambda: answers.append(client.post(
                CLICK.format(name), {'scope': 'process'}))) for name in names)
            verify(case, names, label)
            ran[case, clicks] = ', '.join(map(ran_modules, answers))
            return seconds

        ran, listing = {}, []
        times = {(case, tool): [] for case in CASES
                 for tool in (all_changed, clicks)}
        try:
            for index in range(COUNT):
                client.post(f'/manage_addProduct/Chg{index:02d}/'
                            'manage_addPage', {'id': f'chg{index:02d}'})
            for base in set(IMPORTS.values()):
                client.post(DEPENDENTS.format(base), {'selections': [
                    n for n, b in sorted(IMPORTS.items()) if b == base]})
            for case, names in CASES.items():  # the engine learns them
                all_changed(case, names, 'warm a')
                clicks(case, names, 'warm b')
            for round_ in range(rounds):
                tools = (all_changed, clicks)[::1 if round_ % 2 else -1]
                for case, names in CASES.items():
                    for tool in tools:
                        times[case, tool].append(tool(
                            case, names, f'r{round_} {tool.__name__}'))
                listing.append(timed(lambda: client.get(LISTING)))
        finally:
            client.close()
            server.stop()

    print(f'real HTTP (runwsgi, debug mode, FileStorage), {COUNT} generated '
          f'refreshable products, {rounds} rounds, one keep-alive connection,'
          ' POSTs with basic auth and the server\'s Origin; (a) and (b) '
          'interleaved, the order alternating per round:')
    print('  (a) all changed: edit 3 products, one POST of manage_refresh'
          'Changed, the whole request\n  (b) three clicks: edit them again, '
          'POST manage_performRefresh (scope=process) of each, in dependency'
          ' order, the 3 requests summed\n  after each: every edited '
          'product\'s page shows the new text: verified')
    print(f'  for scale, GET of the listing (the page (a) answers with): '
          f'median {statistics.median(listing) * 1000:.1f} ms')
    for case, names in CASES.items():
        a = statistics.median(times[case, all_changed]) * 1000
        b = statistics.median(times[case, clicks]) * 1000
        modules, dependents = ran[case, all_changed]
        print(f'{case} case: {", ".join(names)} edited ({names[1]} imports '
              f'{names[0]}); dependent products refreshed too: {dependents}')
        print(f'  (a) all changed:  median {a:.1f} ms; modules run: {modules}')
        print(f'  (b) three clicks: median {b:.1f} ms; modules run per click:'
              f' {ran[case, clicks]}')
        print(f'  ratio all changed / three clicks: {a / b:.2f}')


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
