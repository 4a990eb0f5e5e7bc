"""What the module's own code puts into registries while it loads (class
decorators, ``__init_subclass__``, lists of handlers, bound methods)
holds the kept old objects after a reload, not thrown-away new ones."""
from ...inplace_module import module  # noqa: F401 (fixture)


PLUGINS = '''
REGISTRY = {}
HOOKS = []


def register(cls):
    REGISTRY[cls.__name__] = cls
    return cls


def hook(function):
    HOOKS.append(function)
    return function


@register
class Plugin:
    def run(self):
        return 'run VERSION'

    @classmethod
    def create(cls):
        return cls()


@hook
def on_start():
    return 'start VERSION'


ORDER = (Plugin, on_start)
TABLE = {'plugin': [ORDER], 'names': {'Plugin'}}
make = Plugin.create
'''


def test_a_decorator_registry_holds_the_kept_class(module):
    mod = module.load(PLUGINS.replace('VERSION', 'v1'))
    Plugin, on_start = mod.Plugin, mod.on_start
    plugin = Plugin()
    module.reload(PLUGINS.replace('VERSION', 'v2'))

    assert mod.REGISTRY['Plugin'] is Plugin
    assert isinstance(plugin, mod.REGISTRY['Plugin'])
    assert mod.HOOKS == [on_start] and on_start() == 'start v2'
    assert mod.ORDER == (Plugin, on_start)
    assert mod.TABLE['plugin'][0][0] is Plugin
    assert mod.make.__self__ is Plugin and type(mod.make()) is Plugin
    assert plugin.run() == 'run v2'


SUBCLASSES = '''
class Base:
    kinds = []

    def __init_subclass__(cls, **options):
        super().__init_subclass__(**options)
        Base.kinds.append(cls)

    def who(self):
        return 'base VERSION'


class First(Base):
    pass


class Second(Base):
    partner = [First]
'''


def test_init_subclass_registry_and_class_attributes(module):
    mod = module.load(SUBCLASSES.replace('VERSION', 'v1'))
    Base, First, Second = mod.Base, mod.First, mod.Second
    module.reload(SUBCLASSES.replace('VERSION', 'v2'))

    assert mod.First is First and mod.Second is Second
    assert Base.kinds == [First, Second]
    assert all(kind is old for kind, old in zip(Base.kinds, (First, Second)))
    assert Second.partner[0] is First
    assert First().who() == 'base v2'
    assert issubclass(Second, Base) and Base.__subclasses__() == [
        First, Second]


ACTIVITIES = '''
class Activities:
    def __init__(self):
        self.steps = []

    def register(self, function):
        self.steps.append(function)
        return self

    def __call__(self, x):
        return [step(x) for step in self.steps]


activities = Activities()


@activities.register
def do(x):
    return f'paint {x}'
'''


def test_a_module_level_registry_object_keeps_its_identity(module):
    """The held object is the one the module made at import; the new code
    made another and filled that one."""
    mod = module.load(ACTIVITIES)
    held = mod.activities
    module.reload(ACTIVITIES.replace('paint', 'sing') + '''

@activities.register
def do(x):
    return f'dance {x}'
''')
    assert mod.activities is held and mod.do is held
    assert held(2) == ['sing 2', 'dance 2']
