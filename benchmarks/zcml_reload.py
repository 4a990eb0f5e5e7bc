"""Refresh code and ZCML: how long the click takes, and what 50 of them
in a row cost in memory and registrations.

Over real HTTP: one real Zope (runwsgi on 127.0.0.1, debug mode) with a
generated product whose configure.zcml makes 20 registrations (browser
pages, adapters, utilities, subscribers, a permission, a resource). In
the same run, interleaved, it times the whole POST of
manage_performRefresh:
- code and ZCML (``zcml=on``) with the ZCML edited (a page's name
  changes), the case a user clicks it for;
- code only, for scale, and a GET of a trivial page.
- code and ZCML of a second product whose ZCML uses a directive a reload
  of it alone cannot undo (``five:registerClass``), which reloads the
  whole site configuration: the fallback's cost.
Then 50 code-and-ZCML refreshes in a row: the Zope process's RSS before
and after, the number of registrations in the global registry before and
after (read by a page of the product), and the WARNING lines the log got.
Targets: at most 100 ms per code-and-ZCML refresh; RSS growth at most
2 MB, registrations unchanged, no warnings over the 50.

    .venv/bin/python benchmarks/zcml_reload.py [rounds]
"""
import os
import statistics
import sys
import tempfile

from zope_processes import demo_copy
from zope_processes import timed
from zope_processes import zope


PRODUCT = 'ZcmlBench'
WHOLE_SITE = 'ZcmlWholeSite'
# A directive of the product's own whose action calls a function nobody
# can undo: its ZCML is reloaded with the whole site configuration.
WHOLE_SITE_ZCML = '''\
<configure xmlns="http://namespaces.zope.org/zope"
           xmlns:meta="http://namespaces.zope.org/meta"
           xmlns:x="urn:whole-site">
  <meta:directive namespace="urn:whole-site" name="remembered"
      schema="zope.interface.Interface" handler=".remembered" />
  <x:remembered />
</configure>
'''
WHOLE_SITE_INIT = '''\
RAN = []


def remember():
    RAN.append(1)


def remembered(_context):
    _context.action(discriminator=None, callable=remember)
'''

CODE = '''\
from Products.Five import BrowserView
from zope.component import getGlobalSiteManager
from zope.interface import Interface, implementer


class IThing(Interface):
    pass


class IEvent(Interface):
    pass


@implementer(IThing)
class Thing:
    pass


@implementer(IThing)
class Adapter:
    def __init__(self, context):
        self.context = context


def handler(event):
    pass


class Page(BrowserView):
    def __call__(self):
        return 'page'


class Size(BrowserView):
    def __call__(self):
        registry = getGlobalSiteManager()
        return str(sum(1 for _ in registry.registeredUtilities())
                   + sum(1 for _ in registry.registeredAdapters())
                   + sum(1 for _ in registry.registeredHandlers())
                   + sum(1 for _ in registry.registeredSubscriptionAdapters()))
'''

UTILITIES = [f'U{index} = Thing()\n' for index in range(4)]


def configure(version):
    lines = ['<configure xmlns="http://namespaces.zope.org/zope"',
             '           xmlns:browser="http://namespaces.zope.org/browser"',
             '           i18n_domain="bench">',
             f'  <permission id="{PRODUCT}.Use" title="Use it" />',
             '  <browser:resource name="bench.txt" file="refresh.txt" />',
             '  <browser:page for="*" name="bench-size" class=".code.Size"'
             ' permission="zope2.View" />']
    for index in range(8):
        lines.append(f'  <browser:page for="*" name="bench-{index}-v{version}"'
                     ' class=".code.Page" permission="zope2.View" />')
    for index in range(4):
        lines.append(f'  <utility component=".code.U{index}" name="u{index}"'
                     ' provides=".code.IThing" />')
    for index in range(3):
        lines.append('  <adapter factory=".code.Adapter" for="*"'
                     f' provides=".code.IThing" name="a{index}" />')
    for _ in range(2):
        lines.append('  <subscriber for=".code.IEvent"'
                     ' handler=".code.handler" />')
    lines.append('</configure>')
    return '\n'.join(lines) + '\n'


def write_product(products):
    whole = os.path.join(products, WHOLE_SITE)
    os.makedirs(whole)
    for name, text in {'refresh.txt': '', 'configure.zcml': WHOLE_SITE_ZCML,
                       '__init__.py': WHOLE_SITE_INIT}.items():
        with open(os.path.join(whole, name), 'w') as out:
            out.write(text)
    folder = os.path.join(products, PRODUCT)
    os.makedirs(folder)
    files = {'refresh.txt': 'benchmark\n', '__init__.py': 'from . import code\n',
             'code.py': CODE + ''.join(UTILITIES),
             'configure.zcml': configure(0)}
    for name, text in files.items():
        with open(os.path.join(folder, name), 'w') as out:
            out.write(text)


def rss_kb(server):
    with open(f'/proc/{server.process.pid}/status') as status:
        for line in status:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    raise RuntimeError('no VmRSS')


def main(rounds=20, repeats=50):
    url = f'/Control_Panel/Products/{PRODUCT}/manage_performRefresh'
    with tempfile.TemporaryDirectory() as folder:
        demo = demo_copy(folder, extra=write_product)
        zcml_file = os.path.join(demo, 'Products', PRODUCT, 'configure.zcml')
        server = zope(folder, demo, 'instance', debug=True).start()
        versions = iter(range(1, 10_000))

        def refresh(zcml, product_url=url):
            status, body = server.request(product_url,
                                          {'zcml': 'on'} if zcml else {})
            assert status == 200 and 'Product refreshed.' in body, body
            assert ('ZCML of' in body) == zcml, body

        def code_and_zcml():
            with open(zcml_file, 'w') as out:
                out.write(configure(next(versions)))
            return timed(lambda: refresh(True))

        code_file = os.path.join(demo, 'Products', PRODUCT, 'code.py')

        def code_only():
            with open(code_file, 'w') as out:
                out.write(CODE + ''.join(UTILITIES)
                          + f'VERSION = {next(versions)}\n')
            return timed(lambda: refresh(False))

        def registrations():
            status, body = server.request('/@@bench-size')
            assert status == 200, body
            return int(body)

        try:
            code_and_zcml()  # warm up: first load of the product's ZCML
            code_only()
            whole_url = url.replace(PRODUCT, WHOLE_SITE)
            refresh(True, whole_url)
            both, code, trivial, whole = [], [], [], []
            for _ in range(rounds):
                both.append(code_and_zcml())
                code.append(code_only())
                trivial.append(timed(lambda: server.request('/demo')))
                whole.append(timed(lambda: refresh(True, whole_url)))
            log_before = server.log_text().count(' WARNING ')
            size_before, rss_before = registrations(), rss_kb(server)
            for _ in range(repeats):
                code_and_zcml()
            size_after, rss_after = registrations(), rss_kb(server)
            warnings = server.log_text().count(' WARNING ') - log_before
        finally:
            server.stop()

    def ms(values):
        return statistics.median(values) * 1000

    print(f'Product of 20 ZCML registrations, over HTTP, {rounds} rounds '
          'interleaved (median of the whole request):')
    print(f'  refresh code and ZCML: {ms(both):.1f} ms '
          f'(max {max(both) * 1000:.1f}; target: at most 100 ms)')
    print(f'  refresh code only:     {ms(code):.1f} ms (a module edited)')
    print(f'  GET /demo:             {ms(trivial):.1f} ms')
    print(f'  code and ZCML, whole site configuration (a directive it '
          f'cannot undo): {ms(whole):.1f} ms')
    print(f'{repeats} code-and-ZCML refreshes in a row:')
    print(f'  RSS {rss_before / 1024:.1f} -> {rss_after / 1024:.1f} MB: '
          f'{(rss_after - rss_before) / 1024:+.2f} MB (target: at most 2)')
    print(f'  registrations {size_before} -> {size_after} '
          f'(target: unchanged)')
    print(f'  WARNING lines logged: {warnings} (target: 0)')


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
