"""Dicts, sets and lists a module's top level makes again: registries
other code fills at run time as often as tables the source spells out.

The old object stays (other modules hold it), with the new code's
entries and those only the old one has that other code registered at
run time (Products.CMFCore's dict of tool interfaces, which other
packages fill when imported: a refresh of its ``utils`` emptied it, and
Plone's edit and add forms failed). An entry of this module's own making
(its function, class or instance) that the new code does not make again
was taken out of the source: it goes. The report names what was kept:
an entry the edit removed from a literal stays until a restart.
"""


KINDS = (dict, set, list)


def is_registry(old, new):
    return type(old) is type(new) and type(new) in KINDS


def merge_registry(updater, old, new, name):
    """Carry the container `new` into `old`; `old`."""
    def made_here(value):
        return updater.module_name in (getattr(value, '__module__', None),
                                       type(value).__module__)

    def outside(entry):
        value = old[entry] if isinstance(old, dict) else entry
        return not made_here(value) and not made_here(entry)

    extra = [entry for entry in old if entry not in new and outside(entry)]
    updater.journal.keep_contents(old)
    if isinstance(old, dict):
        kept = {key: old[key] for key in extra}
        old.clear()
        old.update(new)
        old.update(kept)
    elif isinstance(old, list):
        old[:] = [*new, *extra]
    else:
        old.clear()
        old.update(new, extra)
    if extra:
        updater.report.kept.append((name, len(extra)))
    updater.touched.add(id(old))
    return old
