#!/usr/bin/env python3
"""The test suite on every supported CPython this machine has.

One environment per version (var/py3XY), each with the one built wheel
installed, as tox makes one per Python: the suite runs on what users
install, on each Python they may have. A version not found is reported,
not fatal (a contributor may have only one Python), unless --require
names it (CI does). Standard library only: it runs on the default python3
before any environment exists.

    tools/matrix.py --wheel var/dist/NAME.whl [--versions 3.11,3.13]
                    [--plone 3.11,3.13] [--require 3.11,3.13,3.14]
    tools/matrix.py --list     # which interpreters it would use
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import time

SUPPORTED = ('3.10', '3.11', '3.12', '3.13', '3.14')
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VAR = os.path.join(REPO, 'var')
# What venvs and the tests need of an interpreter; then which one it is.
PROBE = ('import ssl, sqlite3, ctypes, venv, sys, platform; '
         'print("%d.%d" % sys.version_info[:2], platform.python_version(), '
         'sys.executable)')
PLONE = ['Plone', 'plone.reload', 'pytest', 'WebTest', 'Zope[wsgi]',
         'watchfiles', 'playwright']


class SetupFailed(Exception):
    pass


def candidates(version):
    """Where ../shared/tools/pythons looks, in its order: what its
    --install writes, PATH, then pyenv's versions, newest patch first."""
    name = 'python' + version
    yield os.path.join('/opt', 'py' + version.replace('.', ''), 'bin', name)
    yield shutil.which(name)
    roots = [os.environ.get('PYENV_ROOT'), os.path.expanduser('~/.pyenv')]
    for root in dict.fromkeys(r for r in roots if r):
        folders = glob.glob(os.path.join(root, 'versions', version + '.*'))
        for folder in sorted(folders, key=patch_level, reverse=True):
            yield os.path.join(folder, 'bin', name)


def patch_level(folder):
    match = re.match(r'\d+\.\d+\.(\d+)', os.path.basename(folder))
    return int(match.group(1)) if match else -1


def find(version):
    """(full version, executable) of the first candidate that has what
    the tests need and is the version asked for (a pythonX.Y on PATH may
    be a pyenv shim that runs another one, or none), or None."""
    for path in candidates(version):
        if not path or not os.access(path, os.X_OK):
            continue
        try:
            probe = subprocess.run([path, '-c', PROBE], capture_output=True,
                                   text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            continue
        fields = probe.stdout.split(None, 2)
        if probe.returncode == 0 and len(fields) == 3 and fields[0] == version:
            return fields[1], fields[2].strip()
    return None


def logged(command, log):
    """Run `command` with its output in `log` only (this machine's pip
    config prints many harmless warnings); the log is shown if it fails."""
    with open(log, 'a') as out:
        out.write('$ ' + ' '.join(command) + '\n')
        out.flush()
        done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT,
                              cwd=REPO)
    if done.returncode:
        raise SetupFailed(f'{" ".join(command[:4])} ... failed')


def make_venv(folder, found, log):
    """The venv at `folder`, kept if the same interpreter (same folder,
    same patch release) made it, else made again; True if made."""
    full, executable = found
    made_by = {f'home = {os.path.dirname(executable)}', f'version = {full}'}
    try:
        with open(os.path.join(folder, 'pyvenv.cfg')) as cfg:
            if made_by <= {line.strip() for line in cfg} and os.path.exists(
                    os.path.join(folder, 'bin', 'python')):
                return False
    except OSError:
        pass
    shutil.rmtree(folder, ignore_errors=True)
    logged([executable, '-m', 'venv', folder], log)
    return True


def pip(folder, log, *args):
    logged([os.path.join(folder, 'bin', 'python'), '-m', 'pip', 'install',
            '--quiet', *args], log)


def setup_tests(folder, found, wheel, log):
    """The wheel with its test extra, then the wheel itself again: a
    rebuilt wheel has the same version, which pip would keep."""
    make_venv(folder, found, log)
    pip(folder, log, '--upgrade', 'pip')
    pip(folder, log, wheel + '[test]')
    pip(folder, log, '--force-reinstall', '--no-deps', wheel)


def setup_plone(folder, found, wheel, log):
    """Plone 6.2 as plone/constraints.txt pins it, with the add-ons of
    plone/addons.txt, installed once (again when the pins, the add-ons,
    pyproject.toml or the list above are newer than the marker), then the
    wheel."""
    marker = os.path.join(folder, '.installed')
    made = make_venv(folder, found, log)
    inputs = [os.path.join(REPO, 'plone', 'constraints.txt'),
              os.path.join(REPO, 'plone', 'addons.txt'),
              os.path.join(REPO, 'pyproject.toml'), os.path.abspath(__file__)]
    if made or not os.path.exists(marker) or any(
            os.path.getmtime(f) > os.path.getmtime(marker) for f in inputs):
        pip(folder, log, '--upgrade', 'pip')
        pip(folder, log, '-c', inputs[0], *PLONE, '-r', inputs[1])
        open(marker, 'w').close()
    pip(folder, log, '--force-reinstall', '--no-deps', wheel)


def pytest(python, args):
    """pytest on the installed wheel, its output streamed live and its
    last summary line kept: (passed, summary)."""
    env = dict(os.environ, REFRESHMANAGER_INSTALLED='wheel',
               PYTHONUNBUFFERED='1')
    if sys.stdout.isatty():  # through a pipe pytest would lose both
        args = ['--color=yes', *args]
        env['COLUMNS'] = str(shutil.get_terminal_size().columns)
    child = subprocess.Popen([python, '-m', 'pytest', *args], cwd=REPO,
                             env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
    tail = b''
    while True:
        chunk = os.read(child.stdout.fileno(), 65536)
        if not chunk:
            break
        sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        tail = (tail + chunk)[-8192:]
    status = child.wait()
    text = re.sub(r'\x1b\[[0-9;]*m', '', tail.decode(errors='replace'))
    lines = re.findall(r'(?m)^=+ (.+?) in [\d.]+s\b.*=+\s*$', text)
    return status == 0, lines[-1] if lines else f'pytest exit status {status}'


def duration(seconds):
    minutes, seconds = divmod(round(seconds), 60)
    return f'{minutes}m{seconds:02d}s' if minutes else f'{seconds}s'


def run(version, suite, found, wheel):
    """Set up one environment and run one suite there: a summary row."""
    tag = 'py' + version.replace('.', '')
    folder = os.path.join(VAR, tag if suite == 'tests' else 'plone-' + tag)
    log = folder + '-setup.log'
    name = 'tests' if suite == 'tests' else 'tests_plone'
    print(f'\n{"=" * 20} Python {version} ({found[1]}): {name} on the wheel, '
          f'in {os.path.relpath(folder, REPO)} {"=" * 20}', flush=True)
    start = time.monotonic()
    open(log, 'w').close()
    try:
        (setup_tests if suite == 'tests' else setup_plone)(
            folder, found, wheel, log)
    except SetupFailed as error:
        with open(log) as text:
            sys.stdout.write(text.read())
        print(f'matrix: {error}; its output above, kept in {log}', flush=True)
        return [version, suite, found[1], duration(time.monotonic() - start),
                '-', f'setup failed ({os.path.relpath(log, REPO)})'], False
    setup = time.monotonic() - start
    print(f'matrix: environment ready in {duration(setup)} (pip: {log})',
          flush=True)
    start = time.monotonic()
    passed, summary = pytest(os.path.join(folder, 'bin', 'python'),
                             [] if suite == 'tests' else ['tests_plone'])
    return [version, suite, found[1], duration(setup),
            duration(time.monotonic() - start), summary], passed


def versions(text):
    chosen = [v for v in text.split(',') if v]
    for v in chosen:
        if v not in SUPPORTED:
            raise argparse.ArgumentTypeError(
                f'{v} is not one of {",".join(SUPPORTED)}')
    return chosen


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--wheel', help='the wheel to install and test')
    parser.add_argument('--versions', type=versions, default=list(SUPPORTED),
                        help='run tests/ on these (default: all supported)')
    parser.add_argument('--plone', type=versions, default=[],
                        help='run tests_plone/ on these too')
    parser.add_argument('--require', type=versions, default=[],
                        help='fail if any of these is not found')
    parser.add_argument('--list', action='store_true',
                        help='only say which interpreters would run')
    args = parser.parse_args()
    if not args.list and not (args.wheel and os.path.isfile(args.wheel)):
        parser.error(f'--wheel: no such wheel: {args.wheel}')
    asked = set(args.versions) | set(args.plone) | set(args.require)
    found = {v: find(v) for v in SUPPORTED if v in asked}
    for v, it in found.items():
        print(f'matrix: Python {v}: ' + (f'{it[1]} ({it[0]})' if it else
                                         'not found'), flush=True)
    if args.list:
        return 0
    wheel = os.path.abspath(args.wheel)
    rows, passes = [], 0
    for v in found:
        for suite, chosen in (('tests', args.versions),
                              ('plone', args.plone)):
            if v not in chosen:
                continue
            if not found[v]:
                rows.append([v, suite, '-', '-', '-', 'not found'])
                continue
            row, passed = run(v, suite, found[v], wheel)
            rows.append(row)
            passes += passed
    ran = sum(row[5] != 'not found' for row in rows)
    table = [['Python', 'suite', 'interpreter', 'setup', 'time', 'result']]
    widths = [max(len(r[i]) for r in table + rows) for i in range(5)]
    print('\n' + '=' * 30 + ' matrix summary ' + '=' * 30)
    for row in table + rows:
        print('  '.join(c.ljust(w) for c, w in zip(row, widths)) + '  '
              + row[5])
    missing = [v for v in args.require if not found[v]]
    not_found = sorted({r[0] for r in rows if r[5] == 'not found'})
    print(f'matrix: {passes} of {ran} suites passed; not found (not run): '
          f'{", ".join(not_found) or "none"}' + (
              f'; required but not found: {", ".join(missing)}'
              if missing else ''))
    return 1 if passes < ran or missing or not ran else 0


if __name__ == '__main__':
    sys.exit(main())
