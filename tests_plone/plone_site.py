"""A real Plone 6.2 site: a WSGI instance on a FileStorage, a Plone site
made with ``addPloneSite``, served by one ``runwsgi`` of the Plone
environment the tests run in (``var/plone-py3XY``, which ``make test``
installs for each Python the Plone suite runs on, with the pinned
``plone/constraints.txt``).

Run as a script (in the Plone environment) it creates the site:
``plone_site.py HOME`` with the add-on packages on ``PYTHONPATH``.
"""
import os
import secrets
import subprocess
import sys


HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PLONE_PYTHON = sys.executable
SITE = 'Plone'
THING = 'thing'


def create_site(home):
    """Run in the instance's Python: the Plone site with some content,
    and a persistent Thing of Products.RefreshPloneThing in the Zope
    root."""
    import transaction
    from Zope2.Startup.run import make_wsgi_app
    make_wsgi_app({}, os.path.join(home, 'etc', 'zope.conf'))
    import Zope2
    from Products.CMFPlone.factory import addPloneSite
    from Products.RefreshPloneThing.content import Thing
    from Testing.makerequest import makerequest
    from zope.globalrequest import setRequest
    app = makerequest(Zope2.app())
    app.REQUEST['PARENTS'] = [app]
    setRequest(app.REQUEST)
    addPloneSite(app, SITE, portal_timezone='UTC',
                 extension_ids=('plone.app.contenttypes:default',))
    add_content(app[SITE])
    app._setObject(THING, Thing(THING))
    transaction.commit()
    app._p_jar.close()


def add_content(site):
    """A folder with a document, a news item and an event, and a page to
    show the edit form of: what the sweep's pages show."""
    from datetime import datetime
    from datetime import timedelta

    import pytz

    from plone import api
    from zope.component.hooks import setSite
    setSite(site)
    # No versions: saving one pickles with CMFEditions' Pickler, whose
    # persistent_id Python 3.13 made read-only (the pinned Plone 6.2.2
    # fails there); what the tests look at needs none.
    site.portal_repository.setVersionableContentTypes([])
    start = datetime(2026, 1, 15, 10, 0, tzinfo=pytz.utc)  # as Plone has it
    with api.env.adopt_roles(['Manager']):
        folder = api.content.create(container=site, type='Folder', id='f',
                                    title='Sweep folder')
        api.content.create(container=folder, type='Document', id='d',
                           title='Sweep document')
        api.content.create(container=folder, type='News Item', id='n',
                           title='Sweep news')
        api.content.create(container=folder, type='Event', id='e',
                           title='Sweep event', start=start,
                           end=start + timedelta(hours=2))
        for item in (folder, folder['d'], folder['n'], folder['e']):
            api.content.transition(obj=item, transition='publish')
        # Its edit form locks it (plone.locking), and a locked item shows
        # so wherever it is shown: this one is shown nowhere else.
        api.content.create(container=site, type='Document', id='form',
                           title='Edit form page', exclude_from_nav=True)


def make_instance(home, packages):
    """Make the instance and its site; ``(user, password)``."""
    password = secrets.token_urlsafe(9)
    bin_dir = os.path.dirname(PLONE_PYTHON)
    subprocess.run([os.path.join(bin_dir, 'mkwsgiinstance'), '-d', home,
                    '-u', f'admin:{password}'], check=True,
                   capture_output=True)
    made = subprocess.run(
        [PLONE_PYTHON, __file__, home], capture_output=True, text=True,
        env=dict(os.environ, PYTHONPATH=os.pathsep.join([packages, REPO])))
    if made.returncode:
        raise RuntimeError(f'creating the Plone site failed:\n{made.stderr}')
    return 'admin', password


if __name__ == '__main__':
    create_site(sys.argv[1])
