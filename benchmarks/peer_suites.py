"""The established reloaders' own test cases, run against each reloader.

The cases are those of IPython's autoreload tests, plone.reload's xreload
tests and jurigged's codetools/recoder/registry tests, ported in
``tests/engine/carry/test_peer_cases_*.py`` (a module is written and imported,
references are held, the file is edited and reloaded, and the case
asserts what the peer's test asserts). Each reloader runs every case in
a child process of its own (importing jurigged installs an audit hook
that stays for the life of the process):

- ``reload_module`` (``Products.RefreshManager.inplace``);
- plone.reload's ``xreload.Reloader(module).reload()``;
- IPython's ``superreload`` (what ``%autoreload 2`` falls back to), with
  one ``old_objects`` table across reloads, as its magic keeps;
- jurigged: ``registry.auto_register()`` before the imports, then
  ``registry.get(module.__file__).refresh()``;
- ``importlib.reload``.

IPython and jurigged are installed with pip into the running environment
when missing: they are needed for this script only. Prints the number of
cases each reloader passes per suite, and the cases it fails.

    .venv/bin/python benchmarks/peer_suites.py
"""
import importlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUITES = {
    'IPython': 'tests.engine.carry.test_peer_cases_ipython',
    'plone.reload': 'tests.engine.carry.test_peer_cases_plone',
    'jurigged': 'tests.engine.carry.test_peer_cases_jurigged',
}
RELOADERS = ('reload_module', 'plone.reload', 'IPython superreload',
             'jurigged', 'importlib')
NEEDED = {'IPython superreload': ('ipython', 'IPython'),
          'jurigged': ('jurigged', 'jurigged')}


def _jurigged():
    from jurigged import registry
    temporary = os.path.realpath(tempfile.gettempdir())
    registry.auto_register(filter=lambda filename: os.path.realpath(
        filename).startswith(temporary))

    def reload(module):
        codefile = registry.get(module.__file__)
        if codefile is None:  # imported before jurigged was: register it
            registry.prepare(module.__name__, module.__file__)
            codefile = registry.get(module.__file__)
        codefile.refresh()
    return reload


def reloader(name):
    if name == 'reload_module':
        from Products.RefreshManager.inplace import reload_module
        return reload_module
    if name == 'plone.reload':
        from plone.reload.xreload import Reloader
        return lambda module: Reloader(module).reload()
    if name == 'IPython superreload':
        from IPython.extensions.autoreload import superreload
        old_objects = {}
        return lambda module: superreload(module, old_objects=old_objects)
    if name == 'jurigged':
        return _jurigged()
    return importlib.reload


def run_cases(name):
    """Run every case with the reloader `name`: {suite: [(case, passed)]}."""
    from _pytest.outcomes import OutcomeException
    from tests.peer_box import Box
    reload = reloader(name)
    results = {}
    for suite, module_name in SUITES.items():
        module = importlib.import_module(module_name)
        results[suite] = []
        for case, function in list(vars(module).items()):
            if not case.startswith('test_'):
                continue
            box = Box(reload)
            try:
                function(box)
                passed = True
            except (Exception, OutcomeException):
                passed = False
            finally:
                box.close()
            results[suite].append((case, passed))
    return results


def ensure_installed(reloaders):
    for name in reloaders:
        package, module = NEEDED.get(name, (None, None))
        if package is None:
            continue
        # Found, not imported: importing jurigged installs its audit hook.
        if importlib.util.find_spec(module) is None:
            subprocess.check_call(
                [sys.executable, '-m', 'pip', 'install', '-q', package])


def main():
    ensure_installed(RELOADERS)
    results = {}
    for name in RELOADERS:
        child = subprocess.run(
            [sys.executable, os.path.abspath(__file__), '--child', name],
            cwd=ROOT, capture_output=True, text=True, timeout=900)
        lines = child.stdout.strip().splitlines()
        if child.returncode or not lines:
            sys.exit(f'{name} did not run:\n{child.stderr}')
        results[name] = json.loads(lines[-1])
    print('| suite (cases) | ' + ' | '.join(RELOADERS) + ' |')
    print('|---' * (len(RELOADERS) + 1) + '|')
    for suite in SUITES:
        total = len(results[RELOADERS[0]][suite])
        passed = [sum(ok for _, ok in results[name][suite])
                  for name in RELOADERS]
        print(f'| {suite} ({total}) | '
              + ' | '.join(map(str, passed)) + ' |')
    print()
    for name in RELOADERS:
        for suite in SUITES:
            failed = [case for case, ok in results[name][suite] if not ok]
            if failed:
                print(f'{name} fails {suite}: {", ".join(failed)}')


if __name__ == '__main__':
    if sys.argv[1:2] == ['--child']:
        sys.path.insert(0, ROOT)
        # The cases write files and forget them; keep the output to JSON.
        sys.stdout, real = open(os.devnull, 'w'), sys.stdout
        outcome = run_cases(sys.argv[2])
        sys.stdout = real
        print(json.dumps(outcome))
    else:
        main()
