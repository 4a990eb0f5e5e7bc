"""Refreshes run one at a time; other requests are served meanwhile."""
import builtins
import threading

from ..conftest import refresh


SLOW = {
    'refresh.txt': '',
    '__init__.py': '''
        import builtins
        gate = builtins._refresh_gate
        gate['entered'] += 1
        gate['inside'].set()
        gate['release'].wait(10)
    ''',
}


def test_one_refresh_at_a_time_and_requests_go_on(zope, make_product):
    gate = builtins._refresh_gate = {
        'entered': 0, 'inside': threading.Event(),
        'release': threading.Event()}
    product = make_product(SLOW, prefix='Slow')
    results = []
    first = second = threading.Thread(target=lambda: None)

    def refresh_in_thread():
        results.append(refresh(zope.browser('admin'), product).status_int)

    try:
        first = threading.Thread(target=refresh_in_thread)
        first.start()
        assert gate['inside'].wait(10)
        product.touch()  # saved again: the second refresh has work
        second = threading.Thread(target=refresh_in_thread)
        second.start()
        # Meanwhile, other requests are served:
        page = zope.browser('admin').get('/Control_Panel/Products/manage_main')
        assert product.name in page.text
        second.join(0.5)
        assert first.is_alive() and second.is_alive()
        assert gate['entered'] == 1  # the second waits for the first
    finally:
        gate['release'].set()
        first.join(10)
        second.join(10)
        del builtins._refresh_gate
    assert gate['entered'] == 2
    assert results == [200, 200]
