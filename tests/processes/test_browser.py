"""A person's view: headless Chromium logs in, clicks Refresh, sees it.

Takes a screenshot of the Refresh tab: into the test's temporary folder,
or, for ``make screenshot``, where ``REFRESHMANAGER_SCREENSHOT`` says
(the README's ``docs/refresh-tab.png``), so a test run leaves the
checkout as it was.
"""
import os
import re

import pytest

from ..demo import GREETING
from ..demo import edit_greeting
from ..server import ZopeServer


CHROMIUM = '/usr/bin/chromium'
# CI installs Debian's Chromium (``make test`` does, as root): there the
# test must run. A contributor without root or Debian gets it skipped.
if not os.path.exists(CHROMIUM) and not os.environ.get('CI'):
    pytestmark = pytest.mark.skip(
        reason=f'no {CHROMIUM}: make test installs it with apt-get as '
               'root on Debian; install Chromium there to run this test')


@pytest.fixture
def server(tmp_path):
    server = ZopeServer(tmp_path / 'instance').start()
    yield server
    server.stop()


@pytest.fixture
def page(server):
    from playwright.sync_api import sync_playwright
    assert os.path.exists(CHROMIUM), 'in CI, make test installs Chromium'
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=['--no-sandbox', '--disable-gpu',
                  '--disable-background-networking',
                  '--disable-component-update', '--disable-sync',
                  '--no-first-run'])
        context = browser.new_context(
            http_credentials={'username': server.user,
                              'password': server.password},
            viewport={'width': 1100, 'height': 900})
        yield context.new_page()
        browser.close()


def test_click_refresh_and_see_the_new_code(server, page, tmp_path):
    page.goto(server.url + '/demo')
    assert page.text_content('#message').startswith(GREETING)

    edit_greeting(server.demo, 'Refreshed without a restart!')

    page.goto(server.url + '/Control_Panel/Products/manage_main')
    page.click('a:text-is("RefreshDemo")')
    assert 'Important information about refreshing' in page.text_content(
        '#warning')
    page.click('#refresh-button')
    alert = page.text_content('.alert-success')
    assert 'Product refreshed.' in alert
    assert 'Dependent products refreshed too: RefreshDemoPlus.' in alert
    # The alert's numbers are the panel's, and the totals say what is in
    # them: the dependent's modules, planning and applying.
    own = re.search(r'Product refreshed\. (\d+ modules?) reloaded in '
                    r'([\d.]+ ms)\.', alert)
    panel = ' '.join(page.text_content('#last-refresh').split())
    assert f'{own.group(1)} in {own.group(2)}:' in panel, (alert, panel)
    assert re.search(r'In all 5 modules \(RefreshDemo 3, RefreshDemoPlus '
                     r'2\), [\d.]+ ms with planning and applying\.', alert)
    screenshot = os.environ.get('REFRESHMANAGER_SCREENSHOT',
                                str(tmp_path / 'refresh-tab.png'))
    page.screenshot(path=screenshot, full_page=True)
    assert os.path.getsize(screenshot) > 10_000
    # POST-redirect-GET: the browser is on the tab, reloading posts nothing.
    assert page.url.startswith(
        server.url + '/Control_Panel/Products/RefreshDemo/manage_refresh')
    refreshes = server.log_text().count('refreshed Products.RefreshDemo ')
    page.reload()
    assert 'refreshed' in page.text_content('#last-refresh')
    assert server.log_text().count(
        'refreshed Products.RefreshDemo ') == refreshes

    page.goto(server.url + '/demo')
    assert page.text_content('#message').startswith(
        'Refreshed without a restart!')
    page.goto(server.url + '/fancy')
    assert 'Refreshed without a restart!' in page.text_content('#message')
