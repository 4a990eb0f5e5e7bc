"""Refresh code and ZCML against plone.reload's ZCML reload, in one Plone.

Over real HTTP: the ``make test-plone`` Plone 6.2 site (runwsgi, debug
mode, FileStorage) with plone.reload loaded, where the plain add-on
``refreshdemo`` gets a configure.zcml of 20 registrations
(the one ``zcml_reload.py`` uses). Each round changes the names of its
pages in the ZCML, then reloads it, alternately with RefreshManager
(``manage_performRefresh`` with ``zcml=on``: this package's
registrations only) and with plone.reload (``@@reload`` with
``action=zcml``: the whole site configuration); each request is timed
whole, and the renamed page must then be served. Prints both medians,
their ratio (target: RefreshManager at most 1/10 of plone.reload's
time, and at most 100 ms), and the Zope process's RSS growth over each
tool's reloads. Then RefreshManager's fallback, for a product whose ZCML
uses a directive a reload of it alone cannot undo (one of its own, whose
action calls a function): the whole site configuration again, as
plone.reload does, timed the same way, with the memory each reload
after the first adds and the warnings the log gets.

    var/plone-py313/bin/python benchmarks/plone_zcml_vs_reload.py [rounds]
"""
import os
import statistics
import sys
import tempfile
import time


HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]

from tests_plone.packages import write_packages  # noqa: E402
from tests_plone.server import PloneServer  # noqa: E402
from zcml_reload import CODE  # noqa: E402
from zcml_reload import UTILITIES  # noqa: E402
from zcml_reload import WHOLE_SITE  # noqa: E402
from zcml_reload import WHOLE_SITE_INIT  # noqa: E402
from zcml_reload import WHOLE_SITE_ZCML  # noqa: E402
from zcml_reload import configure  # noqa: E402
from zcml_reload import rss_kb  # noqa: E402


PACKAGE = 'refreshdemo'
REFRESH = ('/Control_Panel/Products/refreshdemo/'
           'manage_performRefresh')


def write_zcml(packages, version):
    with open(os.path.join(packages, PACKAGE, 'configure.zcml'), 'w') as out:
        out.write(configure(version).replace('.code.', '.bench.'))


def warnings_in(logged):
    return [line for line in logged.splitlines()
            if ' WARNING ' in line or 'Warning:' in line]


def main(rounds=5):
    with tempfile.TemporaryDirectory() as folder:
        packages = write_packages(os.path.join(folder, 'packages'))
        with open(os.path.join(packages, PACKAGE, 'bench.py'), 'w') as out:
            out.write(CODE + ''.join(UTILITIES))
        write_zcml(packages, 0)
        whole = os.path.join(packages, 'Products', WHOLE_SITE)
        os.makedirs(whole)
        for name, text in {'refresh.txt': '',
                           'configure.zcml': WHOLE_SITE_ZCML,
                           '__init__.py': WHOLE_SITE_INIT}.items():
            with open(os.path.join(whole, name), 'w') as out:
                out.write(text)
        server = PloneServer(os.path.join(folder, 'instance'), packages)
        server.start()
        times = {'RefreshManager': [], 'plone.reload': []}
        growth = {'RefreshManager': 0, 'plone.reload': 0}
        warned = {'RefreshManager': 0, 'plone.reload': 0}
        try:
            server.request(REFRESH, {'zcml': 'on'})  # learns the modules
            version = 0
            for _ in range(rounds):
                for tool in times:
                    version += 1
                    write_zcml(packages, version)
                    before = rss_kb(server)
                    logged = len(server.log_text())
                    started = time.perf_counter()
                    if tool == 'RefreshManager':
                        status, body = server.request(REFRESH, {'zcml': 'on'})
                    else:
                        status, body = server.request(
                            '/@@reload', {'action': 'zcml'})
                    times[tool].append(time.perf_counter() - started)
                    assert status == 200, (tool, body[:500])
                    growth[tool] += rss_kb(server) - before
                    warned[tool] += len(warnings_in(
                        server.log_text()[logged:]))
                    status, page = server.request(f'/@@bench-0-v{version}')
                    assert (status, page) == (200, 'page'), (tool, status)
            whole_site, whole_growth = [], []
            log_before = server.log_text()
            for _ in range(max(rounds, 11)):
                before = rss_kb(server)
                started = time.perf_counter()
                status, body = server.request(
                    REFRESH.replace('refreshdemo', WHOLE_SITE),
                    {'zcml': 'on'})
                whole_site.append(time.perf_counter() - started)
                whole_growth.append(rss_kb(server) - before)
                assert status == 200 and 'whole site configuration' in body, \
                    body[body.find('alert'):][:1500]
            warnings = warnings_in(server.log_text()[len(log_before):])
            status, page = server.request(f'/@@bench-0-v{version}')
            assert (status, page) == (200, 'page')
        finally:
            server.stop()
    ours = statistics.median(times['RefreshManager'])
    theirs = statistics.median(times['plone.reload'])
    print(f'Plone 6.2, a package of 20 ZCML registrations, over HTTP, '
          f'{rounds} reloads each, interleaved (whole request):')
    print(f'  RefreshManager, refresh code and ZCML: median '
          f'{ours * 1000:.1f} ms (target: at most 100 ms)')
    print(f'  plone.reload, @@reload action=zcml: median '
          f'{theirs * 1000:.0f} ms')
    print(f'  ratio: 1/{theirs / ours:.0f} (target: at most 1/10)')
    print(f'  RefreshManager, whole site configuration (a directive it '
          f'cannot undo), {len(whole_site)} reloads: median '
          f'{statistics.median(whole_site) * 1000:.0f} ms')
    later = whole_growth[1:]
    print(f'    RSS growth: first reload {whole_growth[0] / 1024:+.1f} MB, '
          f'then {sum(later) / len(later) / 1024:+.2f} MB per reload over '
          f'{len(later)} (largest {max(later) / 1024:+.1f} MB; target: at '
          'most 2 MB per reload)')
    print(f'    warnings logged over them: {len(warnings)}')
    for line in sorted(set(line.split(' ', 2)[-1] for line in warnings))[:5]:
        print(f'      {line[:150]}')
    for tool, kb in growth.items():
        print(f'  RSS growth over the {tool} reloads: {kb / 1024:+.1f} MB; '
              f'warnings logged: {warned[tool]}')


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
