"""zope.interface objects keep their identity through a refresh in
place: interfaces (whose bases may come from another module refreshed
with them), their fields, and what classes declare, including what was
declared from outside the class statement. The first two broke real
Plone packages when their module ran again (plone.app.event's event
pages, plone.app.dexterity's Creators default, plone.dexterity's
``<implements>``); the third holds as it did."""
import importlib

from zope.interface import Interface
from zope.interface import classImplements
from zope.traversing.interfaces import ITraversable

from ...packages import write_files
from ..apply.test_engine import package  # noqa: F401 (fixture)
from ..apply.test_engine import refresh


ACCESSOR = '''
from zope.interface import Interface, implementer


class IAccessor(Interface):
    pass


class IExtra(Interface):
    pass


@implementer(IAccessor{more})
class Accessor:
    """As plone.app.event's EventAccessor: any other name is None."""

    def __getattr__(self, name):
        return None
'''


def test_instances_still_provide_what_their_class_declares(package):
    name, folder = package
    write_files(folder, {'__init__.py': '',
                         'accessor.py': ACCESSOR.format(more='')})
    module = importlib.import_module(f'{name}.accessor')
    cls, before = module.Accessor, module.Accessor()

    class IOutside(Interface):
        pass

    classImplements(cls, IOutside)  # as ZCML's <class><implements>
    write_files(folder, {'accessor.py': ACCESSOR.format(more=', IExtra')})
    report = refresh('in place', [name])
    assert report.packages[0].replaced == ()
    assert module.Accessor is cls
    for instance in (before, cls()):
        assert not ITraversable.providedBy(instance)  # it raised TypeError
        assert module.IAccessor.providedBy(instance)
        assert module.IExtra.providedBy(instance)  # what the edit added
        assert IOutside.providedBy(instance)  # declared from outside


SCHEMA = '''
from zope.interface import Interface, taggedValue
from zope import schema


class IDublinCore(Interface):
    taggedValue('fieldset', 'VERSION')
    creators = schema.Tuple(title='Creators VERSION', required=False)
'''


def test_interface_fields_keep_their_identity(package):
    name, folder = package
    write_files(folder, {'__init__.py': '',
                         'schema.py': SCHEMA.replace('VERSION', 'v1')})
    module = importlib.import_module(f'{name}.schema')
    interface = module.IDublinCore
    field = interface['creators']
    registered = {field: 'a default for this field'}
    write_files(folder, {'schema.py': SCHEMA.replace('VERSION', 'v2')})
    refresh('in place', [name])
    assert module.IDublinCore is interface
    assert interface['creators'] is field
    assert registered[interface['creators']] == 'a default for this field'
    assert field.title == 'Creators v2' and field.interface is interface
    assert interface.getTaggedValue('fieldset') == 'v2'


def test_interfaces_based_on_another_refreshed_module_are_kept(package):
    name, folder = package
    write_files(folder, {
        '__init__.py': '',
        'base.py': 'from zope.interface import Interface\n\n\n'
                   'class IBase(Interface):\n    """v1"""\n',
        'tools.py': 'from .base import IBase\n\n\n'
                    'class ITool(IBase):\n    pass\n',
    })
    base = importlib.import_module(f'{name}.base')
    tools = importlib.import_module(f'{name}.tools')
    old_base, old_tool = base.IBase, tools.ITool
    write_files(folder, {'base.py': 'from zope.interface import Interface'
                         '\n\n\nclass IBase(Interface):\n    """v2"""\n'})
    report = refresh('in place', [name])
    assert [p.replaced for p in report.packages] == [()]
    assert base.IBase is old_base and tools.ITool is old_tool
    assert old_tool.extends(old_base) and old_base.__doc__ == 'v2'


TOOLS = '''
from zope.interface import Interface


class IOldstyleTool(Interface):
    __module__ = 'PACKAGE'  # as Products.CMFCore's interfaces say
    """VERSION"""


class ITool(IOldstyleTool):
    __module__ = 'PACKAGE'
'''


def test_interfaces_that_say_they_are_the_packages_are_kept(package):
    name, folder = package
    source = TOOLS.replace('PACKAGE', name)
    write_files(folder, {'__init__.py': '',
                         '_tools.py': source.replace('VERSION', 'v1')})
    tools = importlib.import_module(f'{name}._tools')
    old_base, old_tool = tools.IOldstyleTool, tools.ITool
    held = {old_tool: 'an adapter registered for ITool'}
    write_files(folder, {'_tools.py': source.replace('VERSION', 'v2')})
    report = refresh('in place', [name])
    assert [p.replaced for p in report.packages] == [()]
    assert tools.ITool is old_tool and tools.IOldstyleTool is old_base
    assert held[tools.ITool] and old_tool.extends(old_base)


CHOICE = '''
from zope.interface import Interface
from zope import schema


class ISyndication(Interface):
    render_body = schema.List(
        title='VERSION', default=['body'],
        value_type=schema.Choice(vocabulary='vocabulary.needing.a.site'))
'''


def test_a_field_takes_its_new_state_without_validating_it(package):
    """Setting a default through zope.schema validates it, looking its
    vocabulary up: in Plone that needs a site, and plone.base could not
    be refreshed ("AttributeError: portal_catalog")."""
    name, folder = package
    write_files(folder, {'__init__.py': '',
                         'syndication.py': CHOICE.replace('VERSION', 'v1')})
    module = importlib.import_module(f'{name}.syndication')
    field = module.ISyndication['render_body']
    write_files(folder, {'syndication.py': CHOICE.replace('VERSION', 'v2')})
    refresh('in place', [name])
    assert module.ISyndication['render_body'] is field
    assert field.title == 'v2' and field.default == ['body']
