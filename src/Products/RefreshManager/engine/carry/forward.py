"""A replaced function keeps working: it forwards calls to its replacement.

A function whose closure changed cannot take the new code (Python wants
a code object with as many free variables as the closure has cells), so
its name is bound to the new function. What still holds the old one (a
bound method, whose ``__func__`` is read-only; another module's import)
would run the old code: instead the old function gets a code object that
calls the new one, with the same number of free variables it never
reads, and the new function as a keyword-only default.
"""
_TARGET = '__refresh_forward__'
_CODE = {}  # number of free variables -> forwarding code


def _forwarding_code(free):
    code = _CODE.get(free)
    if code is None:
        names = [f'_free{index}' for index in range(free)]
        assign = f'    {", ".join(names)} = {", ".join(["None"] * free)}\n'
        source = (
            'def outer():\n'
            + (assign if names else '')
            + f'    def forward(*args, {_TARGET}, **kwargs):\n'
            + f'        if {_TARGET} is None:  # never: makes the cells free\n'
            + f'            return ({"".join(n + ", " for n in names)})\n'
            + f'        return {_TARGET}(*args, **kwargs)\n'
            + '    return forward\n')
        namespace = {}
        exec(compile(source, '<refresh forward>', 'exec'), namespace)
        code = _CODE[free] = namespace['outer']().__code__
    return code


def forward(old, new, journal):
    """Make the function `old` call `new` from now on."""
    code = _forwarding_code(len(old.__code__.co_freevars)).replace(
        co_name=old.__code__.co_name,
        co_filename=new.__code__.co_filename,
        co_firstlineno=new.__code__.co_firstlineno)
    if hasattr(code, 'co_qualname'):
        code = code.replace(co_qualname=old.__code__.co_qualname)
    journal.assign(old, '__code__', code)
    journal.assign(old, '__defaults__', None)
    journal.assign(old, '__kwdefaults__', {_TARGET: new})
    journal.assign(old, '__doc__', new.__doc__)
    journal.setattr(old, '__wrapped__', new)  # inspect.signature follows
