"""Real code to check the engine's readings of bytecode against: the
modules this process loaded (Zope, ZODB, the zope.* packages, the rest
of the stack), compiled afresh from their sources."""
import sys


def loaded_modules():
    """``(module, its code compiled from its source)`` of every module
    loaded from a ``.py`` file that compiles."""
    for name, module in sorted(sys.modules.items()):
        path = getattr(module, '__file__', None) or ''
        if not path.endswith('.py'):
            continue
        try:
            with open(path, 'rb') as source:
                code = compile(source.read(), path, 'exec')
        except (OSError, SyntaxError, ValueError):
            continue
        yield module, code
