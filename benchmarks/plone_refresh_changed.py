"""Refresh all changed against plone.reload, three add-ons edited, in Plone.

A Plone developer who edited several add-ons reloads them with
plone.reload's ``@@reload`` (``action=code``: every module whose file is
newer) or with RefreshManager's **Refresh all changed**
(``manage_refreshChanged``: every refreshable package with files changed
since its code was loaded, each after those it imports from, as one
unit). This measures both on the same edits in the same Plone process.

One real Plone 6.2 site (the ``make test-plone`` site of
`tests_plone.server.PloneServer`: runwsgi, debug mode, FileStorage) with
the test add-ons of `tests_plone.packages` and three more written the same
way: plain packages ``changedone``, ``changedtwo``, ``changedthree`` loaded
through their z3c.autoinclude entry points, each with ``refresh.txt`` and a
ZCML view (``@@changedone`` ...) showing what its ``helper.message()``
returns; ``changedtwo``'s helper imports ``changedone``'s. RefreshManager
is the wheel ``make test-plone`` installed in the Plone environment.

Each round edits the body of ``message()`` in the three helpers twice,
once per tool, interleaved (the order alternating per round), and times
the whole POST as the client sees it (a new connection each, basic auth
as the site's admin, the server's own ``Origin``). plone.reload compares
modification times in whole seconds, so every edit gets a modification
time a second after the previous one. After each, the three views must
show the new text and the answer must name the three helpers (plone.reload)
or the three packages (RefreshManager); else it exits 1.

    var/plone-py311/bin/python benchmarks/plone_refresh_changed.py [rounds]
"""
import html
import os
import re
import statistics
import sys
import tempfile
import time


REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from tests.packages import write_files  # noqa: E402
from tests.server import request  # noqa: E402
from tests_plone.packages import VIEW  # noqa: E402
from tests_plone.packages import ZCML_VIEW  # noqa: E402
from tests_plone.packages import write_packages  # noqa: E402
from tests_plone.server import PloneServer  # noqa: E402


NAMES = ('changedone', 'changedtwo', 'changedthree')
BASE = {'changedtwo': 'changedone'}  # add-on: the add-on it imports from
LISTING = '/Control_Panel/Products/manage_main'
CHANGED = '/Control_Panel/Products/manage_refreshChanged'
REFRESHED = re.compile(r'Products refreshed: ([^<]*?)\. ')


def helper_path(packages, name):
    return os.path.join(packages, name, 'helper.py')


def helper(name, text):
    base = BASE.get(name)
    if base is None:
        return f'def message():\n    return {text!r}\n'
    return (f'from {base}.helper import message as base\n\n\n'
            f"def message():\n    return {text!r} + ' / ' + base()\n")


def write_addons(packages):
    for name in NAMES:
        write_files(packages, {
            f'{name}/__init__.py': '',
            f'{name}/refresh.txt': '',
            f'{name}/configure.zcml': ZCML_VIEW.format(
                name=name, module='views', cls='DemoView'),
            f'{name}/views.py': VIEW,
            f'{name}/helper.py': helper(name, f'{name} v1'),
            f'{name}-1.0.dist-info/METADATA':
                f'Metadata-Version: 2.1\nName: {name}\n'
                'Version: 1.0\n',
            f'{name}-1.0.dist-info/entry_points.txt':
                '[z3c.autoinclude.plugin]\ntarget = plone\n'})


def fail(what, body=''):
    sys.exit(f'plone_refresh_changed: verification failed: {what}\n'
             f'{body[:3000]}')


def main(rounds=10):
    with tempfile.TemporaryDirectory() as folder:
        packages = write_packages(os.path.join(folder, 'packages'))
        write_addons(packages)
        server = PloneServer(os.path.join(folder, 'instance'), packages)
        server.start()
        seconds = iter(range(int(time.time()) + 10, 2 ** 40))

        def post(path, data):
            started = time.perf_counter()
            status, body = request(server.url + path, server.user,
                                   server.password, data,
                                   {'Origin': server.url})
            elapsed = time.perf_counter() - started
            if status != 200:
                fail(f'POST {path} answered {status}', body)
            return elapsed, body

        def edit(label):
            second = next(seconds)
            for name in NAMES:
                path = helper_path(packages, name)
                with open(path, 'w') as source:
                    source.write(helper(name, f'{name} {label}'))
                os.utime(path, (second, second))

        def verify(label):
            for name in NAMES:
                status, view = server.request(f'/Plone/@@{name}')
                wanted = f'view v1: {name} {label}' + (
                    f' / {BASE[name]} {label}' if name in BASE else '')
                if status != 200 or wanted not in view:
                    fail(f'@@{name} shows {view[:300]!r}, not {wanted!r}')

        def plone_reload(label):
            edit(label)
            elapsed, body = post('/@@reload', {'action': 'code'})
            found = re.search(r'Code reloaded:(.*?)</', body, re.S)
            listed = html.unescape(found.group(1)) if found else ''
            for name in NAMES:
                if helper_path(packages, name) not in listed:
                    fail(f'plone.reload did not list {name}/helper.py', body)
            verify(label)
            return elapsed

        def refresh_changed(label):
            edit(label)
            elapsed, body = post(CHANGED, {'scope': 'process'})
            found = REFRESHED.search(body)
            order = found.group(1).split(', ') if found else []
            if sorted(order) != sorted(n for n in NAMES) or \
                    order.index('changedtwo') < \
                    order.index('changedone'):
                fail('the answer does not name the three add-ons, '
                     'changedone before changedtwo', body)
            picked['order'] = ', '.join(order)
            verify(label)
            return elapsed

        def timed_get(path):
            started = time.perf_counter()
            status, body = server.request(path)
            if status != 200:
                fail(f'GET {path} answered {status}', body)
            return time.perf_counter() - started

        picked, listing = {}, []
        times = {plone_reload: [], refresh_changed: []}
        try:
            for tool in times:  # plone.reload and the engine learn them
                tool(f'warm {tool.__name__}')
            for round_ in range(rounds):
                for tool in list(times)[::1 if round_ % 2 else -1]:
                    times[tool].append(tool(f'r{round_} {tool.__name__}'))
                listing.append(timed_get(LISTING))
        finally:
            server.stop()
    ours = statistics.median(times[refresh_changed]) * 1000
    theirs = statistics.median(times[plone_reload]) * 1000
    print(f'real HTTP (runwsgi, debug mode), the Plone 6.2 test site, '
          f'{rounds} rounds, the two interleaved: the body of message() '
          'edited in the helper modules of changedone, '
          '-two (imports -one) and -three, then one POST, the whole '
          'request; the three views show the new text after each: verified')
    print(f'  RefreshManager manage_refreshChanged: median {ours:.1f} ms; '
          f'refreshed in this order: {picked["order"]}')
    print(f'  plone.reload @@reload action=code: median {theirs:.1f} ms; '
          'listed the three helper.py')
    print(f'  for scale, GET of Control_Panel/Products (the page '
          'manage_refreshChanged answers with): median '
          f'{statistics.median(listing) * 1000:.1f} ms')
    print(f'  ratio refresh all changed / plone.reload: {ours / theirs:.2f}')


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
