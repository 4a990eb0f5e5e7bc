"""Cached functions and properties: whoever holds them runs the new code,
and nothing the old code computed is served from the cache."""
from ...inplace_module import module  # noqa: F401 (fixture)


CACHED = '''
import functools


@functools.lru_cache(maxsize=32)
def square(x):
    """VERSION"""
    return x * x * FACTOR


@functools.cache
def cube(x):
    return x * x * x * FACTOR


class Shape:
    def __init__(self, side):
        self.side = side

    @functools.cached_property
    def area(self):
        return self.side * self.side * FACTOR


FACTOR = 1
'''


def test_lru_cache_and_cache_get_the_new_code_and_forget(module):
    mod = module.load(CACHED.replace('VERSION', 'v1'))
    square, cube = mod.square, mod.cube
    assert (square(3), cube(2)) == (9, 8)
    report = module.reload(CACHED.replace('VERSION', 'v2').replace(
        'return x * x * FACTOR', 'return x + FACTOR').replace(
        'return x * x * x * FACTOR', 'return 10 * x'))

    assert mod.square is square and mod.cube is cube
    assert square(3) == 4 and cube(2) == 20
    assert square.__doc__ == 'v2' and square.cache_info().maxsize == 32
    assert ('square', 'its cache changed') not in report.replaced


def test_a_changed_cache_size_replaces_the_function(module):
    mod = module.load(CACHED)
    square = mod.square
    report = module.reload(CACHED.replace('maxsize=32', 'maxsize=64'))
    assert mod.square is not square
    assert mod.square.cache_info().maxsize == 64
    assert ('square', 'its cache parameters changed') in report.replaced


def test_cached_property_gets_the_new_code_and_forgets(module):
    mod = module.load(CACHED)
    shape = mod.Shape(3)
    area = vars(mod.Shape)['area']
    assert shape.area == 9
    module.reload(CACHED.replace('self.side * self.side', '4 * self.side'))

    assert vars(mod.Shape)['area'] is area
    assert shape.area == 12
    assert mod.Shape(2).area == 8


def test_function_caches_are_emptied_even_when_the_code_is_the_same(module):
    """The new globals may change the results; a cached property whose
    code did not change keeps what its instances computed."""
    mod = module.load(CACHED)
    shape = mod.Shape(3)
    assert mod.square(3) == 9 and shape.area == 9
    module.reload(CACHED.replace('FACTOR = 1', 'FACTOR = 2'))
    assert mod.square.cache_info().currsize == 0 and mod.square(3) == 18
    assert shape.area == 9 and mod.Shape(3).area == 18
