"""The refresh settings in ``root['RefreshData']`` of the ZODB.

Zope 2's layout (plus 'mode'), so an old Data.fs keeps its settings::

    root['RefreshData'] = PersistentMapping({
        'auto': PersistentMapping({name: 1}),
        'products': PersistentMapping({
            name: PersistentMapping({'dependent_products': (name, ...),
                                     'mode': 'in-place' or 'classic'})}),
    })

Living on the root, beside the Application, the settings survive
restarts and every Zope process on the same database shares them. Reading
never writes: the mapping is created by the first change.
"""
from persistent.mapping import PersistentMapping


ROOT_KEY = 'RefreshData'
MODES = ('in-place', 'classic')


class RefreshSettings:

    def __init__(self, root):
        self.root = root

    def _section(self, key):
        return self.root.get(ROOT_KEY, {}).get(key, {})

    def _writable_section(self, key):
        data = self.root.get(ROOT_KEY)
        if data is None:
            data = self.root[ROOT_KEY] = PersistentMapping()
        section = data.get(key)
        if section is None:
            section = data[key] = PersistentMapping()
        return section

    def auto_refresh(self, name):
        return bool(self._section('auto').get(name))

    def auto_products(self):
        return [name for name, on in self._section('auto').items() if on]

    def dependents(self, name):
        return tuple(self._section('products').get(name, {}).get(
            'dependent_products', ()))

    def mode(self, name):
        """How the product is refreshed: 'in-place' unless set."""
        return self._section('products').get(name, {}).get('mode', MODES[0])

    def set_auto_refresh(self, name, enabled):
        if enabled:
            self._writable_section('auto')[name] = 1
        elif name in self._section('auto'):
            del self._writable_section('auto')[name]

    def _product_entry(self, name):
        products = self._writable_section('products')
        entry = products.get(name)
        if entry is None:
            entry = products[name] = PersistentMapping()
        return entry

    def set_dependents(self, name, names):
        self._product_entry(name)['dependent_products'] = tuple(names)

    def set_mode(self, name, mode):
        if mode not in MODES:
            raise ValueError(mode)
        self._product_entry(name)['mode'] = mode
