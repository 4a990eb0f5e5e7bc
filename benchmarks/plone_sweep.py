"""The sweep over the Plone stack (``tests_plone/sweep.py``), for the
docs: its table, with each step's refresh time (over real HTTP, the
whole request), recorded by ``record.py``.

One real Plone 6.2 site (runwsgi, debug mode, FileStorage, a folder, a
document, a news item and an event); each package opted in, refreshed,
its busiest loaded module edited, refreshed, restored and refreshed,
with 22 pages compared to the baseline after each step. The test
``tests_plone/test_sweep.py`` is the same run with its assertions.

    var/plone-py311/bin/python benchmarks/record.py plone_sweep
"""
import os
import sys
import tempfile


REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from tests_plone.packages import write_packages  # noqa: E402
from tests_plone.server import PloneServer  # noqa: E402
from tests_plone.sweep import PACKAGES  # noqa: E402
from tests_plone.sweep import PAGES  # noqa: E402
from tests_plone.sweep import Sweep  # noqa: E402
from tests_plone.sweep import pages  # noqa: E402
from tests_plone.sweep import table  # noqa: E402


def main():
    with tempfile.TemporaryDirectory() as folder:
        server = PloneServer(os.path.join(folder, 'instance'), write_packages(
            os.path.join(folder, 'packages'))).start()
        try:
            get = server.request
            baseline = pages(get)
            results = []
            for package in PACKAGES:
                results.append(Sweep(package, get, server.request,
                                     baseline).run())
                if results[-1].outcome == 'broken':
                    server.stop()
                    server.start()
        finally:
            server.stop()
    print(f'real HTTP, one Plone 6.2 site, {len(PAGES)} pages compared '
          f'after each step; seconds: each refresh request (first, after '
          f'the edit, after the restore)')
    print(table(results))
    if any(result.outcome == 'broken' for result in results):
        sys.exit('a package was left broken')


if __name__ == '__main__':
    main()
