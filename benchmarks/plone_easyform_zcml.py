"""Refresh code and ZCML of a real add-on against plone.reload's ZCML
reload, in one Plone site.

Over real HTTP: the ``make test-plone`` Plone 6.2 site (runwsgi, debug
mode, FileStorage) with the add-ons of ``plone/addons.txt``, where
collective.easyform 5.0.2 (from PyPI, its ZCML using z3c.form's widget
templates among its 117 registrations) is opted in for the run. Each
reload follows a rename of a page added to easyform's
``browser/configure.zcml``: first with RefreshManager
(``manage_performRefresh`` with ``zcml=on``: easyform's registrations
only), then with plone.reload (``@@reload`` with ``action=zcml``: the
whole site configuration), in that order because each of plone.reload's
reloads leaves tens of megabytes for the garbage collector, which would
then run in the next request, whoever made it. Each request is timed
whole, and the renamed page must then be served, the old name no more.
Prints the first reload (the worst case: nothing of easyform's ZCML
read yet), both medians (target: RefreshManager at most 100 ms), their
ratio, and the Zope process's RSS growth over each tool's reloads.
easyform's files are put back at the end.

    var/plone-py311/bin/python benchmarks/plone_easyform_zcml.py [rounds]
"""
import os
import statistics
import sys
import tempfile
import time


HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]

from tests_plone.packages import opted_in  # noqa: E402
from tests_plone.packages import package_folder  # noqa: E402
from tests_plone.packages import write_packages  # noqa: E402
from tests_plone.server import PloneServer  # noqa: E402
from zcml_reload import rss_kb  # noqa: E402


EASYFORM = 'collective.easyform'
REFRESH = f'/Control_Panel/Products/{EASYFORM}/manage_performRefresh'
TEMPLATE = 'refreshmanager_bench.pt'
PAGE = (f'<browser:page name="{{name}}" for="*" template="{TEMPLATE}" '
        'permission="zope2.View" />\n</configure>')


def main(rounds=10):
    browser = os.path.join(package_folder(EASYFORM), 'browser')
    zcml = os.path.join(browser, 'configure.zcml')
    with open(zcml) as source:
        original = source.read()
    template = os.path.join(browser, TEMPLATE)
    with open(template, 'w') as out:
        out.write('<p>bench page</p>\n')

    def write(name):
        with open(zcml, 'w') as out:
            out.write(original.replace('</configure>',
                                       PAGE.replace('{name}', name), 1))

    times = {'RefreshManager': [], 'plone.reload': []}
    growth = {'RefreshManager': 0, 'plone.reload': 0}
    with tempfile.TemporaryDirectory() as folder, opted_in(EASYFORM):
        packages = write_packages(os.path.join(folder, 'packages'))
        server = PloneServer(os.path.join(folder, 'instance'), packages)
        server.start()
        try:
            write('bench-v0')
            started = time.perf_counter()
            status, body = server.request(REFRESH, {'zcml': 'on'})
            first = time.perf_counter() - started
            assert status == 200 and 'ZCML of collective.easyform reloaded:' \
                in body, body[body.find('alert'):][:1500]
            version = 0
            for tool in times:
                for _ in range(rounds):
                    version += 1
                    write(f'bench-v{version}')
                    before = rss_kb(server)
                    started = time.perf_counter()
                    if tool == 'RefreshManager':
                        status, body = server.request(REFRESH, {'zcml': 'on'})
                        assert 'whole site' not in body
                    else:
                        status, body = server.request(
                            '/@@reload', {'action': 'zcml'})
                    times[tool].append(time.perf_counter() - started)
                    assert status == 200, (tool, body[:500])
                    growth[tool] += rss_kb(server) - before
                    status, page = server.request(
                        f'/Plone/@@bench-v{version}')
                    assert status == 200 and 'bench page' in page, (tool,
                                                                    status)
                    status, _page = server.request(
                        f'/Plone/@@bench-v{version - 1}')
                    assert status == 404, (tool, status)
        finally:
            server.stop()
            with open(zcml, 'w') as out:
                out.write(original)
            os.remove(template)
    ours = statistics.median(times['RefreshManager'])
    theirs = statistics.median(times['plone.reload'])
    print(f'Plone 6.2 with {EASYFORM} (PyPI) opted in, a page of its '
          f'browser/configure.zcml renamed, over HTTP, {rounds} reloads each,'
          ' RefreshManager first (whole request):')
    print(f'  RefreshManager, the first reload (worst case): '
          f'{first * 1000:.0f} ms')
    print(f'  RefreshManager, refresh code and ZCML (easyform alone): median '
          f'{ours * 1000:.1f} ms, range {min(times["RefreshManager"]) * 1000:.1f}'
          f'-{max(times["RefreshManager"]) * 1000:.1f} ms (target: at most '
          '100 ms)')
    print(f'  plone.reload, @@reload action=zcml (the whole site): median '
          f'{theirs * 1000:.0f} ms, range {min(times["plone.reload"]) * 1000:.0f}'
          f'-{max(times["plone.reload"]) * 1000:.0f} ms')
    print(f'  ratio: 1/{theirs / ours:.0f}')
    for tool, kb in growth.items():
        print(f'  RSS growth over the {tool} reloads: {kb / 1024:+.1f} MB')


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
