"""What a module's top level does to the global component registrations
when it runs again: what it takes out comes back, what it adds stays;
a refresh that fails leaves them as they were. As Products.GenericSetup's
``registry`` module, whose registries clear, when made, the utilities
the site's ZCML registered."""
import importlib

import pytest
from zope.component import getGlobalSiteManager
from zope.interface import Interface

from Products.RefreshManager.engine.apply.refresh import RefreshError

from ...packages import write_files
from ..apply.test_engine import package  # noqa: F401 (fixture)
from ..apply.test_engine import refresh



REGISTRY = '''
from zope.component import getGlobalSiteManager
from .interfaces import IProfile


class ProfileRegistry:
    """Stands for the utilities; clears them when made (as GenericSetup's)."""

    def __init__(self):
        sm = getGlobalSiteManager()
        for name, _profile in list(sm.getUtilitiesFor(IProfile)):
            sm.unregisterUtility(provided=IProfile, name=name)

    def names(self):
        return sorted(n for n, _ in getGlobalSiteManager().getUtilitiesFor(
            IProfile))


registry = ProfileRegistry()
getGlobalSiteManager().registerUtility(object(), IProfile, 'own VERSION')
'''


@pytest.fixture
def profiles(package):
    name, folder = package
    write_files(folder, {
        '__init__.py': '',
        'interfaces.py': 'from zope.interface import Interface\n\n\n'
                         'class IProfile(Interface):\n    pass\n',
        'registry.py': REGISTRY.replace('VERSION', 'v1'),
    })
    registry = importlib.import_module(f'{name}.registry')
    provided = importlib.import_module(f'{name}.interfaces').IProfile
    sm = getGlobalSiteManager()
    for profile in ('a', 'b'):  # what the site's ZCML registers
        sm.registerUtility(object(), provided, profile)
    yield name, folder, registry, provided
    for profile, _ in list(sm.getUtilitiesFor(provided)):
        sm.unregisterUtility(provided=provided, name=profile)


@pytest.mark.parametrize('mode', ['in place', 'classic'])
def test_what_the_top_level_takes_out_comes_back(profiles, mode):
    name, folder, registry, provided = profiles
    write_files(folder, {'registry.py': REGISTRY.replace('VERSION', 'v2')})
    refresh(mode, [name])
    module = importlib.import_module(f'{name}.registry')
    assert module.registry.names() == ['a', 'b', 'own v1', 'own v2']


def test_a_failed_refresh_leaves_them_as_they_were(profiles):
    name, folder, registry, provided = profiles
    sm = getGlobalSiteManager()
    before = dict(sm._utility_registrations)
    write_files(folder, {
        'registry.py': REGISTRY.replace('VERSION', 'v2'),
        'later.py': 'from . import registry\nraise RuntimeError("late")\n'})
    importlib.import_module(f'{name}.registry')
    write_files(folder, {'__init__.py': 'from . import registry, later\n'})
    with pytest.raises(RefreshError):
        refresh('in place', [name])
    assert dict(sm._utility_registrations) == before
    assert sorted(n for n, _ in sm.getUtilitiesFor(provided)) == [
        'a', 'b', 'own v1']


def test_adapters_subscribers_and_handlers_come_back_too(package):
    name, folder = package

    class IThing(Interface):
        pass

    def factory(context):
        return context

    def handler(event):
        pass

    sm = getGlobalSiteManager()
    sm.registerAdapter(factory, (IThing,), IThing, 'kept')
    sm.registerSubscriptionAdapter(factory, (IThing,), IThing)
    sm.registerHandler(handler, (IThing,))
    try:
        import builtins
        builtins._registrations_test = (IThing, factory, handler)
        write_files(folder, {'__init__.py': '', 'clears.py': '''
import builtins
from zope.component import getGlobalSiteManager
IThing, factory, handler = builtins._registrations_test
sm = getGlobalSiteManager()
sm.unregisterAdapter(factory, (IThing,), IThing, 'kept')
sm.unregisterSubscriptionAdapter(factory, (IThing,), IThing)
sm.unregisterHandler(handler, (IThing,))
'''})
        importlib.import_module(f'{name}.clears')
        sm.registerAdapter(factory, (IThing,), IThing, 'kept')
        sm.registerSubscriptionAdapter(factory, (IThing,), IThing)
        sm.registerHandler(handler, (IThing,))
        write_files(folder, {'clears.py': open(
            folder / 'clears.py').read() + '\n# edited\n'})
        refresh('in place', [name])
        assert sm.adapters.lookup((IThing,), IThing, 'kept') is factory
        assert factory in sm.adapters.subscriptions((IThing,), IThing)
        assert handler in [r.factory for r in sm.registeredHandlers()]
    finally:
        sm.unregisterAdapter(factory, (IThing,), IThing, 'kept')
        sm.unregisterSubscriptionAdapter(factory, (IThing,), IThing)
        sm.unregisterHandler(handler, (IThing,))
        del builtins._registrations_test
