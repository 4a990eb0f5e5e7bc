"""Which modules cannot run off to the side.

Staged code runs in a namespace of its own (see `stage`); code that
reaches its own module object through the import system instead of its
globals (``sys.modules[__name__]``, ``sys.modules.get(__name__)``,
``importlib.import_module(__name__)``, to set names on it in a loop, say)
would change the live module, which staging must not touch, and the
staged namespace would miss those names. Such a module runs in the
module itself, as before staging existed, and the whole refresh then
runs while no request does.

Read from the bytecode of all the module's code, functions included (a
helper called at load time counts): a function that only does this
later, when called, makes the refresh exclusive for nothing, which is
safe.
"""
import dis

from ..read.bytecode import all_code


_REACHERS = frozenset(('modules', 'import_module'))
_IMPORTERS = _REACHERS | {'sys', 'importlib'}
_NAME_LOADS = frozenset(('LOAD_NAME', 'LOAD_GLOBAL'))
_WITHIN = 3  # instructions between `sys.modules` and `__name__`


def reaches_itself(code):
    """Whether the module code `code` looks its own module up."""
    if not _IMPORTERS.intersection(code.co_names):
        return False  # the module's body imports neither sys nor importlib
    for current in all_code(code):
        if '__name__' not in current.co_names or not _REACHERS.intersection(
                current.co_names):
            continue
        countdown = 0
        for instruction in dis.get_instructions(current):
            if instruction.argval in _REACHERS:
                countdown = _WITHIN
            elif countdown:
                if (instruction.opname in _NAME_LOADS
                        and instruction.argval == '__name__'):
                    return True
                countdown -= 1
    return False
