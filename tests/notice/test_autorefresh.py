"""Auto-refresh on the real Zope: edit files, the next request serves the
new code, with the event watcher and with the polling one."""
import logging
import os
import sys
import textwrap
import time

import pytest

from Products.RefreshManager import autorefresh
from Products.RefreshManager import state
from Products.RefreshManager.config import AutoRefreshConfig
from Products.RefreshManager.config import auto_refresh_config

from ..conftest import THING_PRODUCT
from ..conftest import post


CONTENT = textwrap.dedent(THING_PRODUCT['content.py'])


def greeting(word):
    return CONTENT.replace("'hello'", repr(word))


def wait_until(condition, timeout=10):
    """Wait for a background thread's work; fails only on the timeout,
    which is far beyond anything a working watcher needs."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, 'timed out'
        time.sleep(0.005)


def wait_marked(product):
    wait_until(lambda: product.name in state.changes.marked())


@pytest.fixture(params=['events', 'poll'])
def watcher(request, zope):
    """The session's Zope watches with events; swap in the poll watcher
    (fast, for the tests) and back."""
    assert autorefresh.config.active and autorefresh.watcher is not None
    if request.param == 'poll':
        autorefresh.start_watching(AutoRefreshConfig(True, '', 'poll', 0.05))
    assert autorefresh.watcher.ready.wait(5)
    yield request.param
    if request.param == 'poll':
        autorefresh.start_watching(autorefresh.config)
        assert autorefresh.watcher.ready.wait(5)


@pytest.fixture
def auto(admin, installed, watcher):
    post(admin, installed.url + '/manage_enableAutoRefresh', {'enable': 'on'})
    return installed


def greet(admin, product):
    return admin.get(product.obj_url + '/greet').text.split(' from ')[0]


def test_edit_is_served_by_the_next_request(admin, auto):
    assert greet(admin, auto) == 'hello'
    auto.write({'content.py': greeting('edited')})
    wait_marked(auto)
    assert greet(admin, auto) == 'edited'
    assert auto.name not in state.changes.marked()
    tab = admin.get(auto.url + '/manage_refresh')
    assert 'by auto-refresh' in tab.html.select_one('#last-refresh').text


def test_new_and_deleted_files(admin, auto):
    auto.write({'spare.py': 'SPARE = 1\n'})
    wait_marked(auto)
    admin.get(auto.obj_url + '/greet')
    auto.write({'__init__.py': THING_PRODUCT['__init__.py'].replace(
        'from . import content', 'from . import content, spare')})
    wait_marked(auto)
    admin.get(auto.obj_url + '/greet')
    assert f'{auto.package}.spare' in sys.modules

    auto.write(THING_PRODUCT)
    os.remove(os.path.join(auto.folder, 'spare.py'))
    wait_marked(auto)
    admin.get(auto.obj_url + '/greet')
    assert f'{auto.package}.spare' not in sys.modules


def test_burst_of_saves_across_files(admin, auto):
    """Three files saved within a millisecond, each needing the others."""
    auto.write({
        'words.py': 'WORD = "burst"\n',
        'content.py': greeting('hello').replace(
            "GREETING = 'hello'", 'from .words import WORD as GREETING'),
        '__init__.py': THING_PRODUCT['__init__.py'].replace(
            'from . import content', 'from . import words, content'),
    })
    wait_marked(auto)
    assert greet(admin, auto) == 'burst'
    assert state.last(auto.name).ok


def test_burst_split_by_a_request_is_not_missed(admin, auto):
    """A burst of saves longer than the watcher's settle window can be
    refreshed in two goes: the first, missing a file, is rolled back and
    the old code serves; the files saved after it are refreshed by the
    next request, with the file that went first."""
    auto.write({'content.py': greeting('hello').replace(
        "GREETING = 'hello'", 'from .words import WORD as GREETING')})
    wait_marked(auto)
    assert greet(admin, auto) == 'hello'
    assert not state.last(auto.name).ok
    auto.write({'words.py': 'WORD = "late"\n'})
    wait_marked(auto)
    assert greet(admin, auto) == 'late'
    assert state.last(auto.name).ok


def test_save_by_rename(admin, auto):
    temporary = os.path.join(auto.folder, '.content.py.swp')
    with open(temporary, 'w') as out:
        out.write(greeting('renamed'))
    os.replace(temporary, os.path.join(auto.folder, 'content.py'))
    wait_marked(auto)
    assert greet(admin, auto) == 'renamed'


def test_same_second_same_size_edits(admin, auto):
    path = os.path.join(auto.folder, 'content.py')
    auto.write({'content.py': greeting('aaaa')})
    wait_marked(auto)
    assert greet(admin, auto) == 'aaaa'
    mtime = os.stat(path).st_mtime_ns
    auto.write({'content.py': greeting('bbbb')})
    # Same second, same size: only the nanoseconds differ.
    os.utime(path, ns=(mtime + 1, mtime + 1))
    wait_marked(auto)
    assert greet(admin, auto) == 'bbbb'


def test_failing_edit_is_logged_once_then_fixed(admin, auto, caplog):
    auto.write({'content.py': greeting('broken') + '\ndef broken(:\n'})
    wait_marked(auto)
    with caplog.at_level(logging.ERROR, logger='Products.RefreshManager'):
        for _ in range(5):
            assert greet(admin, auto) == 'hello'
    assert len([r for r in caplog.records
                if r.name == 'Products.RefreshManager']) == 1
    tab = admin.get(auto.url + '/manage_refresh')
    assert 'SyntaxError' in tab.html.select_one('#last-refresh').text

    auto.write({'content.py': greeting('fixed')})
    wait_marked(auto)
    assert greet(admin, auto) == 'fixed'


def test_turning_auto_refresh_on_takes_effect_on_the_next_request(
        admin, installed, watcher):
    installed.write({'content.py': greeting('pending')})
    wait_marked(installed)
    assert greet(admin, installed) == 'hello'
    post(admin, installed.url + '/manage_enableAutoRefresh', {'enable': 'on'})
    assert greet(admin, installed) == 'pending'
    post(admin, installed.url + '/manage_enableAutoRefresh')
    installed.write({'content.py': greeting('ignored')})
    wait_marked(installed)
    assert greet(admin, installed) == 'pending'


def test_scripts_opening_zope2_app_see_new_code(zope, auto):
    auto.write({'content.py': greeting('scripted')})
    wait_marked(auto)
    with zope.app() as app:
        assert app._getOb(auto.obj_url[1:]).greet().startswith('scripted')


def test_the_tab_says_whether_auto_refresh_runs_and_why(admin, installed):
    """First what is true for this product, then for this process."""
    tab = admin.get(installed.url + '/manage_refresh')
    text = tab.html.select_one('#auto-refresh-mode').text
    assert text.startswith(f'Auto-refresh is off for {installed.name}. '
                           f'It can run in this process: Zope runs in '
                           f'debug mode;')
    post(admin, installed.url + '/manage_enableAutoRefresh', {'enable': 'on'})
    tab = admin.get(installed.url + '/manage_refresh')
    text = tab.html.select_one('#auto-refresh-mode').text
    assert text.startswith(f'Auto-refresh is on for {installed.name}. '
                           f'It runs in this process: Zope runs in debug '
                           f'mode; changes are noticed through operating '
                           f'system file events.')


@pytest.mark.parametrize('debug, settings, active, reason', [
    (True, {}, True, 'Zope runs in debug mode'),
    (False, {}, False, 'production mode; add "auto-refresh always"'),
    (False, {'auto-refresh': 'always'}, True, 'says auto-refresh always'),
    (True, {'auto-refresh': 'never'}, False, 'says auto-refresh never'),
])
def test_config(debug, settings, active, reason):
    config = auto_refresh_config(debug, settings)
    assert config.active is active and reason in config.reason
    assert (config.watcher, config.poll_interval) == ('events', 1.0)


@pytest.mark.parametrize('settings, message', [
    ({'auto-refresh': 'sometimes'}, 'auto-refresh must be one of'),
    ({'watcher': 'inotify'}, 'watcher must be one of events, poll'),
    ({'poll-interval': 'soon'}, 'poll-interval must be a positive'),
    ({'poll-interval': '0'}, 'poll-interval must be a positive'),
])
def test_bad_config_is_refused_with_a_clear_message(settings, message):
    with pytest.raises(ValueError, match=message):
        auto_refresh_config(True, settings)
