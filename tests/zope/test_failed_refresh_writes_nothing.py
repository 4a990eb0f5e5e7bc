"""A failed refresh leaves no trace in the ZODB: what the product's
``initialize()`` wrote before it raised is not committed, whether a person
asked for the refresh, the product was refreshed as a dependent, or
auto-refresh ran it, and the settings stay as they were."""
from ..conftest import THING_PRODUCT
from ..conftest import post
from ..conftest import refresh
from ..notice.test_autorefresh import wait_marked
from ..notice.test_autorefresh import watcher  # noqa: F401 (a fixture)
from .test_dependents import choose


WRITES_THEN_FAILS = '''
    from . import content


    def initialize(context):
        context.registerClass(
            content.Thing, constructors=(content.manage_addThing,))
        app = context.getApplication()
        app._setObject('written_{name}', content.Thing('written_{name}'))
        for section in app._p_jar.root()['RefreshData'].values():
            section.clear()
        raise ValueError('initialize failed after writing')
'''


def database(zope, product):
    """What the committed database holds: is the object there, and the
    settings."""
    with zope.app() as app:
        data = app._p_jar.root().get('RefreshData', {})
        return (f'written_{product.name}' in app.objectIds(),
                {key: dict(section) for key, section in data.items()})


def break_initialize(product):
    product.write({'__init__.py': WRITES_THEN_FAILS})


def test_a_failed_refresh_commits_nothing(zope, admin, installed):
    post(admin, installed.url + '/manage_enableAutoRefresh', {'enable': 'on'})
    _, settings = database(zope, installed)
    break_initialize(installed)
    page = refresh(admin, installed, status=422)
    assert 'initialize failed after writing' in page.html.select_one(
        '.alert').text
    assert database(zope, installed) == (False, settings)
    assert settings['auto'][installed.name] == 1


def test_a_failed_dependent_commits_nothing(zope, admin, installed,
                                            make_product):
    dependent = make_product()
    refresh(admin, dependent)
    choose(admin, installed, dependent)
    _, settings = database(zope, dependent)
    installed.write({'content.py': THING_PRODUCT['content.py'] + '\n'})
    break_initialize(dependent)
    page = refresh(admin, installed, status=422)
    assert f'while refreshing {dependent.package}' in page.text
    assert database(zope, dependent) == (False, settings)


def test_a_failed_auto_refresh_writes_nothing(zope, admin, installed,
                                              watcher):  # noqa: F811
    post(admin, installed.url + '/manage_enableAutoRefresh', {'enable': 'on'})
    _, settings = database(zope, installed)

    # A script opening the database with Zope2.app() runs the refresh;
    # the script's own work is committed, the refresh's is not.
    break_initialize(installed)
    wait_marked(installed)
    with zope.app() as app:
        assert f'written_{installed.name}' not in app.objectIds()
        app._p_jar.root()['script_work'] = installed.name
    with zope.app() as app:
        assert app._p_jar.root().pop('script_work') == installed.name
    assert database(zope, installed) == (False, settings)

    # A request runs it before it is traversed.
    installed.write({'content.py': THING_PRODUCT['content.py'] + '\n'})
    wait_marked(installed)
    admin.get(installed.obj_url + '/greet')
    assert 'ValueError' in admin.get(
        installed.url + '/manage_refresh').html.select_one(
        '#last-refresh').text
    assert database(zope, installed) == (False, settings)
