"""Run a benchmark and keep what it printed for the docs.

The docs' numbers are the benchmarks' own output, never retyped:
``docs/measurements.md`` includes the files this writes to
``docs/measured/``, each headed by when, on what machine and with which
Python it was run, and the command.

    python benchmarks/record.py NAME [ARGUMENT ...]

runs ``benchmarks/NAME.py ARGUMENT ...`` with the running interpreter,
shows its output as it comes, and writes it to
``docs/measured/NAME-pyXY.txt`` if it exits 0 (a failed run records
nothing).
"""
import datetime
import os
import platform
import subprocess
import sys


HERE = os.path.dirname(os.path.abspath(__file__))
MEASURED = os.path.join(os.path.dirname(HERE), 'docs', 'measured')


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open('/proc/cpuinfo') as info:
            for line in info:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    return f'{platform.system()} {platform.machine()}, {cpu}, ' \
        f'{os.cpu_count()} cores'


def main(name, arguments):
    command = [sys.executable, os.path.join(HERE, f'{name}.py'), *arguments]
    child = subprocess.Popen(command, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True,
                             env=dict(os.environ, PYTHONUNBUFFERED='1'))
    lines = []
    for line in child.stdout:
        sys.stdout.write(line)
        lines.append(line)
    if child.wait():
        sys.exit(f'record: {name} exited {child.returncode}; nothing '
                 f'recorded')
    version = '%d.%d' % sys.version_info[:2]
    header = (
        f'# benchmarks/{name}.py {" ".join(arguments)}\n'
        f'# run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M}'
        f' UTC on {machine()}\n'
        f'# Python {platform.python_version()}\n\n')
    os.makedirs(MEASURED, exist_ok=True)
    path = os.path.join(MEASURED, f'{name}-py{version.replace(".", "")}.txt')
    with open(path, 'w') as out:
        out.write(header + ''.join(lines))
    print(f'record: written to {os.path.relpath(path)}')


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
