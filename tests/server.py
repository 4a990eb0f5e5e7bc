"""A real Zope process: the demo instance of ``make run``, served by
``runwsgi`` on a free port of 127.0.0.1; and a real ZEO server for
several of them."""
import base64
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from .demo import copy_demo


BIN = os.path.dirname(sys.executable)
# What the runwsgi script runs, for an environment without the script.
RUNWSGI = 'import sys; from Zope2.Startup.serve import main; sys.exit(main())'


def default_signals():
    """Give Zope the signal handling it has when a person starts it: a
    test run in the background (``make test &``) ignores SIGINT, and
    children would inherit that."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def wait_listening(process, port, log, seconds=60):
    """Wait until `process` accepts connections on `port`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f'{process.args[0]} exited: see {log}')
        try:
            with socket.create_connection(('127.0.0.1', port), 0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f'{process.args[0]} did not answer in time: see {log}')


class ZEOServer:
    """``runzeo`` on a free port, with a FileStorage in `folder`."""

    def __init__(self, folder):
        self.folder = str(folder)
        os.makedirs(self.folder, exist_ok=True)
        self.port = free_port()
        self.address = f'127.0.0.1:{self.port}'
        self.process = None

    def start(self):
        self.log = open(os.path.join(self.folder, 'zeo.log'), 'ab')
        self.process = subprocess.Popen(
            [os.path.join(BIN, 'runzeo'), '-a', self.address, '-f',
             os.path.join(self.folder, 'Data.fs')],
            stdout=self.log, stderr=subprocess.STDOUT,
            preexec_fn=default_signals)
        wait_listening(self.process, self.port, self.log.name)
        return self

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(30)
        self.process = None
        self.log.close()


class ZopeServer:

    def __init__(self, home, demo=None, debug=True, zope_conf='',
                 python=None, zeo=None, login=None):
        """`zope_conf` is appended to the instance's zope.conf; `demo` is
        the folder of demo products to use (a pinned copy by default);
        `python` the interpreter of another environment to run Zope in;
        `zeo` the address of a ZEO server to use as database, and `login`
        the admin login that every Zope on it shares."""
        self.home = str(home)
        self.python = python
        self.demo = str(demo or copy_demo(self.home + '-demo'))
        self.debug = debug
        self.port = free_port()
        self.url = f'http://127.0.0.1:{self.port}'
        options = (['--zeo', zeo] if zeo else []) + (
            ['--login', login] if login else [])
        subprocess.run(
            [sys.executable, os.path.join(self.demo, 'setup_instance.py'),
             self.home, str(self.port)] + options,
            check=True, capture_output=True)
        with open(os.path.join(self.home, 'admin-login.txt')) as login:
            self.user, self.password = login.read().strip().split(':', 1)
        with open(os.path.join(self.home, 'etc', 'zope.conf'), 'a') as conf:
            conf.write(zope_conf)
        self.process = None

    def start(self):
        env = dict(os.environ, PYTHONPATH=self.demo)
        self.log = open(os.path.join(self.home, 'runwsgi.log'), 'ab')
        runwsgi = ([self.python, '-c', RUNWSGI] if self.python
                   else [os.path.join(BIN, 'runwsgi')])
        self.process = subprocess.Popen(
            runwsgi + (['-d'] if self.debug else [])
            + [os.path.join(self.home, 'etc', 'zope.ini')],
            env=env, stdout=self.log, stderr=subprocess.STDOUT,
            preexec_fn=default_signals)
        wait_listening(self.process, self.port, self.log.name)
        return self

    def stop(self, signum=signal.SIGTERM):
        """Stop Zope with `signum`; its exit code."""
        code = None
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signum)
            code = self.process.wait(30)
        self.process = None
        self.log.close()
        return code

    def log_text(self):
        with open(self.log.name, errors='replace') as log:
            return log.read()

    def request(self, path, data=None):
        """(status, body) of a GET, or of a POST when `data` is given."""
        return request(self.url + path, self.user, self.password, data)


def basic_auth(user, password):
    """The ``Authorization`` header value that logs `user` in."""
    token = base64.b64encode(f'{user}:{password}'.encode())
    return 'Basic ' + token.decode()


def request(url, user, password, data=None, headers=None):
    """(status, body) of a GET of `url` as `user`, or of a POST when
    `data` is given, with `headers` besides."""
    body = None if data is None else urllib.parse.urlencode(
        data, doseq=True).encode()
    http_request = urllib.request.Request(url, data=body,
                                          headers=headers or {})
    http_request.add_header('Authorization', basic_auth(user, password))
    try:
        with urllib.request.urlopen(http_request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def inotify_watches(pid):
    """The inotify watches process `pid` holds, read from /proc."""
    count = 0
    for fd in os.listdir(f'/proc/{pid}/fd'):
        try:
            target = os.readlink(f'/proc/{pid}/fd/{fd}')
        except OSError:
            continue
        if 'inotify' in target:
            with open(f'/proc/{pid}/fdinfo/{fd}') as info:
                count += sum(line.startswith('inotify wd:') for line in info)
    return count
