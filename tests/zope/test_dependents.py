"""Dependent products are refreshed after the product, transitively."""
import sys

from ..conftest import post
from ..conftest import refresh


BASE = {
    'refresh.txt': '',
    '__init__.py': 'from . import base\n',
    'base.py': '''
        from OFS.SimpleItem import SimpleItem


        class Base(SimpleItem):
            def describe(self):
                """Published."""
                return 'base v1'
    ''',
}

CHILD = {
    'refresh.txt': '',
    '__init__.py': 'from . import child\n',
    'child.py': '''
        from Products.{parent}.{module} import {cls}


        class Child{level}({cls}):
            def describe(self):
                """Published."""
                return 'child{level} of ' + {cls}.describe(self)
    ''',
}


def make_chain(make_product):
    base = make_product(BASE, prefix='Base')
    child1 = make_product(CHILD, prefix='Child', parent=base.name,
                          module='base', cls='Base', level='1')
    child2 = make_product(CHILD, prefix='Child', parent=child1.name,
                          module='child', cls='Child1', level='2')
    return base, child1, child2


def choose(admin, product, *dependents, status=200):
    return post(admin, product.url + '/manage_selectDependentProducts',
                {'selections:list': [d.name for d in dependents]},
                status=status)


def test_chain_is_refreshed_in_order(zope, admin, make_product):
    base, child1, child2 = make_chain(make_product)
    for product in (base, child1, child2):
        refresh(admin, product)
    choose(admin, base, child1)
    choose(admin, child1, child2)
    with zope.app() as app:
        cls = sys.modules[f'{child2.package}.child'].Child2
        app._setObject('grandchild', cls('grandchild'))
    assert admin.get('/grandchild/describe').text == (
        'child2 of child1 of base v1')

    base.write({'base.py': BASE['base.py'].replace('base v1', 'base v2')})
    page = refresh(admin, base)
    assert (f'Dependent products refreshed too: {child1.name}, {child2.name}'
            in page.text)
    assert admin.get('/grandchild/describe').text == (
        'child2 of child1 of base v2')
    tab = admin.get(child2.url + '/manage_refresh')
    assert f'as a dependent of\n          {base.name}' in tab.text


def test_a_cycle_is_refused(admin, make_product):
    base, child1, child2 = make_chain(make_product)
    choose(admin, base, child1)
    choose(admin, child1, child2)
    page = choose(admin, child2, base, status=400)
    assert (f'That would make a cycle: {child2.name} \u2192 {base.name} '
            f'\u2192 {child1.name} \u2192 {child2.name}.') in page.text


def test_a_stored_cycle_refreshes_each_product_once(zope, admin,
                                                    make_product):
    """An old Data.fs may hold a cycle: refresh still ends, each once."""
    base, child1, child2 = make_chain(make_product)
    for product in (base, child1, child2):
        refresh(admin, product)
    from persistent.mapping import PersistentMapping
    with zope.app() as app:
        root = app._p_jar.root()
        products = root['RefreshData'].setdefault(
            'products', PersistentMapping())
        for product, dependent in ((base, child1), (child1, child2),
                                   (child2, base)):
            products[product.name] = PersistentMapping(
                {'dependent_products': (dependent.name,)})
    for product in (base, child1, child2):
        product.touch()
    page = refresh(admin, child1)
    assert (f'Dependent products refreshed too: {child2.name}, {base.name}.'
            in page.text)


def test_a_failing_dependent_rolls_back_the_whole_chain(admin, make_product):
    base, child1, child2 = make_chain(make_product)
    for product in (base, child1, child2):
        refresh(admin, product)
    choose(admin, base, child1)
    before = {name: sys.modules[name]
              for product in (base, child1) for name in product.loaded()}
    base.write({'base.py': BASE['base.py'].replace('base v1', 'base v2')})
    child1.write({'child.py': 'raise ImportError("child is broken")\n'})
    page = refresh(admin, base, status=422)
    assert f'refreshing Products.{child1.name}: ImportError' in page.text
    assert all(sys.modules[name] is module for name, module in before.items())


def test_the_tab_offers_importers_first_and_not_refreshmanager(
        zope, admin, make_product):
    """A product importing from this one is offered first, marked as
    such; RefreshManager, which depends on no product, is not offered."""
    base = make_product(prefix='Base')
    child = make_product(files={
        'refresh.txt': '',
        '__init__.py': 'from Products.{base}.content import Thing\n\n\n'
                       'class Fancy(Thing):\n    pass\n',
    }, prefix='Child', base=base.name)
    refresh(admin, base)
    refresh(admin, child)
    page = admin.get(base.url + '/manage_refresh')
    offered = [box['value'] for box in page.html.select(
        '#dependents-form input[name="selections:list"]')]
    assert offered[0] == child.name
    assert 'RefreshManager' not in offered
    label = page.html.select_one(f'label[for="dep-{child.name}"]')
    assert 'imports from it' in label.text
    others = [name for name in offered[1:]
              if 'imports from it' in page.html.select_one(
                  f'label[for="dep-{name}"]').text]
    assert others == []
