"""A request runs entirely on the code before a refresh or entirely on
the code after it, on the real Zope WSGI application: the refresh
applies only once the requests running when it was ready are over."""
import builtins
import threading

import pytest
import Zope2

from Products.RefreshManager import refresh as zope_refresh
from Products.RefreshManager.engine.stage.gate import GATE
from Products.RefreshManager.requestgate import open_under_gate

from ..conftest import post
from ..conftest import refresh


WAIT = 10

PROBE = {
    'refresh.txt': '',
    '__init__.py': '''
        from . import probe


        def initialize(context):
            context.registerClass(
                probe.Probe, constructors=(probe.manage_addProbe,))
    ''',
    'probe.py': '''
        import builtins

        from OFS.SimpleItem import SimpleItem

        VERSION = '{version}'


        def answer():
            return VERSION


        class Probe(SimpleItem):
            meta_type = 'Probe of {name}'

            def __init__(self, id):
                self.id = id

            def index_html(self):
                """Answer, wait while the test says so, answer again."""
                first = answer()
                pause = getattr(builtins, '_request_pause', None)
                if pause and not pause['inside'].is_set():
                    pause['inside'].set()
                    pause['go'].wait(10)
                return first + ':' + answer()


        def manage_addProbe(self, id, REQUEST=None):
            """Add a probe."""
            self._setObject(id, Probe(id))
            return 'added'
    ''',
}


@pytest.fixture
def probe(zope, make_product, admin):
    product = make_product(PROBE, prefix='Probe', version='v1')
    refresh(admin, product)
    post(admin, f'/manage_addProduct/{product.name}/manage_addProbe',
         {'id': f'probe_{product.name}'})
    product.page = f'/probe_{product.name}'
    assert admin.get(product.page).text == 'v1:v1'
    yield product
    builtins.__dict__.pop('_request_pause', None)


def in_thread(call):
    results = []
    thread = threading.Thread(target=lambda: results.append(call()))
    thread.start()
    return thread, results


def test_a_running_request_is_not_cut_in_two_by_a_refresh(zope, probe):
    pause = builtins._request_pause = {
        'inside': threading.Event(), 'go': threading.Event()}
    reading, answers = in_thread(
        lambda: zope.browser('admin').get(probe.page).text)
    refreshing = None
    try:
        assert pause['inside'].wait(WAIT)
        probe.write(PROBE, version='v2')
        refreshing, refreshed = in_thread(
            lambda: refresh(zope.browser('admin'), probe))
        refreshing.join(0.5)
        assert refreshing.is_alive()  # staged, waiting for the request
    finally:
        pause['go'].set()
        reading.join(WAIT)
        if refreshing is not None:
            refreshing.join(WAIT)
    assert answers == ['v1:v1']  # all of it on the code before
    [page] = refreshed
    window = page.html.select_one('#exclusive').text
    assert window.startswith('Applied in ') and window.endswith(
        ' ms, during which no request ran.')
    assert zope.browser('admin').get(probe.page).text == 'v2:v2'


def test_a_refresh_gives_up_on_a_request_that_outlasts_its_time_limit(
        zope, probe, monkeypatch):
    monkeypatch.setattr(zope_refresh, 'zope_refresh_timeout', lambda: 1.0)
    pause = builtins._request_pause = {
        'inside': threading.Event(), 'go': threading.Event()}
    reading, answers = in_thread(
        lambda: zope.browser('admin').get(probe.page).text)
    try:
        assert pause['inside'].wait(WAIT)
        probe.write(PROBE, version='v2')
        page = refresh(zope.browser('admin'), probe, status=422)
    finally:
        pause['go'].set()
        reading.join(WAIT)
    assert ('1 request was still running at the refresh time limit of '
            '1 s; nothing was changed') in page.text
    assert answers == ['v1:v1']
    assert zope.browser('admin').get(probe.page).text == 'v1:v1'
    assert refresh(zope.browser('admin'), probe).status_int == 200
    assert zope.browser('admin').get(probe.page).text == 'v2:v2'


def test_a_request_waits_no_longer_than_the_limit_for_a_stuck_apply(
        zope, caplog):
    held, done = threading.Event(), threading.Event()

    def stuck_apply():  # as a refresh stuck in C code would hold it
        with GATE.exclusive():
            held.set()
            done.wait(WAIT)

    applying = threading.Thread(target=stuck_apply)
    applying.start()
    try:
        assert held.wait(WAIT)
        with caplog.at_level('WARNING', logger='Products.RefreshManager'):
            app = open_under_gate(Zope2.bobo_application.opener, None, 0.2)
        try:
            assert app.getId() == 'Zope'
        finally:
            app._p_jar.close()
    finally:
        done.set()
        applying.join(WAIT)
    assert ('a request went on without waiting for a refresh still '
            'applying after 0.2 s') in caplog.text
