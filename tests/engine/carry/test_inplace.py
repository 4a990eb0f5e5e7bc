"""reload_module: new code in the old objects, all or nothing."""
import pytest

from ...inplace_module import module  # noqa: F401 (fixture)


def test_function_keeps_identity_and_gets_everything_new(module):
    mod = module.load('''
        def greet(name, greeting='hello', *, punct='.'):
            """Old."""
            return f'{greeting} {name}{punct}'
    ''')
    greet = mod.greet
    report = module.reload('''
        def greet(name: str, greeting='bonjour', *, punct='!') -> str:
            """New."""
            return f'{greeting}, {name}{punct}'
    ''')
    assert mod.greet is greet
    assert greet('Ann') == 'bonjour, Ann!'
    assert greet.__doc__ == 'New.'
    assert greet.__annotations__ == {'name': str, 'return': str}
    assert report.updated == ['greet']


def test_globals_constants_and_imports_reach_old_functions(module):
    mod = module.load('''
        LIMIT = 1
        def limit():
            return LIMIT
    ''')
    limit = mod.limit
    report = module.reload('''
        import math
        LIMIT = 2
        def limit():
            return math.floor(LIMIT * 1.5)
    ''')
    assert limit() == 3
    assert 'math' in report.added


def test_decorated_function_and_its_wrapper_keep_identity(module):
    mod = module.load('''
        import functools

        def shout(func):
            @functools.wraps(func)
            def wrapper(*args):
                return func(*args).upper()
            return wrapper

        @shout
        def hello():
            return 'hello'
    ''')
    hello, inner = mod.hello, mod.hello.__wrapped__
    module.reload('''
        import functools

        def shout(func):
            @functools.wraps(func)
            def wrapper(*args):
                return func(*args).upper() + '!'
            return wrapper

        @shout
        def hello():
            return 'bonjour'
    ''')
    assert mod.hello is hello and hello.__wrapped__ is inner
    assert hello() == 'BONJOUR!'


def test_changed_closure_is_replaced_and_reported(module):
    mod = module.load('''
        def make():
            a = 1
            def inner():
                return a
            return inner
        get = make()
        def other():
            return 'old'
    ''')
    other = mod.other
    report = module.reload('''
        def make():
            a, b = 1, 2
            def inner():
                return a + b
            return inner
        get = make()
        def other():
            return 'new'
    ''')
    assert mod.get() == 3
    assert ('get', 'its closure changed') in report.replaced
    assert other() == 'new'


def test_class_keeps_identity_for_instances_and_subclasses(module):
    mod = module.load('''
        class Base:
            kind = 'old'
            def describe(self):
                return 'base v1'
            def gone(self):
                return 'gone'
            @property
            def size(self):
                return 1
            @classmethod
            def make(cls):
                return 'made v1'
            @staticmethod
            def util():
                return 'util v1'
            class Inner:
                def value(self):
                    return 'inner v1'

        class Child(Base):
            def describe(self):
                return 'child of ' + super().describe()
    ''')
    Base, Child = mod.Base, mod.Child
    base, child, inner = Base(), Child(), Base.Inner()
    Base.added_at_run_time = 'kept'
    report = module.reload('''
        class Base:
            kind = 'new'
            def describe(self):
                return 'base v2'
            def fresh(self):
                return 'fresh'
            @property
            def size(self):
                return 2
            @classmethod
            def make(cls):
                return 'made v2'
            @staticmethod
            def util():
                return 'util v2'
            class Inner:
                def value(self):
                    return 'inner v2'

        class Child(Base):
            def describe(self):
                return 'child2 of ' + super().describe()
    ''')
    assert mod.Base is Base and mod.Child is Child
    assert isinstance(child, mod.Base) and issubclass(mod.Child, mod.Base)
    assert base.describe() == 'base v2' and base.kind == 'new'
    assert child.describe() == 'child2 of base v2'
    assert base.fresh() == 'fresh' and not hasattr(base, 'gone')
    assert base.size == 2
    assert Base.make() == 'made v2' and Base.util() == 'util v2'
    assert inner.value() == 'inner v2'
    assert Base.added_at_run_time == 'kept'
    assert 'Base.gone' in report.removed and 'Base.fresh' in report.added
    assert report.replaced == []


def test_a_method_that_starts_using_super(module):
    mod = module.load('''
        class A:
            def who(self):
                return 'A'
        class B(A):
            def who(self):
                return 'B'
    ''')
    b = mod.B()
    module.reload('''
        class A:
            def who(self):
                return 'A'
        class B(A):
            def who(self):
                return 'B after ' + super().who()
    ''')
    assert b.who() == 'B after A'


def test_module_level_instances_get_the_old_class(module):
    mod = module.load('''
        class Thing:
            def value(self):
                return 1
        DEFAULT = Thing()
        REGISTRY = {'a': Thing()}
    ''')
    Thing = mod.Thing
    module.reload('''
        class Thing:
            def value(self):
                return 2
        DEFAULT = Thing()
        REGISTRY = {'a': Thing()}
    ''')
    assert type(mod.DEFAULT) is Thing and type(mod.REGISTRY['a']) is Thing
    assert mod.DEFAULT.value() == 2


@pytest.mark.parametrize('old, new, reason', [
    ('class K:\n    pass\n', 'class K(dict):\n    pass\n',
     'its base classes changed'),
    ('class K:\n    __slots__ = ("a",)\n',
     'class K:\n    __slots__ = ("a", "b")\n', 'its __slots__ changed'),
    ('class K:\n    pass\n', 'class M(type):\n    pass\nclass K(metaclass=M):'
     '\n    pass\n', 'its metaclass changed'),
    ('def K():\n    pass\n', 'class K:\n    pass\n',
     'a function became a class'),
])
def test_what_cannot_be_carried_over_is_replaced(module, old, new, reason):
    mod = module.load(old)
    before = mod.K
    report = module.reload(new)
    assert mod.K is not before
    assert report.replaced == [('K', reason)]


def test_removed_names_go_but_names_set_from_outside_stay(module):
    mod = module.load('''
        import os
        def old_helper():
            pass
        VALUE = 1
    ''')
    mod.set_at_run_time = True
    report = module.reload('VALUE = 2\n')
    assert not hasattr(mod, 'old_helper') and not hasattr(mod, 'os')
    assert mod.set_at_run_time
    assert sorted(report.removed) == ['old_helper', 'os']


@pytest.mark.parametrize('tail', [
    'raise RuntimeError("at the end")\n',
    'def broken(:\n',
])
def test_a_failing_source_leaves_everything_as_it_was(module, tail):
    mod = module.load('''
        import functools
        def deco(f):
            @functools.wraps(f)
            def wrapper():
                return f()
            return wrapper
        @deco
        def first():
            return 'first v1'
        class K:
            def method(self):
                return 'method v1'
        VALUE = 1
    ''')
    namespace = dict(vars(mod))
    first, method = mod.first, mod.K.method
    codes = (first.__code__, first.__wrapped__.__code__, method.__code__)
    with pytest.raises((RuntimeError, SyntaxError)):
        module.reload('''
            import functools
            def deco(f):
                @functools.wraps(f)
                def wrapper():
                    return f() + '!'
                return wrapper
            @deco
            def first():
                return 'first v2'
            class K:
                def method(self):
                    return 'method v2'
                def extra(self):
                    pass
            VALUE = 2
        ''' + tail)
    assert vars(mod) == namespace
    assert (first.__code__, first.__wrapped__.__code__,
            method.__code__) == codes
    assert first() == 'first v1' and mod.K().method() == 'method v1'
    assert not hasattr(mod.K, 'extra')


def test_a_failure_while_carrying_over_rolls_back(module):
    mod = module.load('''
        class Meta(type):
            pass
        class A(metaclass=Meta):
            def a(self):
                return 'a v1'
        class Z(metaclass=Meta):
            def z(self):
                return 'z v1'
    ''')
    A, a_code = mod.A, mod.A.a.__code__

    def refuse(cls, name, value):
        if cls.__name__ == 'Z' and name == 'more':
            raise TypeError('read-only class')
        type.__setattr__(cls, name, value)

    mod.Meta.__setattr__ = refuse
    with pytest.raises(TypeError):
        module.reload('''
            class Meta(type):
                pass
            class A(metaclass=Meta):
                def a(self):
                    return 'a v2'
                def more(self):
                    pass
            class Z(metaclass=Meta):
                def z(self):
                    return 'z v2'
                def more(self):
                    pass
        ''')
    assert mod.A is A and A.a.__code__ is a_code
    assert not hasattr(A, 'more')


def test_zope_interface_declarations_take_effect(module):
    mod = module.load('''
        from zope.interface import Attribute, Interface

        class IThing(Interface):
            name = Attribute('The name')
            def greet():
                """Say hello."""
    ''')
    IThing = mod.IThing
    module.reload('''
        from zope.interface import Attribute, Interface

        class IThing(Interface):
            name = Attribute('The full name')
            size = Attribute('How big')
            def greet(loudly):
                """Say hello."""
    ''')
    assert mod.IThing is IThing
    assert sorted(IThing.names()) == ['greet', 'name', 'size']
    assert IThing['name'].__doc__ == 'The full name'
    assert IThing['greet'].getSignatureString() == '(loudly)'
    assert IThing['size'].interface is IThing


def test_class_members_of_every_kind_added_and_removed(module):
    mod = module.load('''
        class K:
            @property
            def old_prop(self):
                return 1
            @classmethod
            def old_cm(cls):
                return 1
            @staticmethod
            def old_sm():
                return 1
            class OldInner:
                pass
    ''')
    K = mod.K
    report = module.reload('''
        class K:
            @property
            def new_prop(self):
                return 2
            @classmethod
            def new_cm(cls):
                return cls
            @staticmethod
            def new_sm():
                return 2
            class NewInner:
                pass
    ''')
    assert mod.K is K
    for gone in ('old_prop', 'old_cm', 'old_sm', 'OldInner'):
        assert not hasattr(K, gone) and f'K.{gone}' in report.removed
    assert K().new_prop == 2 and K.new_cm() is K and K.new_sm() == 2
    assert K.NewInner.__name__ == 'NewInner'
    assert sorted(report.added) == [
        'K.NewInner', 'K.new_cm', 'K.new_prop', 'K.new_sm']


def test_defaults_that_compare_element_wise(module):
    """A NumPy array's ``==`` answers element-wise and refuses ``bool``:
    comparing old and new defaults must not fail the reload."""
    source = '''
        class Ambiguous:
            def __bool__(self):
                raise ValueError('ambiguous')

        class Array:
            def __init__(self, *values):
                self.values = values
            def __eq__(self, other):
                return Ambiguous()
            __ne__ = __eq__

        def scale(factor=Array({values})):
            return factor.values
    '''
    mod = module.load(source.format(values='1, 2'))
    scale = mod.scale
    module.reload(source.format(values='3, 4'))
    assert scale() == (3, 4) and type(scale.__defaults__[0]) is mod.Array


def test_function_attributes_holding_the_module_s_objects(module):
    source = '''
        class Marker:
            __slots__ = ('label',)
            def __init__(self, label):
                self.label = label
        def tagged():
            return {result!r}
        tagged.marker = Marker('x')
    '''
    mod = module.load(source.format(result=1))
    tagged, Marker = mod.tagged, mod.Marker
    module.reload(source.format(result=2))
    assert tagged() == 2 and type(tagged.marker) is Marker
