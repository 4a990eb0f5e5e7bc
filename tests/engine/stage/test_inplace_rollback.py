"""The undo journal: only what was done is undone, and an undo step that
fails does not stop the others."""
import pytest

from Products.RefreshManager.engine.stage.journal import Journal

from ...inplace_module import module  # noqa: F401 (fixture)


class Refusing:
    """Refuses to have `frozen` changed once it is set, as an Enum
    refuses to reassign a member."""

    def __setattr__(self, name, value):
        if name == 'frozen' and 'frozen' in vars(self):
            raise AttributeError('cannot reassign frozen')
        object.__setattr__(self, name, value)


class Plain:
    pass


def test_a_write_that_raises_leaves_nothing_to_undo():
    before, refusing = Plain(), Refusing()
    before.value = 'old'
    refusing.frozen = 'old'
    journal = Journal({})
    journal.setattr(before, 'value', 'new')
    with pytest.raises(AttributeError):
        journal.setattr(refusing, 'frozen', 'new')
    with pytest.raises(AttributeError):
        journal.assign(refusing, 'frozen', 'new')

    assert journal.rollback() == []
    assert before.value == 'old' and refusing.frozen == 'old'


def test_rollback_carries_on_past_an_undo_that_fails():
    first, middle, last = Plain(), Refusing(), Plain()
    first.value = middle.value = last.value = 'old'
    journal = Journal({})
    journal.setattr(first, 'value', 'new')
    journal.setattr(middle, 'frozen', 'set')  # new: undo deletes it
    journal.setattr(middle, 'value', 'new')
    journal.setattr(last, 'value', 'new')
    middle.__class__ = type('Stuck', (Refusing,), {
        '__delattr__': lambda self, name: (_ for _ in ()).throw(
            TypeError(f'{name} is stuck'))})

    failures = journal.rollback()

    assert (first.value, middle.value, last.value) == ('old', 'old', 'old')
    [(step, error)] = failures
    assert isinstance(error, TypeError) and 'frozen' in step
    assert journal.rollback() == []  # nothing left to undo


REFUSING_CLASS = '''
class Meta(type):
    def __setattr__(cls, name, value):
        if name == 'frozen' and 'frozen' in vars(cls):
            raise AttributeError('cannot reassign frozen')
        type.__setattr__(cls, name, value)

'''


def test_a_refused_assignment_leaves_the_module_as_it_was(module):
    mod = module.load(REFUSING_CLASS + '''
class Z(metaclass=Meta):
    frozen = 1
    def z(self):
        return 'z v1'

VALUE = 1
''')
    namespace = dict(vars(mod))
    Z, code = mod.Z, mod.Z.z.__code__
    with pytest.raises(AttributeError, match='cannot reassign frozen'):
        module.reload(REFUSING_CLASS + '''
class Z(metaclass=Meta):
    def z(self):
        return 'z v2'
    frozen = 2

VALUE = 2
''')
    assert vars(mod) == namespace
    assert mod.VALUE == 1 and mod.Z is Z and Z.frozen == 1
    assert Z.z.__code__ is code and Z().z() == 'z v1'
