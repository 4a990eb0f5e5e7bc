"""``make run PORT=…``: the demo instance serves on the port given, and a
taken port is one clear line, not a traceback."""
import os
import socket
import subprocess
import sys

from ..server import ZopeServer
from ..server import free_port
from ..zope_instance import DEMO_PATH


SETUP = os.path.join(DEMO_PATH, 'setup_instance.py')


def test_a_taken_port_is_one_clear_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(('127.0.0.1', 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, SETUP, str(tmp_path / 'instance'), str(port)],
            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [lines[0]] and 'Traceback' not in result.stderr
    assert f'Port {port} on 127.0.0.1 is not free' in lines[0]
    assert f'make run PORT={port + 1}' in lines[0]


def test_a_second_run_of_a_running_instance_is_one_line(tmp_path):
    """While the demo Zope runs, ``make run PORT=…`` says so in one line
    and leaves the running instance's configuration as it was."""
    server = ZopeServer(tmp_path / 'instance').start()
    try:
        ini = os.path.join(server.home, 'etc', 'zope.ini')
        with open(ini) as conf:
            before = conf.read()
        result = subprocess.run(
            [sys.executable, os.path.join(server.demo, 'setup_instance.py'),
             server.home, str(free_port())],
            capture_output=True, text=True, timeout=120)
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and 'Traceback' not in result.stderr
        assert f'The demo Zope in {server.home} is running already' in \
            lines[0]
        with open(ini) as conf:
            assert conf.read() == before
        assert server.request('/demo')[0] == 200
    finally:
        server.stop()
