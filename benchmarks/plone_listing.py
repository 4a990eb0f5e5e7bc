"""How long ``Control_Panel/Products`` takes in a real Plone 6.2 site.

The ``make test-plone`` site (runwsgi, debug mode, FileStorage; about 50
products: Plone's, the test add-ons, Products.CMFPlone with a
refresh.txt when run by the test) on one keep-alive connection: the
listing asked for `rounds` times after a warm-up. Prints the median.
Target: at most 50 ms.

    var/plone-py313/bin/python benchmarks/plone_listing.py [rounds]
"""
import http.client
import os
import re
import statistics
import sys
import tempfile
import time


REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from tests_plone.packages import write_packages  # noqa: E402
from tests_plone.server import PloneServer  # noqa: E402
from tests.server import basic_auth  # noqa: E402


LISTING = '/Control_Panel/Products/manage_main'


def main(rounds=50):
    with tempfile.TemporaryDirectory() as folder:
        packages = write_packages(os.path.join(folder, 'packages'))
        server = PloneServer(os.path.join(folder, 'instance'), packages)
        server.start()
        try:
            authorization = basic_auth(server.user, server.password)
            connection = http.client.HTTPConnection('127.0.0.1', server.port)
            times = []
            for round_ in range(rounds + 5):
                started = time.perf_counter()
                connection.request('GET', LISTING,
                                   headers={'Authorization': authorization})
                response = connection.getresponse()
                page = response.read().decode()
                assert response.status == 200
                if round_ >= 5:  # the first ones compile the templates
                    times.append(time.perf_counter() - started)
            connection.close()
        finally:
            server.stop()
    products = len(re.findall(r'/manage_refresh"', page))
    print(f'{LISTING} with {products} products: median '
          f'{statistics.median(times) * 1000:.1f} ms over {rounds} requests '
          f'(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f})')


if __name__ == '__main__':
    main(*map(int, sys.argv[1:]))
