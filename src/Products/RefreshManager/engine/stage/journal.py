"""An undo log for the process-global state a refresh changes.

A refresh changes ``sys.modules``, attributes of parent packages, the
module's own objects and a few framework registries. Every change goes
through a `Journal` that records how to undo it once it is done (a change
that raises was not done, so there is nothing to undo), and a failure
anywhere puts back exactly what was there, in reverse order. An undo step
that fails is reported and the rollback carries on with the others.
"""
import logging
import sys

from ..read.modules import in_package


logger = logging.getLogger('Products.RefreshManager')

_MISSING = object()


def _restore_item(mapping, key, old):
    if old is _MISSING:
        mapping.pop(key, None)
    else:
        mapping[key] = old


def _restore_attr(obj, name, old, setter=setattr, deleter=delattr):
    if old is _MISSING:
        if name in vars(obj):
            deleter(obj, name)
    else:
        setter(obj, name, old)


def _restore_contents(container, saved):
    if isinstance(container, list):
        container[:] = saved
    else:
        container.clear()
        container.update(saved)


def _restore_namespace(obj, saved):
    """Put back `obj`'s attributes, each one even when another fails."""
    current = vars(obj)
    failed = []
    for name in [n for n in current if n not in saved]:
        try:
            delattr(obj, name)
        except Exception as error:
            failed.append(f'{name}: {error!r}')
    for name, value in saved.items():
        if current.get(name, _MISSING) is not value:
            try:
                setattr(obj, name, value)
            except Exception as error:
                failed.append(f'{name}: {error!r}')
    if failed:
        raise RuntimeError('could not restore ' + '; '.join(failed))


def _label(obj):
    return getattr(obj, '__qualname__', None) or type(obj).__name__


def describe(undo, args):
    """Which undo step this is, for the report of one that failed."""
    target = _label(args[0]) if args else ''
    key = f'[{args[1]!r}]' if len(args) > 1 else ''
    return f'{undo.__name__.strip("_")} {target}{key}'


class Journal:

    def __init__(self, modules=None):
        self.modules = sys.modules if modules is None else modules
        self._undo = []
        self._on_commit = []

    def _apply(self, change, *args):
        """Every change and every undo runs here: the one place where the
        journal touches anything."""
        change(*args)

    def _done(self, *undo):
        self._undo.append(undo)

    def set_module(self, name, module):
        """Put `module` in ``sys.modules`` as `name`; None removes it."""
        old = self.modules.get(name, _MISSING)
        if module is None:
            self._apply(_restore_item, self.modules, name, _MISSING)
        else:
            self._apply(self.modules.__setitem__, name, module)
        self._done(_restore_item, self.modules, name, old)

    def setattr(self, obj, name, value):
        old = vars(obj).get(name, _MISSING)
        self._apply(setattr, obj, name, value)
        self._done(_restore_attr, obj, name, old)

    def set_class_attr(self, cls, name, value):
        """Set an attribute in the class's own namespace past its
        metaclass's ``__setattr__`` (an Enum's refuses members)."""
        old = vars(cls).get(name, _MISSING)
        self._apply(type.__setattr__, cls, name, value)
        self._done(_restore_attr, cls, name, old, type.__setattr__,
                   type.__delattr__)

    def del_class_attr(self, cls, name):
        if name in vars(cls):
            old = vars(cls)[name]
            self._apply(type.__delattr__, cls, name)
            self._done(_restore_attr, cls, name, old, type.__setattr__,
                       type.__delattr__)

    def assign(self, obj, name, value):
        """Set an attribute that lives outside ``__dict__`` (a function's
        ``__code__``, a cell's ``cell_contents``)."""
        old = getattr(obj, name)
        self._apply(setattr, obj, name, value)
        self._done(setattr, obj, name, old)

    def delattr(self, obj, name):
        if name in vars(obj):
            old = vars(obj)[name]
            self._apply(delattr, obj, name)
            self._done(_restore_attr, obj, name, old)

    def setitem(self, container, key, value):
        if isinstance(container, list):
            old = container[key]
        else:
            old = container.get(key, _MISSING)
        self._apply(container.__setitem__, key, value)
        self._done(_restore_item, container, key, old)

    def delitem(self, container, key):
        old = container[key]
        self._apply(container.__delitem__, key)
        self._done(_restore_item, container, key, old)

    def keep_contents(self, container):
        """Snapshot a dict, list or set: rollback puts its contents back
        into the same object."""
        self._done(_restore_contents, container, container.copy())

    def defer(self, undo, *args):
        """Rollback calls ``undo(*args)``: for state that only the code
        that changed it knows how to put back."""
        self._done(undo, *args)

    def keep(self, obj):
        """Snapshot `obj`'s attributes: rollback undoes whatever code
        outside the journal (a product's ``initialize()``) did to them."""
        self._done(_restore_namespace, obj, dict(vars(obj)))

    def new_modules_under(self, package):
        """Rollback removes modules of `package` first imported after now."""
        self._done(self._drop_new_modules, package, frozenset(self.modules))

    def _drop_new_modules(self, package, before):
        """Drop them from ``sys.modules`` and from their parent package,
        where their import put them."""
        for name in list(self.modules):
            if name not in before and in_package(name, package):
                module = self.modules[name]
                self._apply(_restore_item, self.modules, name, _MISSING)
                parent_name, _, attr = name.rpartition('.')
                parent = self.modules.get(parent_name)
                if (parent is not None
                        and vars(parent).get(attr, None) is module):
                    self._apply(delattr, parent, attr)

    def on_commit(self, action):
        """Run `action` once everything succeeded (emptying a cache cannot
        be undone, so it waits)."""
        self._on_commit.append(action)

    def commit(self):
        actions, self._on_commit, self._undo = self._on_commit, [], []
        for action in actions:
            action()

    def rollback(self):
        """Undo everything, in reverse order, carrying on past an undo step
        that fails; return the ``(step, error)`` of those that failed."""
        failures = []
        self._on_commit = []
        while self._undo:
            undo, *args = self._undo.pop()
            try:
                self._apply(undo, *args)
            except Exception as error:
                step = describe(undo, args)
                logger.error('rollback could not %s', step, exc_info=error)
                failures.append((step, error))
        return failures
