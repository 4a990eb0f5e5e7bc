"""The sweep over the Plone stack (see `sweep`): every package refreshes
or refuses with a reason, never "refreshed" with the site left wrong.

Runs last: it leaves the packages as they were (their files and opt-in),
and starts the site again only after a package left it broken, so the
next one starts clean."""
from .sweep import PACKAGES
from .sweep import Sweep
from .sweep import differing
from .sweep import pages
from .sweep import table
from .test_plone import request


def test_every_package_refreshes_or_refuses_never_half(plone, capsys):
    def get(path):
        return request(plone, path)

    def post(path, data):
        return request(plone, path, data)

    baseline = pages(get)
    assert [status for status, _body in baseline.values()] == [200] * len(
        baseline), {path: status for path, (status, _) in baseline.items()}
    assert differing(baseline, pages(get)) == []  # the noise is removed
    results = []
    for package in PACKAGES:
        result = Sweep(package, get, post, baseline).run()
        results.append(result)
        if result.outcome == 'broken':
            plone.stop()
            plone.start()
    with capsys.disabled():
        print('\n' + table(results))
    assert [r.package for r in results if r.outcome == 'broken'] == []
    assert sum(r.outcome == 'clean' for r in results) >= len(PACKAGES) - 3
