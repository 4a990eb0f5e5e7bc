"""Create (once) the demo Zope instance that ``make run`` starts.

A WSGI instance home made by ``mkwsgiinstance``, an admin user with a
generated password, a demo page of each demo product, and RefreshDemoPlus
chosen as RefreshDemo's dependent product. Running it again keeps what
is there and prints the login again.
"""
import os
import secrets
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


def main(home):
    home = os.path.abspath(home)
    login = make_instance(home)
    add_demo_content(home)
    print(f'''
Zope with Products.RefreshManager and the demo products:
  ZMI:           http://127.0.0.1:8080/manage_main   (login {login})
  Refresh tab:   http://127.0.0.1:8080/Control_Panel/Products/RefreshDemo/manage_refresh
  Demo pages:    http://127.0.0.1:8080/demo   http://127.0.0.1:8080/fancy
Edit {DEMO}/Products/RefreshDemo/greeting.py, click "Refresh this product",
reload the demo page. Ctrl+C stops Zope.
''', flush=True)


if __name__ == '__main__':
    main(sys.argv[1])
