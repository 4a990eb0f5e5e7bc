"""The share of the ecosystem's ZCML a reload of one package can undo,
measured by the project's own tool (benchmarks/zcml_coverage.py) over
every distribution the Plone environment installs: Plone 6.2's stack and
the add-ons of plone/addons.txt."""
import os
import re
import subprocess
import sys

from .plone_site import REPO


def test_at_least_99_percent_of_directive_uses_reload_alone(tmp_path):
    done = subprocess.run(
        [sys.executable, os.path.join(REPO, 'benchmarks', 'zcml_coverage.py')],
        capture_output=True, text=True, cwd=str(tmp_path), timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    shares = dict(re.findall(
        r'^(Plone 6\.2 stack|add-ons): \d+ directive uses, .*? of the \d+ '
        r'that produce actions, \d+ \(([\d.]+)%\)', done.stdout, re.M))
    assert set(shares) == {'Plone 6.2 stack', 'add-ons'}, done.stdout
    assert re.search(r'\((2[0-9]) add-ons\)', done.stdout), done.stdout
    for group, share in shares.items():
        assert float(share) >= 99.0, (group, done.stdout)
    # The start kept what the first reloads need (refreshmanager:startup
    # ran last in Plone's configuration).
    kept = re.search(r"^kept at Zope's start for the first reloads: (\d+) ",
                     done.stdout, re.M)
    assert kept and int(kept.group(1)) > 100, done.stdout
