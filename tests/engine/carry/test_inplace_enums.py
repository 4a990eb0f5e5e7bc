"""Enums reload in place: the class and the members whose name stays
keep their identity; members come and go; methods change."""
import pickle
import sys

import pytest

from ...inplace_module import module  # noqa: F401 (fixture)


KINDS = {
    'Enum': ("'red'", "'green'", "'blue'", "'crimson'"),
    'IntEnum': ('1', '2', '3', '10'),
    'StrEnum': ("'red'", "'green'", "'blue'", "'crimson'"),
    'Flag': ('1', '2', '4', '8'),
    'IntFlag': ('1', '2', '4', '8'),
}
if sys.version_info < (3, 11):
    del KINDS['StrEnum']


def enum_source(kind, members, method_result):
    lines = [f'from enum import {kind}', '',
             f'class Color({kind}):']
    lines += [f'    {name} = {value}' for name, value in members]
    lines += ['', '    def describe(self):',
              f'        return {method_result!r} + self.name', '',
              'FAVOURITE = Color.' + members[0][0], '']
    return '\n'.join(lines)


@pytest.mark.parametrize('kind', sorted(KINDS))
def test_members_added_removed_kept_and_methods_changed(module, kind):
    red, green, blue, _ = KINDS[kind]
    mod = module.load(enum_source(
        kind, [('RED', red), ('GREEN', green)], 'v1 '))
    Color, RED, GREEN = mod.Color, mod.Color.RED, mod.Color.GREEN
    report = module.reload(enum_source(
        kind, [('RED', red), ('BLUE', blue)], 'v2 '))

    assert mod.Color is Color and report.replaced == []
    assert mod.Color.RED is RED and mod.FAVOURITE is RED
    assert Color(RED.value) is RED and Color['RED'] is RED
    assert RED.describe() == 'v2 RED'
    assert isinstance(Color.BLUE, Color) and Color.BLUE.describe() == 'v2 BLUE'
    assert [member.name for member in Color] == ['RED', 'BLUE']
    assert 'GREEN' not in Color.__members__ and not hasattr(Color, 'GREEN')
    assert pickle.loads(pickle.dumps(RED)) is RED
    assert GREEN.name == 'GREEN'  # a held removed member still works


@pytest.mark.parametrize('kind', sorted(KINDS))
def test_a_changed_value(module, kind):
    red, green, _, crimson = KINDS[kind]
    mod = module.load(enum_source(
        kind, [('RED', red), ('GREEN', green)], ''))
    Color, GREEN = mod.Color, mod.Color.GREEN
    module.reload(enum_source(
        kind, [('RED', crimson), ('GREEN', green)], ''))

    assert mod.Color is Color and Color.GREEN is GREEN
    assert Color.RED.value == eval(crimson)
    assert Color(eval(crimson)) is Color.RED
    assert mod.FAVOURITE is Color.RED
    if kind != 'IntFlag':  # IntFlag makes pseudo-members of any int
        with pytest.raises(ValueError):
            Color(eval(red))


def test_an_enum_gaining_a_member_keeps_the_rest_of_the_module(module):
    """The IPython autoreload report: adding a member used to fail and,
    through the failed rollback, leave the module half changed."""
    mod = module.load('''
        from enum import Enum
        class MyEnum(Enum):
            A = 'A'
            B = 'B'
        VALUE = 1
    ''')
    A = mod.MyEnum.A
    module.reload('''
        from enum import Enum
        class MyEnum(Enum):
            A = 'A'
            B = 'B'
            C = 'C'
        VALUE = 2
    ''')
    assert mod.MyEnum.C.value == 'C' and mod.MyEnum.A is A
    assert mod.VALUE == 2


def test_members_with_their_own_attributes_and_aliases(module):
    source = '''
        from enum import Enum
        class Planet(Enum):
            MERCURY = (1, 'small')
            EARTH = (3, {size!r})
            HOME = (3, {size!r})
            def __init__(self, order, size):
                self.order = order
                self.size = size
    '''
    mod = module.load(source.format(size='medium'))
    EARTH = mod.Planet.EARTH
    module.reload(source.format(size='blue'))
    assert mod.Planet.EARTH is EARTH and EARTH.size == 'blue'
    assert mod.Planet.HOME is EARTH
