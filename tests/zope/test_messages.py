"""Messages a person understands: on the tab, in the alert, in the log."""
import logging
import os
import textwrap
import traceback

import pytest
import Products

from Products.RefreshManager import autorefresh
from Products.RefreshManager import state
from Products.RefreshManager.config import AutoRefreshConfig

from ..conftest import THING_PRODUCT
from ..conftest import post
from ..conftest import refresh
from .test_dependents import choose


INIT = textwrap.dedent(THING_PRODUCT['__init__.py'])
CONTENT = textwrap.dedent(THING_PRODUCT['content.py'])


@pytest.fixture
def log(caplog):
    with caplog.at_level(logging.INFO, logger='Products.RefreshManager'):
        yield caplog


def lines(log):
    """What the refreshes logged (not the watcher, which the opt-in scan
    may start again at any time, since tests keep adding products)."""
    return [record.getMessage() for record in log.records
            if record.name == 'Products.RefreshManager'
            and not record.getMessage().startswith('watching ')]


def test_a_refresh_with_nothing_to_do_says_so(admin, installed, log):
    refresh(admin, installed)  # now the engine knows every module
    registered = [info for info in Products.meta_types
                  if info['product'] == installed.name]
    log.clear()
    page = refresh(admin, installed)
    said = (f'No file of {installed.name} changed since the last refresh; '
            f'nothing was executed.')
    assert said in page.html.select_one('.alert').text
    card = page.html.select_one('#last-refresh')
    assert said in card.select_one('#nothing-executed').text
    assert card.select('ol') == [] and ' 0 modules' not in card.text
    assert lines(log) == [said]
    # Not even initialize() ran: the registration is the same object.
    assert [info for info in Products.meta_types
            if info['product'] == installed.name] == registered
    assert all(a is b for a, b in zip(
        registered, [info for info in Products.meta_types
                     if info['product'] == installed.name]))


def test_one_module_is_one_module(admin, installed, log):
    refresh(admin, installed)  # now the engine knows every module
    installed.write({'__init__.py': INIT + '\n# edited\n'})
    log.clear()
    page = refresh(admin, installed)
    alert = page.html.select_one('.alert').text
    assert 'Product refreshed. 1 module reloaded in' in alert
    summary = page.html.select_one('#last-refresh p').text
    assert ' 1 module in ' in ' '.join(summary.split())
    [line] = lines(log)
    assert f'refreshed {installed.package} in place (1 module, ' in line
    assert line.endswith(f': {installed.package}')


def test_each_product_logs_its_own_time(admin, installed, make_product,
                                        log):
    dependent = make_product()
    refresh(admin, dependent)
    choose(admin, installed, dependent)
    refresh(admin, installed)  # now the engine knows every module
    installed.write({'__init__.py': INIT + '\n# edited\n'})
    dependent.write({'__init__.py': INIT + '\n# edited\n'})
    log.clear()
    refresh(admin, installed)
    outcome = state.last(installed.name)
    reports = outcome.report.packages
    assert [report.package for report in reports] == [
        installed.package, dependent.package]
    logged = lines(log)
    for report, line in zip(reports, logged):
        assert f'(1 module, {report.seconds * 1000:.1f} ms)' in line
    assert sum(report.seconds for report in reports) <= (
        outcome.report.seconds)
    tab = admin.get(dependent.url + '/manage_refresh')
    assert f'1 module in {reports[1].seconds * 1000:.1f} ms:' in ' '.join(
        tab.html.select_one('#last-refresh p').text.split())


def failed_traceback(admin, product):
    page = refresh(admin, product, status=422)
    return page.html.select_one('#traceback').text


@pytest.mark.parametrize('path', ['content.py', 'sub/deep.py'])
def test_a_syntax_error_points_at_the_line(admin, installed, path):
    if path != 'content.py':
        installed.write({'sub/__init__.py': '', path: 'X = 1\n',
                         'content.py': CONTENT + '\nfrom .sub import deep\n'})
        refresh(admin, installed)
    installed.write({path: 'X = 1\n\ndef broken(:\n    pass\n'})
    text = failed_traceback(admin, installed)
    assert text == (f'  File "{path}", line 3\n'
                    f'    def broken(:\n'
                    f'               ^\n'
                    f'SyntaxError: invalid syntax\n')


def test_an_exception_shows_the_products_frames_only(admin, installed, log):
    installed.write({'content.py': CONTENT + textwrap.dedent('''
        def check():
            raise RuntimeError('checked and failed')


        check()
    ''')})
    text = failed_traceback(admin, installed)
    content = os.path.join(installed.folder, 'content.py')
    frames = [line for line in text.splitlines() if line.startswith('  File')]
    assert text.startswith('Traceback (most recent call last):\n')
    assert frames[0].startswith(f'  File "{content}", line ')
    assert frames[0].endswith(', in <module>')
    assert frames[-1].endswith(', in check')
    assert text.endswith('RuntimeError: checked and failed\n')
    assert 'RefreshManager' not in text
    # The log keeps the engine's frames:
    [record] = [r for r in log.records if r.levelno == logging.ERROR]
    full = ''.join(traceback.format_exception(*record.exc_info))
    assert 'RefreshManager/engine/apply/unit.py' in full


def test_an_initialize_error_starts_in_initialize(admin, installed):
    installed.write({'__init__.py': INIT + "    raise KeyError('meta')\n"})
    text = failed_traceback(admin, installed)
    frames = [line for line in text.splitlines() if line.startswith('  File')]
    assert frames == [f'  File "{installed.folder}/__init__.py", line 8, '
                      f'in initialize']
    assert text.endswith("KeyError: 'meta'\n")


def test_a_dependents_error_points_at_the_dependent(admin, installed,
                                                    make_product):
    dependent = make_product()
    refresh(admin, dependent)
    choose(admin, installed, dependent)
    installed.write({'__init__.py': INIT + '\n# edited\n'})
    dependent.write({'content.py': CONTENT + '\ndef broken(:\n'})
    page = refresh(admin, installed, status=422)
    assert f'while refreshing {dependent.package}' in page.text
    assert page.html.select_one('#traceback').text.startswith(
        '  File "content.py", line ')


PRODUCTION = AutoRefreshConfig(
    False, 'Zope runs in production mode; add "auto-refresh always" to '
    '<product-config refreshmanager> in zope.conf to turn it on', 'events',
    1.0)
POLLING = AutoRefreshConfig(
    True, '<product-config refreshmanager> says auto-refresh always',
    'poll', 0.5)


@pytest.mark.parametrize('enabled', [True, False])
@pytest.mark.parametrize('config, process', [
    (PRODUCTION, 'It cannot run in this process: Zope runs in production '
                 'mode; add "auto-refresh always" to <product-config '
                 'refreshmanager> in zope.conf to turn it on.'),
    (POLLING, 'It {runs} in this process: <product-config refreshmanager> '
              'says auto-refresh always; changes are noticed through a file '
              'scan every 0.5 s.'),
    (None, 'It cannot run yet: Zope has not finished starting.'),
])
def test_auto_refresh_status_says_the_product_then_the_process(
        admin, installed, monkeypatch, enabled, config, process):
    post(admin, installed.url + '/manage_enableAutoRefresh',
         {'enable': 'on'} if enabled else {})
    monkeypatch.setattr(autorefresh, 'config', config)
    tab = admin.get(installed.url + '/manage_refresh')
    text = tab.html.select_one('#auto-refresh-mode').text
    on_off = 'on' if enabled else 'off'
    assert text == (f'Auto-refresh is {on_off} for {installed.name}. '
                    + process.format(runs='runs' if enabled else 'can run'))
