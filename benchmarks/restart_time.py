"""Restart Zope: from the click to the first page the new process serves.

Over real HTTP, in a real runwsgi Zope in debug mode on a FileStorage:
the bare demo Zope (``make run``'s) or, with ``--plone`` (run with the
Plone environment's Python), the Plone 6.2 test site. Each round POSTs
``Control_Panel/Products/manage_restart`` as the button does and asks
for ``manage_processStarted`` every 20 ms until a new process answers
(a re-executed process keeps its PID, so it is told by its start time),
then for the site's page; the time is from the POST to that page. For
scale, the same Zope stopped (SIGTERM) and started again by the script,
as a developer without the button does: from the signal to the page.

    .venv/bin/python benchmarks/restart_time.py [rounds]
    var/plone-py311/bin/python benchmarks/restart_time.py --plone [rounds]
    (recorded as restart_time_plone)
"""
import os
import statistics
import sys
import tempfile
import time

from zope_processes import demo_copy
from zope_processes import zope


PRODUCTS = '/Control_Panel/Products'


def page_served(server, page, before, began):
    """Seconds from `began` until a process started after `before`
    serves `page`."""
    while True:
        try:
            code, started = server.request(f'{PRODUCTS}/manage_processStarted')
            if code == 200 and started != before:
                break
        except OSError:  # down for the moment
            pass
        time.sleep(0.02)
    code, body = server.request(page)
    assert code == 200, body[:300]
    return time.perf_counter() - began


def restart(server, page):
    before = server.request(f'{PRODUCTS}/manage_processStarted')[1]
    began = time.perf_counter()
    code, body = server.request(f'{PRODUCTS}/manage_restart', {})
    assert code == 202, body[:300]
    return page_served(server, page, before, began)


def stop_and_start(server, page):
    began = time.perf_counter()
    server.stop()
    server.start()
    return page_served(server, page, None, began)


def summary(times):
    return (f'median {statistics.median(times):.2f} s, fastest '
            f'{min(times):.2f} s, slowest {max(times):.2f} s')


def main(arguments):
    plone = '--plone' in arguments
    rounds = int(next((a for a in arguments if a.isdigit()), 5))
    with tempfile.TemporaryDirectory() as folder:
        if plone:
            from tests_plone.packages import write_packages
            from tests_plone.server import PloneServer
            server = PloneServer(
                os.path.join(folder, 'instance'),
                write_packages(os.path.join(folder, 'packages')))
            site, page = 'the Plone 6.2 test site', '/Plone'
        else:
            server = zope(folder, demo_copy(folder), 'instance')
            site, page = 'the bare demo Zope', '/demo'
        server.start()
        try:
            print(f'real HTTP, runwsgi in debug mode, {site}; the first page '
                  f'({page}) the new process serves, {rounds} rounds each')
            clicked = [restart(server, page) for _ in range(rounds)]
            by_hand = [stop_and_start(server, page) for _ in range(rounds)]
        finally:
            server.stop()
    print(f'  Restart Zope, from the POST:     {summary(clicked)}')
    print(f'  stop and start, from the signal: {summary(by_hand)}')
    ratio = statistics.median(clicked) / statistics.median(by_hand)
    print(f'  ratio (medians): {ratio:.2f}')


if __name__ == '__main__':
    main(sys.argv[1:])
