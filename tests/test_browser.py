"""A person's view: headless Chromium logs in, clicks Refresh, sees it.

Saves the screenshot of the Refresh tab that the README shows.
"""
import os
import shutil

import pytest

from .server import ZopeServer
from .zope_instance import DEMO_PATH
from .zope_instance import REPO


CHROMIUM = '/usr/bin/chromium'
SCREENSHOT = os.path.join(REPO, 'docs', 'refresh-tab.png')


@pytest.fixture
def server(tmp_path):
    demo = tmp_path / 'demo'
    shutil.copytree(DEMO_PATH, demo,
                    ignore=shutil.ignore_patterns('__pycache__'))
    server = ZopeServer(tmp_path / 'instance', demo).start()
    yield server
    server.stop()


@pytest.fixture
def page(server):
    from playwright.sync_api import sync_playwright
    assert os.path.exists(CHROMIUM), 'make test installs Debian chromium'
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


def test_click_refresh_and_see_the_new_code(server, page):
    page.goto(server.url + '/demo')
    assert page.text_content('#message').startswith(
        'Hello from the refresh demo!')

    greeting = os.path.join(server.demo, 'Products', 'RefreshDemo',
                            'greeting.py')
    with open(greeting) as source:
        text = source.read()
    with open(greeting, 'w') as source:
        source.write(text.replace('Hello from the refresh demo!',
                                  'Refreshed without a restart!'))

    page.goto(server.url + '/Control_Panel/Products/manage_main')
    page.click('a:text-is("RefreshDemo")')
    assert 'Important information about refreshing' in page.text_content(
        '#warning')
    page.click('#refresh-button')
    alert = page.text_content('.alert-success')
    assert 'Product refreshed.' in alert
    assert 'Dependent products refreshed too: RefreshDemoPlus.' in alert
    os.makedirs(os.path.dirname(SCREENSHOT), exist_ok=True)
    page.screenshot(path=SCREENSHOT, full_page=True)
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
