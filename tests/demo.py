"""A copy of the demo products for a test, with the sources tests rely on
pinned: the README's walkthrough has people edit ``greeting.py`` in the
checkout, and the suite must pass after it."""
import os
import shutil
import time

from .packages import write_files
from .zope_instance import DEMO_PATH


GREETING = 'Hello from the refresh demo!'
GREETING_SOURCE = f'''\
    """Edit this text, click Refresh, reload the demo page."""

    GREETING = {GREETING!r}


    def greeting(name):
        return f'{{GREETING}} This page is called {{name}}.'
'''


def copy_demo(folder):
    """Copy ``demo/`` to `folder` with the pinned greeting; its path."""
    folder = str(folder)
    shutil.copytree(DEMO_PATH, folder,
                    ignore=shutil.ignore_patterns('__pycache__'))
    write_files(folder, {
        os.path.join('Products', 'RefreshDemo', 'greeting.py'):
            GREETING_SOURCE})
    return folder


def greeting_path(demo):
    return os.path.join(demo, 'Products', 'RefreshDemo', 'greeting.py')


def edit_greeting(demo, text, current=GREETING):
    """Save ``greeting.py`` of the copy `demo` with `text` instead of
    `current`."""
    path = greeting_path(demo)
    with open(path) as source:
        old = source.read()
    with open(path, 'w') as source:
        source.write(old.replace(current, text))


def page_after_edit(server, text, seconds=10):
    """Turn auto-refresh of RefreshDemo on in the ZopeServer `server`,
    edit the greeting, and ask for the demo page until it shows `text` or
    `seconds` are over; the last page."""
    status, body = server.request(
        '/Control_Panel/Products/RefreshDemo/manage_enableAutoRefresh',
        {'enable': 'on'})
    assert status == 200, body
    edit_greeting(server.demo, text)
    deadline = time.monotonic() + seconds
    while True:
        status, body = server.request('/demo')
        assert status == 200
        if text in body or time.monotonic() > deadline:
            return body
        time.sleep(0.05)
