"""Create (once) the demo Zope instance that ``make run`` starts.

A WSGI instance home made by ``mkwsgiinstance``, an admin user with a
generated password, a demo page of each demo product, and RefreshDemoPlus
chosen as RefreshDemo's dependent product. Running it again keeps what
is there, serves on the port given this time, and prints the login again.

With ``--zeo HOST:PORT`` the instance is a ZEO client of that server
(which must be running) instead of having a FileStorage of its own; the
instances of a cluster share the admin login given with ``--login``.

Usage: setup_instance.py HOME [PORT] [--zeo HOST:PORT] [--login USER:PASSWORD]
(PORT defaults to 8080)
"""
import argparse
import os
import re
import secrets
import socket
import subprocess
import sys

import transaction


DEMO = os.path.dirname(os.path.abspath(__file__))


def make_instance(home, login=None):
    login_file = os.path.join(home, 'admin-login.txt')
    if not os.path.exists(os.path.join(home, 'etc', 'zope.conf')):
        login = login or f'admin:{secrets.token_urlsafe(9)}'
        subprocess.run(
            [os.path.join(os.path.dirname(sys.executable), 'mkwsgiinstance'),
             '-d', home, '-u', login], check=True)
        with open(login_file, 'w') as out:
            out.write(f'{login}\n')
    with open(login_file) as login:
        return login.read().strip()


ZODB_MAIN = re.compile(r'(?ms)^<zodb_db main>$.*?^</zodb_db>$')


def use_zeo(home, address):
    """Make the instance's main database a client of the ZEO server at
    `address` (host:port)."""
    path = os.path.join(home, 'etc', 'zope.conf')
    with open(path) as conf:
        text = conf.read()
    text = ZODB_MAIN.sub(f'''<zodb_db main>
    <zeoclient>
      server {address}
    </zeoclient>
    mount-point /
</zodb_db>''', text)
    with open(path, 'w') as conf:
        conf.write(text)


def check_not_running(home):
    """Exit with one line, changing nothing, if the instance at `home`
    runs already: its database is locked (a second ``make run``, on
    another port or not, would rewrite the running one's zope.ini, then
    fail with a lock traceback)."""
    import zc.lockfile
    lock = os.path.join(home, 'var', 'Data.fs.lock')
    if not os.path.exists(lock):
        return
    try:
        zc.lockfile.LockFile(lock).close()
    except zc.lockfile.LockError:
        with open(lock) as owner:
            pid = owner.read().split()[:1] or ['another process']
        sys.exit(f'The demo Zope in {home} is running already (process '
                 f'{pid[0]} holds its database): use that one, or stop it '
                 f'(Ctrl+C where it runs) first.')


def check_port(port):
    """Exit with one line, not runwsgi's traceback, if `port` is taken."""
    with socket.socket() as probe:
        try:
            probe.bind(('127.0.0.1', port))
        except OSError as error:
            sys.exit(f'Port {port} on 127.0.0.1 is not free ({error.strerror})'
                     f': start with another, e.g. make run PORT={port + 1}')


def set_port(home, port):
    ini = os.path.join(home, 'etc', 'zope.ini')
    with open(ini) as conf:
        text = conf.read()
    text = re.sub(r'(?m)^port = \d+$', f'port = {port}', text)
    with open(ini, 'w') as conf:
        conf.write(text)


def add_demo_content(home):
    sys.path.insert(0, DEMO)
    from Zope2.Startup.run import configure_wsgi
    configure_wsgi(os.path.join(home, 'etc', 'zope.conf'))
    import Zope2
    from Products.RefreshDemo.content import DemoPage
    from Products.RefreshDemoPlus.content import FancyDemoPage
    from Products.RefreshManager.settings import RefreshSettings
    app = Zope2.app()
    try:
        for obj in (DemoPage('demo', 'the demo page'),
                    FancyDemoPage('fancy', 'the fancy demo page')):
            if obj.getId() not in app.objectIds():
                app._setObject(obj.getId(), obj)
        settings = RefreshSettings(app._p_jar.root())
        if not settings.dependents('RefreshDemo'):
            settings.set_dependents('RefreshDemo', ['RefreshDemoPlus'])
        transaction.commit()
    finally:
        app._p_jar.close()
        app._p_jar.db().close()


def main(home, port=8080, zeo=None, login=None):
    home = os.path.abspath(home)
    check_not_running(home)
    check_port(port)
    login = make_instance(home, login)
    set_port(home, port)
    if zeo:
        use_zeo(home, zeo)
    add_demo_content(home)
    url = f'http://127.0.0.1:{port}'
    print(f'''
Zope with Products.RefreshManager and the demo products:
  ZMI:           {url}/manage_main   (login {login})
  Refresh tab:   {url}/Control_Panel/Products/RefreshDemo/manage_refresh
  Demo pages:    {url}/demo   {url}/fancy
Edit {DEMO}/Products/RefreshDemo/greeting.py, click "Refresh this product",
reload the demo page. Ctrl+C stops Zope.
''', flush=True)


def parse(argv):
    parser = argparse.ArgumentParser(
        description='Create the demo Zope instance of make run.')
    parser.add_argument('home')
    parser.add_argument('port', nargs='?', type=int, default=8080)
    parser.add_argument('--zeo', metavar='HOST:PORT',
                        help='a ZEO client of this server')
    parser.add_argument('--login', metavar='USER:PASSWORD',
                        help='the admin login, instead of a new one')
    return parser.parse_args(argv)


if __name__ == '__main__':
    main(**vars(parse(sys.argv[1:])))
