"""An undo log for the process-global state a refresh changes.

A refresh changes ``sys.modules``, attributes of parent packages and a
few framework registries. Every change goes through a `Journal` that
remembers the previous value first, so a failure anywhere can put back
exactly what was there, in reverse order.
"""
import sys

from .modules import in_package


_MISSING = object()


def _restore_item(mapping, key, old):
    if old is _MISSING:
        mapping.pop(key, None)
    else:
        mapping[key] = old


def _restore_attr(obj, name, old):
    if old is _MISSING:
        if name in vars(obj):
            delattr(obj, name)
    else:
        setattr(obj, name, old)


class Journal:

    def __init__(self, modules=None):
        self.modules = sys.modules if modules is None else modules
        self._undo = []

    def set_module(self, name, module):
        """Put `module` in ``sys.modules`` as `name`; None removes it."""
        self._undo.append(
            (_restore_item, self.modules, name,
             self.modules.get(name, _MISSING)))
        if module is None:
            self.modules.pop(name, None)
        else:
            self.modules[name] = module

    def setattr(self, obj, name, value):
        self._undo.append(
            (_restore_attr, obj, name, vars(obj).get(name, _MISSING)))
        setattr(obj, name, value)

    def assign(self, obj, name, value):
        """Set an attribute that lives outside ``__dict__`` (a function's
        ``__code__``, a cell's ``cell_contents``)."""
        self._undo.append((setattr, obj, name, getattr(obj, name)))
        setattr(obj, name, value)

    def delattr(self, obj, name):
        if name in vars(obj):
            self._undo.append((_restore_attr, obj, name, vars(obj)[name]))
            delattr(obj, name)

    def setitem(self, container, key, value):
        self._undo.append((_restore_item, container, key, container[key]))
        container[key] = value

    def defer(self, undo, *args):
        """Rollback calls ``undo(*args)``: for state that only the code
        that changed it knows how to put back."""
        self._undo.append((undo, *args))

    def keep(self, obj):
        """Snapshot `obj`'s attributes: rollback undoes whatever code
        outside the journal (a product's ``initialize()``) did to them."""
        self._undo.append((self._restore_namespace, obj, dict(vars(obj))))

    def new_modules_under(self, package):
        """Rollback removes modules of `package` first imported after now."""
        self._undo.append(
            (self._drop_new_modules, package, frozenset(self.modules)))

    def _restore_namespace(self, obj, saved):
        current = vars(obj)
        for name in [n for n in current if n not in saved]:
            delattr(obj, name)
        for name, value in saved.items():
            if current.get(name, _MISSING) is not value:
                setattr(obj, name, value)

    def _drop_new_modules(self, package, before):
        for name in list(self.modules):
            if name not in before and in_package(name, package):
                del self.modules[name]

    def rollback(self):
        while self._undo:
            undo, *args = self._undo.pop()
            undo(*args)
