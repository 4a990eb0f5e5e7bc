"""Under load, no request sees half a refresh.

A real runwsgi Zope serves three probe products (see `probes`) to four
reader threads for about 10 s while one thread refreshes a product whose
module sleeps 0.2 s while it loads every 0.5 s, in place and classic in
turn, and another saves a third product with auto-refresh on every
0.3 s. Every answer must come from one version of the code, every
refresh must succeed, and auto-refresh must catch up with the last save.
"""
import collections
import os
import threading
import time

import pytest

from ..probes import versions
from ..probes import write_probe
from ..server import ZopeServer


DURATION = 10
READERS = 4
SLOW = 0.2
IN_PLACE, CLASSIC, AUTO = 'LoadInPlace', 'LoadClassic', 'LoadAuto'


@pytest.fixture
def server(tmp_path):
    server = ZopeServer(tmp_path / 'instance')
    products = os.path.join(server.demo, 'Products')
    for name in (IN_PLACE, CLASSIC):
        write_probe(products, name, 'v0', sleep=SLOW)
    write_probe(products, AUTO, 'a0', base='fixed')
    server.start()
    try:
        for name in (IN_PLACE, CLASSIC, AUTO):
            status, body = server.request(
                f'/manage_addProduct/{name}/manage_addProbe',
                {'id': f'probe_{name}'})
            assert status == 200, body
        status, body = server.request(
            f'/Control_Panel/Products/{CLASSIC}/manage_setRefreshMode',
            {'mode': 'classic'})
        assert status == 200, body
        status, body = server.request(
            f'/Control_Panel/Products/{AUTO}/manage_enableAutoRefresh',
            {'enable': 'on'})
        assert status == 200, body
        yield server
    finally:
        if server.process is not None:
            server.stop()


def consistent(name, parts):
    """Whether the versions `parts` of the answer of product `name` are
    one version of its code. The auto-refreshed product is saved one file
    at a time (so no answer can come from a state its files were never
    in): only its probe module changes, its base stays."""
    ans, tag, base = parts
    if name == AUTO:
        return ans == tag and base == 'fixed'
    return ans == tag == base


def every(seconds, stop, step):
    """Call `step(count)` every `seconds` until `stop` is set."""
    count, started = 0, time.monotonic()
    while not stop.is_set():
        count += 1
        step(count)
        stop.wait(max(0.0, started + count * seconds - time.monotonic()))


def test_no_request_sees_half_a_refresh(server):
    products = os.path.join(server.demo, 'Products')
    stop = threading.Event()
    answers = []  # (product, status, versions or None)
    refreshes = []  # (product, status, body)
    saved = []

    def read():
        while not stop.is_set():
            for name in (IN_PLACE, CLASSIC, AUTO):
                status, body = server.request(f'/probe_{name}')
                answers.append((name, status, versions(body)))

    def refresh(count):
        name = IN_PLACE if count % 2 else CLASSIC
        write_probe(products, name, f'v{count}', sleep=SLOW)
        status, body = server.request(
            f'/Control_Panel/Products/{name}/manage_performRefresh', {})
        refreshes.append((name, status, body))

    def save(count):
        write_probe(products, AUTO, f'a{count}', base='fixed')
        saved.append(f'a{count}')

    threads = [threading.Thread(target=read) for _ in range(READERS)]
    threads += [threading.Thread(target=every, args=(0.5, stop, refresh)),
                threading.Thread(target=every, args=(0.3, stop, save))]
    for thread in threads:
        thread.start()
    try:
        time.sleep(DURATION)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    assert not any(thread.is_alive() for thread in threads)

    failed = [a for a in answers if a[1] != 200 or a[2] is None]
    mixed = [a for a in answers if a[2] and not consistent(a[0], a[2])]
    seen = collections.Counter(a[0] for a in answers)
    summary = (f'{len(answers)} answers ({dict(seen)}), {len(failed)} '
               f'failed, {len(mixed)} mixed '
               f'({dict(collections.Counter(a[0] for a in mixed))}), '
               f'e.g. {mixed[:3]}; '
               f'{len(refreshes)} refreshes, {len(saved)} saves')
    print(summary)
    assert not failed, summary
    assert not mixed, summary
    assert len(refreshes) >= DURATION  # about one every 0.5 s
    for name, status, body in refreshes:
        assert status == 200 and 'Product refreshed.' in body, body[:2000]
    # Requests were served all along: every product answered in several
    # versions.
    for name in (IN_PLACE, CLASSIC, AUTO):
        assert len({a[2][0] for a in answers if a[0] == name}) >= 3

    deadline = time.monotonic() + 10
    while True:
        status, body = server.request(f'/probe_{AUTO}')
        if versions(body)[0] == saved[-1]:
            break
        assert time.monotonic() < deadline, (body, saved[-1])
        time.sleep(0.1)
    log = server.log_text()
    assert 'failed' not in log, log[-3000:]
    assert f'refreshed Products.{AUTO} in place' in log
