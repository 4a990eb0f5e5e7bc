"""Live reload in the Plone site: Plone's own pages (the classic UI,
themed) follow the refreshes for a manager, in a real browser."""
import urllib.request

from tests.browser import browser_of
from tests.browser import needs_chromium

from .packages import edit
from .test_plone import PRODUCTS
from .test_plone import get
from .test_plone import post


LIVE = 'data-refreshmanager="live"'


def test_plone_pages_follow_for_managers_only(plone):
    page = get(plone, '/Plone')  # the front page, through the theme
    assert LIVE in page and page.index(LIVE) < page.rindex('</body>')
    with urllib.request.urlopen(plone.url + '/Plone', timeout=30) as answer:
        assert LIVE not in answer.read().decode()
    assert LIVE not in get(plone, '/Plone/@@refreshdemo')  # not HTML


@needs_chromium
def test_open_plone_pages_follow_a_save(plone):
    post(plone, 'RefreshLive', 'manage_enableAutoRefresh', {'enable': 'on'})
    with browser_of(plone) as context:
        front, live = context.new_page(), context.new_page()
        front.goto(plone.url + '/Plone')
        live.goto(plone.url + '/Plone/@@refreshlive')
        assert live.text_content('#live') == 'live v1'
        for page in (front, live):
            page.wait_for_function('document.querySelector('
                                   '"script[data-refreshmanager]")')
            page.evaluate('window.madeBeforeTheSave = true')
        edit(plone.packages, 'Products/RefreshLive/view.py', 'live v1',
             'live v2')
        try:
            live.wait_for_function(
                "document.querySelector('#live').textContent == 'live v2'",
                timeout=15_000)
            front.wait_for_function('window.madeBeforeTheSave === undefined',
                                    timeout=15_000)
            assert 'Plone' in front.title()
        finally:
            edit(plone.packages, 'Products/RefreshLive/view.py', 'live v2',
                 'live v1')
    assert 'following' in get(plone, f'{PRODUCTS}/RefreshLive/manage_refresh')
