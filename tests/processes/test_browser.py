"""A person's view: headless Chromium logs in, clicks Refresh, sees it.

Takes a screenshot of the Refresh tab: into the test's temporary folder,
or, for ``make screenshot``, where ``REFRESHMANAGER_SCREENSHOT`` says
(the README's ``docs/refresh-tab.png``), so a test run leaves the
checkout as it was.
"""
import os
import re
import time

import pytest

from ..browser import browser_of
from ..browser import needs_chromium
from ..demo import GREETING
from ..demo import edit_greeting
from ..server import ZopeServer


pytestmark = needs_chromium


@pytest.fixture
def server(tmp_path):
    server = ZopeServer(tmp_path / 'instance').start()
    yield server
    server.stop()


@pytest.fixture
def context(server):
    with browser_of(server) as context:
        yield context


@pytest.fixture
def page(context):
    return context.new_page()


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


def following(server):
    """The tab's count of browsers following the refreshes."""
    status, tab = server.request(
        '/Control_Panel/Products/RefreshDemo/manage_refresh')
    return int(re.search(r'(\d+) browsers? following', tab).group(1))


def test_open_pages_follow_a_save_by_themselves(server, context):
    status, _ = server.request(
        '/Control_Panel/Products/RefreshDemo/manage_enableAutoRefresh',
        {'enable': 'on'})
    assert status == 200
    tabs = [context.new_page() for _ in range(3)]
    for tab in tabs:
        tab.goto(server.url + '/demo')
        tab.evaluate('window.madeBeforeTheSave = true')
    deadline = time.monotonic() + 10
    while following(server) != 1:  # one stream for the browser's tabs
        assert time.monotonic() < deadline, following(server)
        time.sleep(0.05)
    edit_greeting(server.demo, 'Followed by itself')
    for tab in tabs:
        tab.wait_for_function(
            "document.querySelector('#message').textContent"
            ".startsWith('Followed by itself')", timeout=10_000)
        assert tab.evaluate('window.madeBeforeTheSave') is None  # reloaded
    assert following(server) == 1


def test_restart_zope_waits_and_every_page_comes_back(server, context):
    pinned = os.path.join(server.demo, 'Products', 'RefreshDemo',
                          'pinned.py')
    init = os.path.join(server.demo, 'Products', 'RefreshDemo',
                        '__init__.py')
    with open(pinned, 'w') as out:
        out.write('__refresh_module__ = False\n')
    with open(init) as source:
        text = source.read()
    with open(init, 'w') as out:
        out.write('from . import pinned  # noqa: F401\n' + text)
    server.stop()
    server.start()
    demo = context.new_page()
    demo.goto(server.url + '/demo')
    demo.evaluate('window.madeBeforeTheRestart = true')
    with open(pinned, 'a') as out:
        out.write('CHANGED = True\n')
    listing = context.new_page()
    listing.goto(server.url + '/Control_Panel/Products/manage_main')
    listing.click('#restart-button')
    assert listing.text_content('#restarting').startswith(
        'Zope is restarting:')
    # The waiting page goes back to the listing once the new process
    # answers; the other tab reloads by itself.
    listing.wait_for_url('**/Control_Panel/Products/manage_main',
                         timeout=60_000)
    assert listing.query_selector('#restart-button') is None
    demo.wait_for_function('window.madeBeforeTheRestart === undefined',
                           timeout=60_000)
    assert demo.text_content('#message').startswith(GREETING)
    assert server.log_text().count(f'Serving on {server.url}') == 3
