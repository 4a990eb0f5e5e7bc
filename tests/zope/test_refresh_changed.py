"""Refresh all changed: every refreshable product with files changed
since its code was loaded, each after the products it imports from, in
one unit of work, from the listing or a script."""
import sys
import time

from ..conftest import THING_PRODUCT
from ..conftest import post
from ..conftest import refresh


LISTING = '/Control_Panel/Products'
CHANGED = LISTING + '/manage_refreshChanged'


def _greet_source(product, text):
    return open(f'{product.folder}/content.py').read().replace(
        "GREETING = 'hello'", f"GREETING = {text!r}").replace(
        "GREETING = 'hello again'", f"GREETING = {text!r}")


def _products(make_product, admin):
    """A base product, a product importing from it, an unrelated one;
    all loaded and refreshed once (the engine knows their modules)."""
    base = make_product(prefix='Base')
    user = make_product(files=dict(THING_PRODUCT, **{
        'uses.py': 'from Products.{base}.content import GREETING\n\n\n'
                   'def said():\n    return GREETING\n',
        '__init__.py': THING_PRODUCT['__init__.py'].replace(
            'from . import content', 'from . import content, uses'),
    }), prefix='AUser', base=base.name)  # first by name, not by imports
    other = make_product(prefix='Other')
    for product in (base, user, other):
        refresh(admin, product)
    return base, user, other


def test_changed_products_refresh_in_one_unit_in_import_order(
        make_product, admin):
    base, user, other = _products(make_product, admin)
    time.sleep(0.01)
    base.write({'content.py': _greet_source(base, 'hello again')})
    user.write({'uses.py': open(f'{user.folder}/uses.py').read()
                + '\n# edited\n'})
    listing = admin.get(LISTING + '/manage_main')
    assert '2 products with files changed since loaded' in ' '.join(
        listing.html.select_one('#changed-count').text.split())
    page = post(admin, CHANGED)
    text = ' '.join(page.text.split())
    assert f'Products refreshed: {base.name}, {user.name}.' in text
    assert other.name not in text.split('Products refreshed:')[1][:200]
    assert sys.modules[f'{user.package}.uses'].said() == 'hello again'
    listing = admin.get(LISTING + '/manage_main')
    assert '0 products with files changed' in listing.text
    assert listing.html.select_one('#refresh-changed-button').has_attr(
        'disabled')


def test_a_failure_in_one_changes_none_of_them(make_product, admin):
    base, user, other = _products(make_product, admin)
    greet = sys.modules[f'{base.package}.content'].Thing('x').greet
    time.sleep(0.01)
    base.write({'content.py': _greet_source(base, 'changed')})
    user.write({'uses.py': 'raise RuntimeError("broken on purpose")\n'})
    page = post(admin, CHANGED, status=422)
    assert 'broken on purpose' in page.text
    assert 'Nothing was changed' in page.text
    assert greet() == 'hello from x'  # the base kept its old code too


def test_nothing_changed_runs_nothing(make_product, admin):
    _products(make_product, admin)
    page = post(admin, CHANGED)
    assert 'No refreshable product has a file changed since its code ' \
        'was loaded; nothing was executed.' in page.text


def test_a_get_is_405_and_another_site_is_403(make_product, admin):
    admin.get(CHANGED, status=405)
    page = post(admin, CHANGED, status=403, Origin='http://evil.example')
    assert 'Refused: this request was sent from http://evil.example' in \
        page.text


def test_a_person_at_the_listing_is_sent_back_to_it(make_product, admin):
    _products(make_product, admin)
    page = admin.post(CHANGED, {'form.submitted': '1'}, status=303,
                      headers={'Accept': 'text/html'})
    assert page.headers['Location'].startswith(
        'http://localhost:80/Control_Panel/Products/manage_main?')
