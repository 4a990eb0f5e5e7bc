"""RefreshManager against plone.reload, the same edit in the same Plone.

One real Plone 6.2 site (the ``make test-plone`` site: runwsgi, debug
mode, FileStorage) with plone.reload 5.0.1 loaded. Each round edits the
helper module of the plain add-on ``refreshdemo`` twice: once
for plone.reload's ``@@reload`` (``action=code``), once for a Refresh of
the package, interleaved; each request is timed whole, and the add-on's
ZCML view must show the new text after each. plone.reload compares
modification times in whole seconds, so each edit gets a modification
time a second apart. Prints both medians and what each picked up.

    var/plone-py313/bin/python benchmarks/plone_vs_reload.py [rounds]
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

from tests_plone.packages import write_packages  # noqa: E402
from tests_plone.server import PloneServer  # noqa: E402


HELPER = 'refreshdemo/helper.py'


def save(packages, text, second):
    path = os.path.join(packages, HELPER)
    with open(path, 'w') as source:
        source.write(f'def message():\n    return {text!r}\n')
    os.utime(path, (second, second))


def timed_post(server, path, data):
    started = time.perf_counter()
    status, body = server.request(path, data)
    elapsed = time.perf_counter() - started
    assert status == 200, body[:500]
    return elapsed, body


def main(rounds=10):
    with tempfile.TemporaryDirectory() as folder:
        packages = write_packages(os.path.join(folder, 'packages'))
        server = PloneServer(os.path.join(folder, 'instance'), packages)
        server.start()
        try:
            second = int(time.time()) + 10
            ours, theirs, picked = [], [], {}
            # The first Refresh learns every module of the package.
            server.request('/Control_Panel/Products/refreshdemo/'
                           'manage_performRefresh', {})
            for round_ in range(rounds):
                for tool in ('plone.reload', 'RefreshManager'):
                    second += 1
                    text = f'{tool} edit {round_}'
                    save(packages, text, second)
                    if tool == 'plone.reload':
                        elapsed, body = timed_post(
                            server, '/@@reload', {'action': 'code'})
                        theirs.append(elapsed)
                        found = re.search(r'Code reloaded:(.*?)</',
                                          body, re.S)
                        picked[tool] = ' '.join(
                            html.unescape(found.group(1)).split()
                            if found else ['nothing'])
                    else:
                        elapsed, body = timed_post(
                            server, '/Control_Panel/Products/'
                            'refreshdemo/manage_performRefresh',
                            {})
                        ours.append(elapsed)
                        found = re.search(r'<ol class="code">(.*?)</ol>',
                                          body, re.S)
                        picked[tool] = ' '.join(re.findall(
                            r'<li>([^<]*)</li>', found.group(1)))
                    status, view = server.request('/Plone/@@refreshdemo')
                    assert text in view, (tool, view)
        finally:
            server.stop()
    print(f'same edit of {HELPER}, {rounds} rounds each, whole request:')
    print(f'  RefreshManager Refresh: median '
          f'{statistics.median(ours) * 1000:.1f} ms; picked up: '
          f'{picked["RefreshManager"]}')
    print(f'  plone.reload @@reload action=code: median '
          f'{statistics.median(theirs) * 1000:.1f} ms; picked up: '
          f'{picked["plone.reload"]}')
    print(f'  ratio RefreshManager / plone.reload: '
          f'{statistics.median(ours) / statistics.median(theirs):.2f}')


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
