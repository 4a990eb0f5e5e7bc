"""``make run PORT=…``: the demo instance serves on the port given, and a
taken port is one clear line, not a traceback."""
import os
import socket
import subprocess
import sys

from .zope_instance import DEMO_PATH


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
