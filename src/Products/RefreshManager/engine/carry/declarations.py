"""zope.interface's objects keep their identity too: interfaces, their
fields, and what classes declare.

Other code holds them: an adapter registered for an interface, a default
value registered for one field of a schema (plone.app.dexterity's
Creators default is registered for ``IDublinCore['creators']``), the
specification of a subclass built on a class's ``__implemented__``. So
the old interface takes the new definition, each old field the new
field's state, and a kept class its old declaration objects, declaring
what the new class statement declares. Interfaces declared for the
class from outside its statement (ZCML's ``<implements>``,
``classImplements`` in another module) stay.

A new class's ``__provides__`` names the new class: left on the kept
class, every ``providedBy`` of its instances failed.
"""
from . import classes


CLASS_DECLARATIONS = ('__implemented__', '__provides__')


def counterpart(updater, new):
    """The old object that stands for `new` (one the new code made),
    merging it if it is this module's and not merged yet; else `new`."""
    done = updater.result.get(id(new))
    if done is not None:
        return done[1]
    known = updater.known.get(id(new))
    if known is not None:
        return known
    name = getattr(new, '__name__', None)
    old = updater.home.get(name) if updater.home is not None and \
        isinstance(name, str) else None
    if old is not None and old is not new and type(old) is type(new) and \
            classes.own(updater, old, new):
        return updater.merge(old, new, name)
    return new


def merge_interface(updater, old, new, name):
    """Carry the zope.interface interface `new` into `old`."""
    if not classes.same_bases(updater, old.__bases__, new.__bases__, name):
        updater.report.replaced.append((name, 'its base interfaces changed'))
        return new
    attrs, old_attrs = {}, old._InterfaceClass__attrs
    for key, attr in new._InterfaceClass__attrs.items():
        current = old_attrs.get(key)
        if current is not None and type(current) is type(attr) and \
                type(getattr(current, '__dict__', None)) is dict:
            _take_state(updater.journal, current, attr)
            attr = current
        updater.journal.assign(attr, 'interface', old)
        attrs[key] = attr
    updater.journal.assign(old, '_InterfaceClass__attrs', attrs)
    updater.journal.assign(old, '__doc__', new.__doc__)
    tagged = '_Element__tagged_values'
    if tagged in vars(new) or tagged in vars(old):
        updater.journal.assign(old, tagged, vars(new).get(tagged))
    old.changed(old)
    updater.report.updated.append(name)
    return old


def _take_state(journal, old, new):
    """The old field (or method) takes the new one's state as it is,
    written to its instance dict: through zope.schema's properties, a
    default would be validated again, which may look its vocabulary up in
    a site there is none of (plone.base's syndication fields)."""
    state = vars(old)
    journal.keep_contents(state)
    state.clear()
    state.update(vars(new))


def merge_declaration(updater, cls, key, old, new, name):
    """What the kept class `cls` holds under `key` (one of
    `CLASS_DECLARATIONS`): its own old declaration, updated; else what
    merging gives."""
    if key == '__implemented__' and _declares(old, new) and \
            getattr(old, 'inherit', None) is cls:
        return _implemented(updater, old, new)
    if key == '__provides__' and type(old) is type(new) and \
            getattr(old, '_cls', None) is cls:
        bases = tuple(counterpart(updater, base) for base in new.__bases__)
        if bases != old.__bases__:
            updater.journal.assign(old, '__bases__', bases)
        return old
    return updater.merge(old, new, name)


def _declares(old, new):
    return type(old) is type(new) and hasattr(old, 'declared')


def _implemented(updater, old, new):
    declared = tuple(counterpart(updater, iface) for iface in new.declared)
    declared += tuple(iface for iface in old.declared
                      if iface not in declared)  # from outside: they stay
    if declared != old.declared:
        inherited = tuple(base for base in old.__bases__
                          if base not in old.declared)
        updater.journal.assign(old, 'declared', declared)
        updater.journal.assign(old, '__bases__', declared + inherited)
    return old
