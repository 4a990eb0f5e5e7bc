"""``make run-cluster``: a ZEO server and two demo Zopes from one
command, with one login; Ctrl+C stops all three."""
import os
import signal
import socket
import subprocess
import sys
import time

from bs4 import BeautifulSoup

from ..demo import copy_demo
from ..server import default_signals
from ..server import free_port
from ..server import request


def listening(port):
    try:
        with socket.create_connection(('127.0.0.1', port), 0.5):
            return True
    except OSError:
        return False


def test_one_command_starts_the_cluster_and_ctrl_c_stops_it(tmp_path):
    demo = copy_demo(tmp_path / 'demo')
    zeo_port, port_a, port_b = ports = [free_port() for _ in range(3)]
    output = open(tmp_path / 'output.txt', 'w+b')
    script = subprocess.Popen(
        [sys.executable, os.path.join(demo, 'run_cluster.py'),
         str(tmp_path / 'cluster'), '--zeo-port', str(zeo_port),
         '--ports', str(port_a), str(port_b)],
        stdout=output, stderr=subprocess.STDOUT, preexec_fn=default_signals)
    try:
        deadline = time.monotonic() + 120
        while b'Ctrl+C stops both Zopes' not in read(output):
            assert script.poll() is None, read(output).decode()
            assert time.monotonic() < deadline, read(output).decode()
            time.sleep(0.2)
        text = read(output).decode()
        login = open(tmp_path / 'cluster' / 'admin-login.txt').read().strip()
        assert f'login {login}' in text
        for port in (port_a, port_b):
            status, tab = request(
                f'http://127.0.0.1:{port}/Control_Panel/Products/RefreshDemo'
                f'/manage_refresh', *login.split(':', 1))
            assert status == 200
            scope = BeautifulSoup(tab, 'html.parser').select_one('#scope')
            assert 'one of 2 processes reporting' in ' '.join(
                scope.text.split())
        assert '[A] ' in text and '[B] ' in text
    finally:
        script.send_signal(signal.SIGINT)
        assert script.wait(60) == 0
    assert not any(listening(port) for port in ports)
    assert 'closing storage' in open(
        tmp_path / 'cluster' / 'zeo' / 'zeo.log').read()


def test_a_taken_port_is_one_clear_line(tmp_path):
    demo = copy_demo(tmp_path / 'demo')
    with socket.socket() as taken:
        taken.bind(('127.0.0.1', 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, os.path.join(demo, 'run_cluster.py'),
             str(tmp_path / 'cluster'), '--zeo-port', str(port)],
            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f'Port {port} on 127.0.0.1 (ZEO) is not free (Address already in '
        f'use): choose another, e.g. make run-cluster ZEO_PORT=8200 '
        f'PORT_A=8180 PORT_B=8181']


def read(output):
    output.flush()
    output.seek(0)
    return output.read()

