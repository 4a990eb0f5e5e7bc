"""How long a Refresh of the demo product takes on a real Zope.

Starts Zope in-process on a FileStorage in a temporary folder with the
demo products, then times, in one run and interleaved:
- POST manage_performRefresh of RefreshDemo (which also refreshes its
  dependent RefreshDemoPlus), the whole HTTP request;
- GET of the demo page, a trivial published request, for scale.
Prints medians and their ratio.

    .venv/bin/python benchmarks/refresh_demo.py [rounds]
"""
import os
import statistics
import sys
import tempfile


HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.dirname(HERE)]

from tests.demo import copy_demo  # noqa: E402
from tests.zope_instance import add_users  # noqa: E402
from tests.zope_instance import write_zope_conf  # noqa: E402
from zope_processes import timed  # noqa: E402


def start_zope(home):
    demo = copy_demo(os.path.join(home, 'demo'))
    sys.path.insert(0, demo)
    from Zope2.Startup.run import make_wsgi_app
    wsgi = make_wsgi_app({}, write_zope_conf(home))
    import transaction
    import Zope2
    from Products.RefreshDemo.content import DemoPage
    from Products.RefreshManager.settings import RefreshSettings
    app = Zope2.app()
    add_users(app)
    app._setObject('demo', DemoPage('demo'))
    RefreshSettings(app._p_jar.root()).set_dependents(
        'RefreshDemo', ['RefreshDemoPlus'])
    transaction.commit()
    app._p_jar.close()
    import webtest
    client = webtest.TestApp(wsgi)
    client.authorization = ('Basic', ('admin', 'secret'))
    return client, os.path.join(demo, 'Products', 'RefreshDemo',
                                'greeting.py')


def main(rounds=50):
    with tempfile.TemporaryDirectory() as home:
        client, greeting = start_zope(home)
        with open(greeting) as source:
            original = source.read()
        url = '/Control_Panel/Products/RefreshDemo/manage_performRefresh'
        client.post(url, status=200)  # the engine learns every module
        refresh, page, answers = [], [], []
        for round_ in range(rounds):
            with open(greeting, 'w') as source:
                source.write(original.replace('demo!', f'demo {round_}!'))
            refresh.append(timed(lambda: answers.append(
                client.post(url, status=200).text)))
            assert '5 modules reloaded' in answers[-1]
            page.append(timed(lambda: client.get('/demo', status=200)))
            assert f'demo {round_}!' in client.get('/demo').text
    refresh_ms = statistics.median(refresh) * 1000
    page_ms = statistics.median(page) * 1000
    print(f'refresh of RefreshDemo + RefreshDemoPlus (5 modules), whole '
          f'request: median {refresh_ms:.1f} ms over {rounds} rounds')
    print(f'trivial page request: median {page_ms:.2f} ms')
    print(f'ratio refresh / trivial request: {refresh_ms / page_ms:.1f}')


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
