"""Functions made while staging move into their module's own namespace.

A function's globals cannot change, so a function the staged code made
(see `stage`) is made again from the same code, defaults, closure cells
and attributes, with the module's namespace as its globals. What wraps
such functions (class and static methods, properties, functools' cached
functions and cached properties, partials) is made again around the
new ones.
"""
import copy
import functools
from types import FunctionType


def rebuilt(function, namespace):
    """`function` with `namespace` as its globals."""
    new = FunctionType(function.__code__, namespace, function.__name__,
                       function.__defaults__, function.__closure__)
    if function.__kwdefaults__:
        new.__kwdefaults__ = dict(function.__kwdefaults__)
    new.__qualname__ = function.__qualname__
    new.__doc__ = function.__doc__
    new.__module__ = function.__module__
    new.__annotations__ = function.__annotations__
    new.__dict__.update(function.__dict__)
    type_params = getattr(function, '__type_params__', None)
    if type_params:
        new.__type_params__ = type_params
    return new


def _attributes(wrapper, new):
    """Carry the attributes of `wrapper` but the wrapped function's."""
    for key, value in vars(wrapper).items():
        if key != '__wrapped__' and key not in vars(new):
            setattr(new, key, value)
    return new


def _method(value, replace):
    inner = replace(value.__func__)
    if inner is value.__func__:
        return None
    return _attributes(value, type(value)(inner))


def _property(value, replace):
    parts = [None if part is None else replace(part)
             for part in (value.fget, value.fset, value.fdel)]
    if all(new is old for new, old in zip(
            parts, (value.fget, value.fset, value.fdel))):
        return None
    return property(*parts, value.__doc__)


def _cached_property(value, replace):
    inner = replace(value.func)
    if inner is value.func:
        return None
    new = copy.copy(value)
    new.func = inner
    return new


def _cached_function(value, replace):
    inner = replace(value.__wrapped__)
    if inner is value.__wrapped__:
        return None
    parameters = value.cache_parameters()
    new = functools.lru_cache(maxsize=parameters['maxsize'],
                              typed=parameters['typed'])(inner)
    return _attributes(value, new)


def _partial(value, replace):
    inner = replace(value.func)
    if inner is value.func:
        return None
    new = functools.partial(inner, *value.args, **value.keywords)
    return _attributes(value, new)


_WRAPPERS = {
    classmethod: _method,
    staticmethod: _method,
    property: _property,
    functools.cached_property: _cached_property,
    functools._lru_cache_wrapper: _cached_function,
    functools.partial: _partial,
}


def rewrapped(value, replace):
    """`value` made again around ``replace(function)`` of each function
    it wraps; None if it wraps none, or none is replaced."""
    rewrap = _WRAPPERS.get(type(value))
    return None if rewrap is None else rewrap(value, replace)
