"""Shared by the benchmarks: generated products and real Zope processes.

Each benchmark starts its Zopes with ``tests.server.ZopeServer`` (the
``make run`` instance, served by runwsgi on 127.0.0.1) from a copy of the
demo folder that also holds generated products.
"""
import http.client
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse


REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from tests.server import ZopeServer  # noqa: E402
from tests.server import basic_auth  # noqa: E402
from tests.demo import copy_demo  # noqa: E402


def generate_product(products_folder, name, modules):
    """A refreshable product of `modules` modules, all imported by its
    package, each with a class and a few functions."""
    folder = os.path.join(products_folder, name)
    os.makedirs(folder)
    names = [f'm{index:03d}' for index in range(modules)]
    with open(os.path.join(folder, 'refresh.txt'), 'w'):
        pass
    with open(os.path.join(folder, '__init__.py'), 'w') as init:
        init.write(f'from . import {", ".join(names)}\n')
    for index, module in enumerate(names):
        with open(os.path.join(folder, f'{module}.py'), 'w') as source:
            source.write(
                (f'from .{names[index - 1]} import VALUE as BEFORE\n'
                 if index else 'BEFORE = 0\n')
                + f'VALUE = BEFORE + 1\n\n\n'
                f'class Thing{index}:\n'
                '    def one(self):\n        return VALUE\n\n'
                '    def two(self):\n        return BEFORE\n\n\n'
                'def helper(x):\n    return x + VALUE\n')
    return folder


def edit_bodies(product_folder, modules, round_):
    """Change the body of ``helper`` in each of `modules` (names of
    modules of a generated product): code, not a comment, so the
    refresh has something to carry over."""
    for module in modules:
        path = os.path.join(product_folder, f'{module}.py')
        with open(path) as source:
            text = re.sub(r'return x \+ VALUE.*',
                          f'return x + VALUE + {round_}', source.read())
        with open(path, 'w') as source:
            source.write(text)


def demo_copy(folder, products=(), modules=200, extra=None):
    """A copy of the demo folder with generated products `products`."""
    demo = copy_demo(os.path.join(folder, 'demo'))
    for name in products:
        generate_product(os.path.join(demo, 'Products'), name, modules)
    if extra:
        extra(os.path.join(demo, 'Products'))
    return demo


def zope(folder, demo, name, **options):
    return ZopeServer(os.path.join(folder, name), demo, **options)


def timed(call):
    """Seconds `call()` took."""
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def pin(server, cpu, helper_cpu):
    """Keep every thread of the server on one CPU, and its helper
    processes (the file event watcher) on another: on a 2-core machine
    this takes most scheduling noise out of throughput comparisons."""
    if len(os.sched_getaffinity(0)) < 2 or not shutil.which('taskset'):
        return False
    pid = str(server.process.pid)
    subprocess.run(['taskset', '-a', '-cp', str(cpu), pid], check=True,
                   capture_output=True)
    helpers = subprocess.run(['pgrep', '-P', pid], capture_output=True,
                             text=True).stdout.split()
    for helper in helpers:
        subprocess.run(['taskset', '-a', '-cp', str(helper_cpu), helper],
                       check=True, capture_output=True)
    return True


class KeepAliveClient:
    """One HTTP/1.1 connection, reused for every request; logged in as
    the instance's admin for `post`."""

    def __init__(self, server):
        self.connection = http.client.HTTPConnection('127.0.0.1', server.port)
        self.authorization = basic_auth(server.user, server.password)

    def get(self, path):
        return self._answer('GET', path, {})

    def post(self, path, data=None):
        body = urllib.parse.urlencode(data or {})
        return self._answer('POST', path, {
            'Authorization': self.authorization,
            'Content-Type': 'application/x-www-form-urlencoded'}, body)

    def _answer(self, method, path, headers, body=None):
        self.connection.request(method, path, body, headers)
        response = self.connection.getresponse()
        body = response.read()
        assert response.status == 200, (response.status, body[:300])
        return body

    def requests_per_second(self, path, count):
        start = time.perf_counter()
        for _ in range(count):
            self.get(path)
        return count / (time.perf_counter() - start)

    def close(self):
        self.connection.close()
