"""A real cluster for the tests and the benchmark: a ZEO server and two
Zope processes (runwsgi, production mode, so no auto-refresh) on it,
serving one copy of the demo products, as on two hosts deployed alike."""
import contextlib
import json
import os
import textwrap
import time

from .demo import GREETING
from .demo import GREETING_SOURCE
from .demo import copy_demo
from .demo import greeting_path
from .server import ZEOServer
from .server import ZopeServer


PRODUCT = '/Control_Panel/Products/RefreshDemo'


def product_config(settings):
    lines = ''.join(f'  {key} {value}\n' for key, value in settings.items())
    return f'\n<product-config refreshmanager>\n{lines}</product-config>\n'


class Cluster:

    def __init__(self, folder, **settings):
        """`settings` go to <product-config refreshmanager>, with `_` in
        their names for `-`."""
        folder = str(folder)
        self.zeo = ZEOServer(os.path.join(folder, 'zeo')).start()
        self.demo = copy_demo(os.path.join(folder, 'demo'))
        conf = product_config({key.replace('_', '-'): value
                               for key, value in settings.items()})
        self.a = self.b = None
        try:
            self.a = ZopeServer(
                os.path.join(folder, 'a'), self.demo, debug=False,
                zeo=self.zeo.address, zope_conf=conf).start()
            self.b = ZopeServer(
                os.path.join(folder, 'b'), self.demo, debug=False,
                zeo=self.zeo.address, zope_conf=conf,
                login=f'{self.a.user}:{self.a.password}').start()
        except BaseException:
            self.stop()
            raise

    def stop(self):
        for zope in (self.b, self.a):
            if zope is not None and zope.process is not None:
                zope.stop()
        self.zeo.stop()

    def data_size(self):
        """Bytes in the ZEO server's FileStorage: it grows with every
        transaction committed."""
        return os.path.getsize(os.path.join(self.zeo.folder, 'Data.fs'))


@contextlib.contextmanager
def running_cluster(folder, **settings):
    cluster = Cluster(folder, **settings)
    try:
        yield cluster
    finally:
        cluster.stop()


def save_greeting(demo, text, before='', after=''):
    """Save greeting.py of the demo copy, once for both processes, as
    pinned but with `text`, and with code `before` and `after` it."""
    source = textwrap.dedent(GREETING_SOURCE).replace(
        repr(GREETING), repr(text))
    with open(greeting_path(demo), 'w') as out:
        out.write(before + source + after)


def refresh(server, **fields):
    """(status, page) of a click on Refresh of RefreshDemo on `server`."""
    return server.request(f'{PRODUCT}/manage_performRefresh', fields)


def status(server):
    code, body = server.request(f'{PRODUCT}/manage_refreshStatus')
    assert code == 200, body
    return json.loads(body)


def process_status(server, of):
    """The status row of the ZopeServer `of`, as `server` reports it."""
    rows = [row for row in status(server)['processes']
            if row['pid'] == of.process.pid]
    assert len(rows) == 1, rows
    return rows[0]


def demo_page(server, path='/demo'):
    code, body = server.request(path)
    assert code == 200, body
    return body


def wait_for(condition, seconds=10):
    """Wait for what another process does; fails only on the timeout."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, 'timed out'
        time.sleep(0.05)
