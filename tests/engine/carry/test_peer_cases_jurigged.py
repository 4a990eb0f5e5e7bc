"""jurigged's cases, run against reload_module.

Ported from jurigged's ``test_codetools.py`` (merging a new version of a
file), ``test_recoder.py`` (patching definitions; here, editing the file
the same way) and ``test_registry.py`` (refreshing a registered file),
the cases that change code: not those of its source rewriting, catalogue
or import hooks. jurigged merges partial files (only the changed
definitions, with deletions allowed or not); here each edit is the whole
file as it would read after the merge. The modules are jurigged's test
snippets, rewritten. benchmarks/peer_suites.py runs these same functions
against the other reloaders.

Two cases are expected to fail: jurigged runs only the statements that
changed, so state built by an unchanged statement survives, and it
applies what it can of a file whose other statements fail. Re-executing
the module body, all or nothing, does neither by design.
"""
import math
import sys

import pytest

from ...peer_box import box  # noqa: F401 (fixture)


BALLON = '''
import math


def inflate(x):
    return x * 2


class Sphere:
    def __init__(self, radius):
        self.radius = radius

    def volume(self):
        return 4 / 3 * math.pi * self.radius ** 3


class FlatCircle:
    def __init__(self, radius):
        self.radius = radius

    def unsightly(self):
        return "yuck"

    def volume(self):
        return -1


def uninteresting():
    return None
'''

BALLON_V2 = '''
import math


class Sphere:
    def __init__(self, radius):
        self.radius = radius

    def volume(self):
        return 4 / 3 * math.pi * self.radius ** 3


def inflate(x):
    return x * 3


class FlatCircle:
    def __init__(self, radius):
        self.radius = radius

    def circumference(self):
        return 2 * math.pi * self.radius

    def volume(self):
        return 0


def deflate(x):
    return x / 3
'''


def ballon_checks(mod):
    """The checks of jurigged's ballon tests, on references held now."""
    radius = 10
    cir = mod.FlatCircle(radius)
    inflate, volume = mod.inflate, cir.volume

    def initial():
        assert mod.inflate(5) == 10 and inflate(5) == 10
        assert cir.volume() == -1 and volume() == -1
        assert cir.unsightly() == 'yuck'
        with pytest.raises(AttributeError):
            cir.circumference()
        assert mod.uninteresting() is None

    def new():
        assert mod.inflate(5) == 15 and inflate(5) == 15
        assert mod.deflate(15) == 5
        assert cir.volume() == 0 and volume() == 0
        with pytest.raises(AttributeError):
            cir.unsightly()
        assert cir.circumference() == 2 * math.pi * radius
        with pytest.raises(AttributeError):
            mod.uninteresting()

    return initial, new


# -- test_codetools.py -----------------------------------------------------

def test_merge(box):
    mod = box.load(BALLON)
    initial, new = ballon_checks(mod)
    initial()
    box.reload(mod, BALLON_V2)
    new()


def test_merge_partial(box):
    """Merged without deletions: ``unsightly`` and ``uninteresting`` stay
    in the file."""
    mod = box.load(BALLON)
    cir = mod.FlatCircle(10)
    assert cir.volume() == -1 and cir.unsightly() == 'yuck'
    box.reload(mod, BALLON_V2.replace(
        '    def volume(self):\n        return 0',
        '    def unsightly(self):\n        return "yuck"\n\n'
        '    def volume(self):\n        return 0') + '''

def uninteresting():
    return None
''')
    assert cir.volume() == 0 and cir.unsightly() == 'yuck'


def test_merge_back_and_forth(box):
    mod = box.load(BALLON)
    initial, new = ballon_checks(mod)
    initial()
    for _ in range(2):
        box.reload(mod, BALLON_V2)
        new()
        box.reload(mod, BALLON)
        initial()
    box.reload(mod, BALLON_V2)
    new()


CHIPS = '''
def crunch(fn):
    def deco(*args):
        return fn(*args) + STEP
    return deco


DECORATORS
def munch(MUNCH_ARGS):
    return MUNCH_BODY
'''


def chips(step='1', decorators=2, args='x', body='x'):
    return (CHIPS.replace('STEP', step)
            .replace('DECORATORS', '\n'.join(['@crunch'] * decorators))
            .replace('MUNCH_ARGS', args).replace('MUNCH_BODY', body))


def test_merge_decorators(box):
    mod = box.load(chips())
    assert mod.munch(4) == 6
    box.reload(mod, chips(args='x, y', body='x + y'))
    assert mod.munch(4, 2) == 8


def test_merge_decorators_change(box):
    mod = box.load(chips())
    assert mod.munch(4) == 6
    box.reload(mod, chips(decorators=3, body='x + 10'))
    assert mod.munch(4) == 17


def test_change_decorator(box):
    mod = box.load(chips())
    assert mod.munch(4) == 6
    box.reload(mod, chips(step='2'))
    assert mod.munch(4) == 8


def test_change_decorator_multiple(box):
    mod = box.load(chips())
    assert mod.munch(4) == 6
    box.reload(mod, chips(step='2'))
    assert mod.munch(4) == 8
    box.reload(mod, chips(step='3'))
    assert mod.munch(4) == 10


def test_change_decorator_then_fn(box):
    mod = box.load(chips())
    assert mod.munch(4) == 6
    box.reload(mod, chips(step='2'))
    box.reload(mod, chips(step='2', body='x * 100'))
    assert mod.munch(4) == 404


def test_change_fn_then_decorator(box):
    mod = box.load(chips())
    assert mod.munch(4) == 6
    box.reload(mod, chips(body='x * 100'))
    box.reload(mod, chips(step='2', body='x * 100'))
    assert mod.munch(4) == 404


ELEPHANT = '''
class Rememberer:
    def __init__(self):
        self.funcs = []

    def register(self, fn):
        self.funcs.append(fn)
        fn.__conform__ = lambda new: self.recode(fn, new)
        return self

    def recode(self, fn, new):
        if new is None:
            self.funcs.remove(fn)
        else:
            fn.__code__ = getattr(new, '__code__', new)

    def __call__(self, *args):
        return [fn(*args) for fn in self.funcs]


activities = Rememberer()
'''

ACTIVITY = '''

@activities.register
def do(x):
    return f"{what}"
'''


def elephant(*activities):
    return ELEPHANT + ''.join(
        ACTIVITY.format(what=what) for what in activities)


def box_module(obj):
    return sys.modules[type(obj).__module__]


PAINT, SING, DANCE = ('Paint {x} canvasses', 'Sing {x} songs',
                      'Dance for {x} hours')


def test_functions_interface(box):
    do = box.load(elephant(PAINT, SING, DANCE)).do
    assert do(7) == ['Paint 7 canvasses', 'Sing 7 songs', 'Dance for 7 hours']
    box.reload(box_module(do), elephant(
        PAINT, 'Sing {x * 2} songs', DANCE))
    assert do(7) == ['Paint 7 canvasses', 'Sing 14 songs',
                     'Dance for 7 hours']


def test_functions_interface_add(box):
    do = box.load(elephant(PAINT, SING, DANCE)).do
    box.reload(box_module(do), elephant(
        PAINT, SING, 'Worship the {x} suns', DANCE, 'Do {x} push-ups'))
    assert do(7) == ['Paint 7 canvasses', 'Sing 7 songs',
                     'Worship the 7 suns', 'Dance for 7 hours',
                     'Do 7 push-ups']


def test_functions_interface_rm(box):
    do = box.load(elephant(PAINT, SING, DANCE)).do
    box.reload(box_module(do), elephant('Eat {x} bananas'))
    assert do(7) == ['Eat 7 bananas']


FIRMAMENT = '''
a = 1; b = 2; c = 3; d = 4
betelgeuse = 1000
ursa_major = [1, 2, 3, 4]

def sirius(x):
    return x * x
'''

FIRMAMENT_V2 = '''import math

e = 11; f = 22; g = 33; h = 44
ursa_major = [1, 2, 3, 4]
betelgeuse = 41

def sirius(x):
    return math.ceil(x / 2)
'''


def test_update_statements(box):
    mod = box.load(FIRMAMENT)
    assert mod.sirius(5) == 25
    mod.ursa_major.append(888)
    assert mod.betelgeuse == 1000
    box.reload(mod, FIRMAMENT_V2)
    assert mod.sirius(5) == 3 and mod.betelgeuse == 41
    assert mod.ursa_major == [1, 2, 3, 4, 888]


GLAMOUR = '''
class Wearable:
    def __init__(self, intensity):
        self.intensity = intensity

    def swagger(self):
        return self.intensity

'''


def test_change_supermethod(box):
    scarf = 'class Scarf(Wearable):\n    def swagger(self):\n' \
            '        return super().swagger() * FACTOR\n'
    mod = box.load(GLAMOUR + scarf.replace('FACTOR', '2'))
    assert mod.Scarf(5).swagger() == 10
    box.reload(mod, GLAMOUR + scarf.replace('FACTOR', '3'))
    assert mod.Scarf(5).swagger() == 15


def test_remove_super(box):
    mod = box.load(GLAMOUR + 'class Scarf(Wearable):\n    def swagger(self):'
                             '\n        return super().swagger() * 2\n')
    assert mod.Scarf(5).swagger() == 10
    box.reload(mod, GLAMOUR + 'class Scarf(Wearable):\n'
                              '    def swagger(self):\n        return 1234\n')
    assert mod.Scarf(5).swagger() == 1234


def test_add_class_statement(box):
    mod = box.load(GLAMOUR + 'class Scarf(Wearable):\n    def swagger(self):'
                             '\n        return super().swagger() * 2\n')
    assert mod.Scarf(5).swagger() == 10
    box.reload(mod, GLAMOUR + '''
def outer(self):
    return "hello!"

class Scarf(Wearable):
    def swagger(self):
        return super(Scarf, self).swagger() * 10

    also_swagger = swagger
    hello = outer
''')
    scarf = mod.Scarf(5)
    assert scarf.swagger() == 50 and scarf.also_swagger() == 50
    assert scarf.hello() == 'hello!'


@pytest.mark.xfail(strict=True, reason=(
    'all or nothing by design: a file whose body fails changes nothing; '
    'jurigged applies the definitions that work'))
def test_bad_statement(box):
    mod = box.load('def lizard(n):\n    return "s" * n\n')
    assert mod.lizard(3) == 'sss'
    try:
        box.reload(mod, 'x = this(wontwork)\n\n'
                        'def lizard(n):\n    return "s" * n * 2\n')
    except NameError:
        pass
    assert mod.lizard(3) == 'ssssss'


JACKFRUIT = '''import types

class Assoc:
    __slots__ = ("fn", "code")

    def __init__(self, fn, code):
        self.fn = fn
        self.code = code

    def __conform__(self, new_code):
        if new_code is not None:
            if isinstance(new_code, types.FunctionType):
                new_code = new_code.__code__
            self.fn.__code__ = new_code.replace(co_name="jack2")
            self.code = new_code

def jack1(x, y):
    return x OPERATOR y

jack2 = types.FunctionType(
    jack1.__code__.replace(co_name="jack2"),
    globals()
)
jack2._recoder = Assoc(jack2, jack1.__code__)
'''


def test_custom_conform(box):
    """jurigged's test also checks its code registry, not ported; its
    snippet's ``__conform__`` updates that registry too."""
    mod = box.load(JACKFRUIT.replace('OPERATOR', '*'))
    jack1, jack2 = mod.jack1, mod.jack2
    assert jack1(3, 4) == 12 and jack2(3, 4) == 12
    box.reload(mod, JACKFRUIT.replace('OPERATOR', '+'))
    assert jack1(3, 4) == 7 and jack2(3, 4) == 7
    assert mod.jack1(3, 4) == 7 and mod.jack2(3, 4) == 7
    assert jack1.__code__.co_name == 'jack1'
    assert jack2.__code__.co_name == 'jack2'


def test_respect_future_flags_succeeds(box):
    mod = box.load('from __future__ import annotations\n')
    with pytest.raises(AttributeError):
        mod.f
    box.reload(mod, 'from __future__ import annotations\n\n\n'
                    'def f(a: nonexistant_type) -> str:\n    return a\n')
    assert mod.f('jeb') == 'jeb'


def test_future_flag_name_collisions_dont_cause_issues(box):
    mod = box.load('from __future__ import annotations\n')
    with pytest.raises(AttributeError):
        mod.f
    box.reload(mod, '''from __future__ import annotations

print_function = (
    "this has the same name as a __future__ import but is not the right type"
)


def f(a: nonexistant_type) -> str:
    return a
''')
    assert mod.f('tuse') == 'tuse'


# -- test_recoder.py: each patch is an edit of the file --------------------

HYPERSPACE = '''
def asteroid():
    return 1


def boost():
    return BOOST


def carbon():
    return 3
'''


def test_recoder(box):
    mod = box.load(HYPERSPACE.replace('BOOST', '2'))
    assert mod.boost() == 2
    box.reload(mod, HYPERSPACE.replace('BOOST', '200'))
    assert mod.boost() == 200 and mod.asteroid() == 1


def inflating(factor, source=BALLON):
    return source.replace('return x * 2', f'return x * {factor}')


def test_recoder_2(box):
    mod = box.load(BALLON)
    assert mod.inflate(4) == 8
    box.reload(mod, inflating(10))
    assert mod.inflate(4) == 40
    box.reload(mod, BALLON)  # revert
    assert mod.inflate(4) == 8
    box.reload(mod, inflating(10))
    assert mod.inflate(4) == 40
    assert not hasattr(mod, 'pop')
    box.reload(mod, 'def pop():\n    return 0\n' + inflating(10))
    assert mod.pop() == 0


def test_module_recoder(box):
    mod = box.load(BALLON)
    assert mod.inflate(4) == 8
    box.reload(mod, inflating(10))
    assert mod.inflate(4) == 40


def test_function_recoder(box):
    mod = box.load(BALLON)
    inflate = mod.inflate
    box.reload(mod, inflating(10))
    assert inflate(4) == 40 and mod.inflate(4) == 40
    box.reload(mod, inflating(10) + '\nx = 10\n\n\ndef infloote(x):\n'
                                    '    return x * 100\n')
    assert mod.infloote(4) == 400 and mod.x == 10


def test_function_recoder_delete(box):
    mod = box.load(BALLON)
    assert mod.inflate(4) == 8
    box.reload(mod, BALLON.replace('def inflate(x):\n    return x * 2\n', ''))
    assert not hasattr(mod, 'inflate')
    box.reload(mod, inflating(10))
    assert mod.inflate(4) == 40


def test_class_recoder(box):
    mod = box.load(BALLON)
    assert mod.FlatCircle(10).volume() == -1
    box.reload(mod, BALLON.replace(
        '    def unsightly(self):\n        return "yuck"\n\n'
        '    def volume(self):\n        return -1',
        '    def circumference(self):\n'
        '        return 2 * math.pi * self.radius\n\n'
        '    def volume(self):\n        return self.radius'))
    assert mod.FlatCircle(10).volume() == 10


def test_method_recoder(box):
    mod = box.load(BALLON)
    volume = mod.FlatCircle.volume
    assert mod.FlatCircle(10).volume() == -1
    box.reload(mod, BALLON.replace('        return -1',
                                   '        return self.radius'))
    assert mod.FlatCircle(10).volume() == 10 and volume(mod.FlatCircle(3)) == 3


def test_recoder_out_of_sync(box):
    mod = box.load(BALLON)
    assert mod.inflate(4) == 8
    box.reload(mod, inflating(10))
    assert mod.inflate(4) == 40
    box.reload(mod, inflating(20))
    assert mod.inflate(4) == 80
    box.reload(mod, inflating(10))  # the first patch again
    assert mod.inflate(4) == 40


# -- test_registry.py ------------------------------------------------------

def test_registry_get(box):
    za = box.load('word = "tyrant"\n')
    assert za.word == 'tyrant'
    box.reload(za, 'word = "pirate"\n')
    assert za.word == 'pirate'
