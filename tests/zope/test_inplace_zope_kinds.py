"""In place on the real Zope, for the definitions plain class merging
used to get wrong: an Enum gaining a member, a class with ``__slots__``,
a registry filled by a class decorator. Persistent objects stored before
and objects held in memory work afterwards; a refresh that fails at any
change leaves the modules, the registrations and the ZODB as they were.
"""
import logging
import sys

import Products
import pytest

from Products.RefreshManager.engine.apply import refresh as engine_refresh

from ..conftest import refresh
from ..engine.apply.test_rollback_faults import Faulty
from ..engine.apply.test_rollback_faults import Freezer
from ..engine.apply.test_rollback_faults import assert_same


SHELF = {
    'refresh.txt': '',
    '__init__.py': '''
        from . import content


        def initialize(context):
            context.registerClass(
                content.Shelf, constructors=(content.manage_addShelf,))
    ''',
    'content.py': '''
        import enum

        from AccessControl.class_init import InitializeClass
        from AccessControl.SecurityInfo import ClassSecurityInfo
        from OFS.SimpleItem import SimpleItem

        KINDS = {}


        def kind(cls):
            KINDS[cls.__name__] = cls
            return cls


        class Size(enum.Enum):
            SMALL = 1
            LARGE = 2


        class Label:
            __slots__ = ('text',)

            def __init__(self, text):
                self.text = text

            def show(self):
                return 'label v1 ' + self.text


        @kind
        class Book:
            def describe(self):
                return 'book v1'


        class Shelf(SimpleItem):
            meta_type = 'Shelf of {name}'
            security = ClassSecurityInfo()

            def __init__(self, id):
                self.id = id
                self.size = Size.SMALL
                self.book = KINDS['Book']()

            @security.public
            def show(self):
                """Published: what the stored object and the module say."""
                return ' | '.join([
                    'shelf v1', self.size.name,
                    str(isinstance(self.book, KINDS['Book'])),
                    self.book.describe(), LABEL.show(),
                    ','.join(size.name for size in Size)])


        InitializeClass(Shelf)
        LABEL = Label('x')


        def manage_addShelf(self, id, REQUEST=None):
            """Add a Shelf."""
            self._setObject(id, Shelf(id))
            return 'added'
    ''',
}


def version_2(files):
    content = files['content.py'].replace('v1', 'v2').replace(
        '    LARGE = 2', '    MEDIUM = 3\n            LARGE = 2')
    return {'content.py': content}


@pytest.fixture
def shelf(zope, admin, make_product):
    product = make_product(SHELF, prefix='Shelf')
    refresh(admin, product)
    module = sys.modules[f'{product.package}.content']
    with zope.app() as app:
        app._setObject(f'shelf_{product.name}',
                       module.Shelf(f'shelf_{product.name}'))
    product.obj_url = f'/shelf_{product.name}'
    product.module = module
    return product


def test_enum_slots_and_registry_refresh_in_place(
        zope, admin, shelf, caplog):
    module = shelf.module
    assert admin.get(shelf.obj_url + '/show').text == (
        'shelf v1 | SMALL | True | book v1 | label v1 x | SMALL,LARGE')
    Size, Label, Book = module.Size, module.Label, module.Book
    small, label, book = Size.SMALL, module.LABEL, Book()
    with zope.app() as app:
        loaded = app._getOb(shelf.obj_url[1:])  # stays in this connection
        assert loaded.size is small

        shelf.write(version_2(SHELF))
        with caplog.at_level(logging.INFO, 'Products.RefreshManager'):
            page = refresh(admin, shelf)
        assert 'Product refreshed.' in page.text
        assert not [r for r in caplog.records if 'replaced' in r.message]

        assert loaded.show() == (
            'shelf v2 | SMALL | True | book v2 | label v2 x'
            ' | SMALL,MEDIUM,LARGE')
        loaded.size = Size.MEDIUM  # the stored object takes a new member

    assert (module.Size, module.Label, module.Book) == (Size, Label, Book)
    assert Size.SMALL is small and Size(3) is Size.MEDIUM
    assert module.KINDS['Book'] is Book and isinstance(book, Book)
    assert label.show() == 'label v2 x' and Label('y').show() == 'label v2 y'
    assert admin.get(shelf.obj_url + '/show').text == (
        'shelf v2 | MEDIUM | True | book v2 | label v2 x'
        ' | SMALL,MEDIUM,LARGE')


def state_of(product):
    modules = tuple(sorted((name, sys.modules[name])
                           for name in product.loaded()))
    freeze = Freezer(lambda module: module.startswith(product.package))
    registered = [info for info in Products.meta_types
                  if info['product'] == product.name]
    return (frozenset(sys.modules), modules,
            tuple(freeze(vars(module)) for _, module in modules),
            tuple(tuple(sorted(info.items())) for info in registered),
            getattr(Products, product.name))


def test_a_failure_at_each_change_leaves_zope_and_the_zodb_as_they_were(
        zope, admin, shelf, monkeypatch):
    shelf.write(version_2(SHELF))
    monkeypatch.setattr(engine_refresh, 'Journal', Faulty)
    monkeypatch.setattr(Faulty, 'refuse', True)
    with zope.app() as app:
        database = app._p_jar.db()
    before, last = state_of(shelf), database.lastTransaction()
    for fail_at in range(1, 200):
        monkeypatch.setattr(Faulty, 'fail_at', fail_at)
        page = admin.post(shelf.url + '/manage_performRefresh', status='*')
        if page.status_int == 200:
            break
        assert page.status_int == 422 and 'injected fault' in page.text
        assert_same(before, state_of(shelf), f'change {fail_at}')
        assert database.lastTransaction() == last
        assert admin.get(shelf.obj_url + '/show').text.startswith(
            'shelf v1 | SMALL | True | book v1 | label v1 x')
    assert fail_at > 15  # every change failed once, then it went through
    assert admin.get(shelf.obj_url + '/show').text.startswith('shelf v2')
