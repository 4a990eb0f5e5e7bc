"""A real Zope instance in a temporary folder: zope.conf, FileStorage,
users, and a folder on sys.path for test products."""
import os
import textwrap


REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO_PATH = os.path.join(REPO, 'demo')

USERS = {
    'admin': ('secret', ['Manager']),
    'editor': ('secret', ['Editor']),  # sees the ZMI, may not refresh
}


def write_zope_conf(home, debug=True):
    """Write ``home/etc/zope.conf`` for a FileStorage in ``home/var``."""
    for sub in ('etc', 'var', 'log'):
        os.makedirs(os.path.join(home, sub), exist_ok=True)
    path = os.path.join(home, 'etc', 'zope.conf')
    with open(path, 'w') as conf:
        conf.write(textwrap.dedent(f'''\
            %define INSTANCE {home}
            instancehome $INSTANCE
            debug-mode {'on' if debug else 'off'}
            <zodb_db main>
                <filestorage>
                  path $INSTANCE/var/Data.fs
                </filestorage>
                mount-point /
            </zodb_db>
            '''))
    return path


def add_users(app):
    """The test users, and an Editor role allowed into the ZMI only."""
    if 'Editor' not in app.valid_roles():
        app._addRole('Editor')
    app.manage_permission(
        'View management screens', ['Manager', 'Editor'], acquire=0)
    for name, (password, roles) in USERS.items():
        if app.acl_users.getUser(name) is None:
            app.acl_users._doAddUser(name, password, roles, [])
