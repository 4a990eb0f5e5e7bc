"""``manage_restart`` in the session's Zope (debug mode, but not started
by runwsgi): an action like the others, refused with the reason, and
nothing restarts. ``tests/processes/test_restart_button.py`` restarts a
real runwsgi Zope."""
import pytest

from Products.RefreshManager import restart

from ..conftest import post


URL = '/Control_Panel/Products/manage_restart'


def test_refused_with_the_reason_and_nothing_restarts(admin):
    page = post(admin, URL, status=409)
    assert ('This Zope was not started by runwsgi, so it cannot start itself '
            'again the same way') in page.html.select_one('.alert').text
    assert not restart._restarting.locked()


@pytest.mark.parametrize('user', [None, 'editor'])
def test_only_for_who_may_refresh(zope, user):
    zope.browser(user).post(URL, status=401)
    assert not restart._restarting.locked()


def test_a_get_says_to_use_the_button(admin):
    page = admin.get(URL, status=405)
    assert page.headers['Allow'] == 'POST'
