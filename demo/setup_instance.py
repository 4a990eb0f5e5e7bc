"""Create (once) the demo Zope instance that ``make run`` starts.

A WSGI instance home made by ``mkwsgiinstance``, an admin user with a
generated password, a demo page of each demo product, and RefreshDemoPlus
chosen as RefreshDemo's dependent product. Running it again keeps what
is there, serves on the port given this time, and prints the login again.

Usage: setup_instance.py HOME [PORT]  (PORT defaults to 8080)
"""
import os
import re
import secrets
import socket
import subprocess
import sys

import transaction


DEMO = os.path.dirname(os.path.abspath(__file__))


def make_instance(home):
    login_file = os.path.join(home, 'admin-login.txt')
    if not os.path.exists(os.path.join(home, 'etc', 'zope.conf')):
        password = secrets.token_urlsafe(9)
        subprocess.run(
            [os.path.join(os.path.dirname(sys.executable), 'mkwsgiinstance'),
             '-d', home, '-u', f'admin:{password}'], check=True)
        with open(login_file, 'w') as out:
            out.write(f'admin:{password}\n')
    with open(login_file) as login:
        return login.read().strip()


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


def main(home, port=8080):
    home = os.path.abspath(home)
    check_port(port)
    login = make_instance(home)
    set_port(home, port)
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


if __name__ == '__main__':
    main(sys.argv[1], *map(int, sys.argv[2:3]))
