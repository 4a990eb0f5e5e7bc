"""Start a local cluster: a ZEO server and two Zope processes on it,
serving the demo products, as ``make run-cluster`` does.

The ZEO server keeps ``FOLDER/zeo/Data.fs``; the Zope instances are
``FOLDER/a`` and ``FOLDER/b`` (made once by setup_instance.py, with one
admin login for both) and run in debug mode. Their output is shown with
a prefix naming the process; the ZEO server's goes to
``FOLDER/zeo/zeo.log``. Ctrl+C, or SIGTERM to this script, stops
both Zopes and then the ZEO server.

Usage: run_cluster.py FOLDER [--zeo-port 8100] [--ports 8080 8081]
"""
import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time


DEMO = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.dirname(sys.executable)


def check_ports(ports):
    """Exit with one line if a port is taken."""
    for name, port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(('127.0.0.1', port))
            except OSError as error:
                sys.exit(f'Port {port} on 127.0.0.1 ({name}) is not free '
                         f'({error.strerror}): choose another, e.g. '
                         f'make run-cluster ZEO_PORT=8200 PORT_A=8180 '
                         f'PORT_B=8181')


def relay(process, prefix):
    """Show the output of `process`, each line prefixed."""
    for line in process.stdout:
        sys.stdout.write(f'{prefix} {line.decode(errors="replace")}')
        sys.stdout.flush()


def start(command, prefix=None, env=None, log=None):
    """Start `command`, its output relayed with `prefix` or written to
    the file `log`. In a session of its own: Ctrl+C reaches this script
    only, which stops the Zopes before the ZEO server they depend on."""
    process = subprocess.Popen(
        command, env=env, stdout=log or subprocess.PIPE,
        stderr=subprocess.STDOUT, start_new_session=True)
    if log is None:
        threading.Thread(target=relay, args=(process, prefix),
                         daemon=True).start()
    return process


def wait_listening(process, port, name, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f'{name} exited with {process.returncode}')
        try:
            with socket.create_connection(('127.0.0.1', port), 0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f'{name} did not listen on port {port} in time')


def login_of(folder):
    """The admin login both instances share, made once."""
    path = os.path.join(folder, 'admin-login.txt')
    if not os.path.exists(path):
        with open(path, 'w') as out:
            out.write(f'admin:{secrets.token_urlsafe(9)}\n')
    with open(path) as login:
        return login.read().strip()


def stop(processes):
    """SIGINT each process (a clean Zope and ZEO shutdown) in order."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def main(folder, zeo_port=8100, ports=(8080, 8081)):
    folder = os.path.abspath(folder)
    names = ('A', 'B')
    check_ports([('ZEO', zeo_port)] + list(zip(names, ports)))
    os.makedirs(os.path.join(folder, 'zeo'), exist_ok=True)
    login = login_of(folder)
    zeo_address = f'127.0.0.1:{zeo_port}'
    zeo_log = os.path.join(folder, 'zeo', 'zeo.log')
    with open(zeo_log, 'ab') as log:
        zeo = start([os.path.join(BIN, 'runzeo'), '-a', zeo_address, '-f',
                     os.path.join(folder, 'zeo', 'Data.fs')], log=log)
    zopes = []
    signal.signal(signal.SIGTERM, lambda *args: sys.exit(0))
    try:
        wait_listening(zeo, zeo_port, 'runzeo')
        env = dict(os.environ, PYTHONPATH=DEMO)
        for name, port in zip(names, ports):
            home = os.path.join(folder, name.lower())
            if subprocess.run(
                    [sys.executable, os.path.join(DEMO, 'setup_instance.py'),
                     home, str(port), '--zeo', zeo_address, '--login', login],
                    stdout=subprocess.DEVNULL).returncode:
                print(f'Setting up Zope {name} in {home} failed (see above).',
                      file=sys.stderr)
                return 1
            zopes.append(start(
                [os.path.join(BIN, 'runwsgi'), '-d',
                 os.path.join(home, 'etc', 'zope.ini')], f'[{name}]', env))
        for name, port, zope in zip(names, ports, zopes):
            wait_listening(zope, port, f'Zope {name}')
        product = '/Control_Panel/Products/RefreshDemo/manage_refresh'
        print(f'''
A ZEO server on {zeo_address} (log: {zeo_log}) and two Zope processes
on it (login {login}):
''' + ''.join(f'''  {name}: http://127.0.0.1:{port}{product}
''' for name, port in zip(names, ports)) + f'''
Edit {DEMO}/Products/RefreshDemo/greeting.py, click "Refresh this product"
on A (all processes is the default), reload http://127.0.0.1:{ports[1]}/demo
on B. Ctrl+C stops both Zopes, then the ZEO server.
''', flush=True)
        while all(process.poll() is None for process in [zeo] + zopes):
            time.sleep(0.2)
        print('A process of the cluster exited: stopping the others.',
              flush=True)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop(zopes + [zeo])


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('folder')
    parser.add_argument('--zeo-port', type=int, default=8100)
    parser.add_argument('--ports', type=int, nargs=2, default=(8080, 8081),
                        metavar=('PORT_A', 'PORT_B'))
    return parser.parse_args(argv)


if __name__ == '__main__':
    sys.exit(main(**vars(parse(sys.argv[1:]))))
