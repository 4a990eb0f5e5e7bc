"""Headless Chromium (Debian's, driven by Playwright) for the tests and
benchmarks that look as a person does."""
import contextlib
import os

import pytest

from .server import basic_auth


CHROMIUM = '/usr/bin/chromium'
# CI installs Debian's Chromium (``make test`` does, as root): there the
# browser tests must run. A contributor without root or Debian gets them
# skipped.
needs_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM) and not os.environ.get('CI'),
    reason=f'no {CHROMIUM}: make test installs it with apt-get as root on '
           'Debian; install Chromium there to run this test')


@contextlib.contextmanager
def browser_of(server):
    """A headless Chromium logged in to `server` (a ZopeServer): its
    context, one browser for many tabs."""
    from playwright.sync_api import sync_playwright
    assert os.path.exists(CHROMIUM), 'in CI, make test installs Chromium'
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=['--no-sandbox', '--disable-gpu',
                  '--disable-background-networking',
                  '--disable-component-update', '--disable-sync',
                  '--no-first-run'])
        try:
            yield browser.new_context(
                # As a browser that logged in: the pages that need no
                # login (the demo page) are asked for with it too.
                extra_http_headers={'Authorization': basic_auth(
                    server.user, server.password)},
                viewport={'width': 1100, 'height': 900})
        finally:
            browser.close()
