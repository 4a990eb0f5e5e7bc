"""A patch module's functions get their new bodies, and nothing else.

A patch module's top level is not run again (see `patches`): the
patches it installed keep calling its functions, so giving those
functions the new code is the whole refresh of such a module.
"""
import inspect
import types


def _function_codes(code, prefix=''):
    """``(qualified name, code)`` of the functions `code` defines at its
    top level and in the bodies of its classes."""
    for const in code.co_consts:
        if not isinstance(const, types.CodeType) or \
                const.co_name.startswith('<'):
            continue
        if const.co_flags & inspect.CO_OPTIMIZED:
            yield prefix + const.co_name, const
        elif not prefix:  # a class body
            yield from _function_codes(const, const.co_name + '.')


def _function(namespace, qualname):
    head, _, attr = qualname.partition('.')
    value = namespace.get(head)
    if attr:
        value = vars(value).get(attr) if isinstance(value, type) else None
    if isinstance(value, (classmethod, staticmethod)):
        value = value.__func__
    return value if isinstance(value, types.FunctionType) else None


def update_bodies(module, code, journal):
    """Give `module`'s functions and methods the bodies `code` defines
    for them, without running `code`; the qualified names updated."""
    updated = []
    for qualname, new in _function_codes(code):
        function = _function(vars(module), qualname)
        if function is None or function.__code__ == new or \
                function.__code__.co_freevars != new.co_freevars:
            continue
        journal.assign(function, '__code__', new)
        updated.append(qualname)
    return updated
