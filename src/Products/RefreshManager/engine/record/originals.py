"""The module objects a classic refresh replaced, to bring them back.

A classic refresh puts a new module object into ``sys.modules``; what
held the first one's functions and classes (views and utilities that ZCML
registered at start, instances, subclasses elsewhere) keeps them, and an
in-place refresh of the new module never reaches them. So the first
module object replaced under each name is kept here, and the next
in-place refresh puts it back and runs the new code in it: everything
that held its objects runs the new code again. Objects made while the
classic code ran keep that code (persistent ones are loaded again).

Kept as attributes of one object, so the journal undoes every change.
"""
from types import ModuleType


class _Originals:
    pass


_ORIGINALS = _Originals()


def original(name):
    """The first module object a classic refresh replaced as `name`."""
    return vars(_ORIGINALS).get(name)


def pending(name, current):
    """Whether an original of `name` waits to replace `current`."""
    kept = original(name)
    return kept is not None and kept is not current


def remember(journal, name, module):
    if original(name) is None:
        journal.setattr(_ORIGINALS, name, module)


def bring_back(journal, name, parent, attr):
    """Put the original of `name` back in ``sys.modules`` and its parent
    package; the module to run the new code in."""
    module = original(name)
    journal.set_module(name, module)
    if parent is not None:
        journal.setattr(parent, attr, module)
    journal.delattr(_ORIGINALS, name)
    # A classic refresh of a submodule re-pointed the package's attribute.
    for key, value in list(vars(module).items()):
        current = journal.modules.get(f'{name}.{key}')
        if isinstance(value, ModuleType) and current is not None \
                and current is not value:
            journal.setattr(module, key, current)
    return module
