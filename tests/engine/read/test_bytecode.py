"""The raw bytecode scan finds what `dis` finds: the imports a module
body and its class bodies run, the names they store, ``import *``.

`dis` decodes every instruction (the engine's scan used it, and cost more
than the compile it follows); the scan searches the opcode bytes. Both
are run here on the standard library's sources and on modules large
enough to need ``EXTENDED_ARG``, and so is the general path (decoding
with `dis`) that versions CI has not proven take.
"""
import dis
import inspect
import os
import sysconfig
import textwrap
from types import CodeType

import pytest

from Products.RefreshManager.engine.read import versions
from Products.RefreshManager.engine.read.bytecode import Bindings
from Products.RefreshManager.engine.read.bytecode import executed_imports
from Products.RefreshManager.engine.read.bytecode import scan


def _bodies(code, prefix=''):
    """The module body, then each class body with its qualified name."""
    yield prefix.rstrip('.'), code
    for const in code.co_consts:
        if isinstance(const, CodeType) and not (
                const.co_flags & inspect.CO_OPTIMIZED):
            yield from _bodies(const, prefix + const.co_name + '.')


def reference(code):
    """What `dis` says: imports, stores and ``import *`` of each body."""
    found = {}
    for qualname, body in _bodies(code):
        imports, stores, star, constants = [], [], False, [None, None]
        for instruction in dis.get_instructions(body):
            if instruction.opname in ('LOAD_CONST', 'LOAD_SMALL_INT'):
                constants = [constants[1], instruction.argval]
            elif instruction.opname == 'IMPORT_NAME':
                imports.append((constants[0] or 0, instruction.argval,
                                constants[1]))
            elif instruction.opname in ('STORE_NAME', 'STORE_GLOBAL'):
                stores.append((instruction.argval,
                               instruction.opname == 'STORE_GLOBAL'))
            elif instruction.opname == 'IMPORT_STAR' or (
                    instruction.opname == 'CALL_INTRINSIC_1'
                    and instruction.arg == 2):
                star = True
        found.setdefault(qualname, []).append((imports, stores, star))
    return found


def assert_same(code):
    expected = reference(code)
    body = scan(code).module
    assert (body.imports, body.stores, body.star) == expected.pop('')[0]
    assert scan(code).imports == body.imports + [
        found for bodies in expected.values()
        for imports, _, _ in bodies for found in imports]
    bindings = Bindings(code)
    assert bindings.classes == {
        qualname: frozenset(name for _, stores, _ in bodies
                            for name, is_global in stores if not is_global)
        for qualname, bodies in expected.items()}


@pytest.fixture(params=['search', 'decode'])
def reading(request, monkeypatch):
    """The search of opcode bytes (on the versions CI proves), or the
    general path any other version takes: decoding the instructions."""
    if request.param == 'decode':
        monkeypatch.setattr(versions, 'RAW_OPCODES', False)
    elif not versions.RAW_OPCODES:
        pytest.skip('this Python decodes the instructions')


def stdlib_sources():
    folder = sysconfig.get_paths()['stdlib']
    for name in sorted(os.listdir(folder)):
        if name.endswith('.py'):
            yield os.path.join(folder, name)


def test_the_standard_library_scans_as_dis_reads_it(reading):
    checked = 0
    for path in stdlib_sources():
        with open(path, 'rb') as source:
            try:
                code = compile(source.read(), path, 'exec',
                               dont_inherit=True)
            except SyntaxError:  # a test file meant to fail
                continue
        assert_same(code)
        checked += 1
    assert checked > 100


def big_module(count):
    """More names and constants than one byte can number, imports and
    ``import *`` among them, in the module and in a class."""
    lines = [f'NAME{index} = {index}.5' for index in range(count)]
    lines += ['from os.path import join as JOIN, split',
              'from . import sibling',
              'from ..parent import *',
              'import xml.dom.minidom as minidom',
              'class Big:']
    lines += [f'    ATTR{index} = "{index}"' for index in range(count)]
    lines += ['    from .inner import thing',
              '    global GLOBAL',
              '    GLOBAL = 1',
              '    class Nested:',
              '        import json']
    return '\n'.join(lines) + '\n'


@pytest.mark.parametrize('count', [10, 300, 70000])
def test_extended_arguments(count, reading):
    code = compile(big_module(count), 'pkg/mod.py', 'exec')
    assert_same(code)
    assert executed_imports(code) == [
        (0, 'os.path', ('join', 'split')), (1, '', ('sibling',)),
        (2, 'parent', ('*',)), (0, 'xml.dom.minidom', None),
        (1, 'inner', ('thing',)), (0, 'json', None)]


def test_bindings_of_module_and_classes():
    code = compile(textwrap.dedent('''
        import os
        X = 1
        class A:
            Y = 2
            global G
            G = 3
            class B:
                Z = 4
        if X:
            class A:
                W = 5
    '''), 'mod.py', 'exec')
    bindings = Bindings(code)
    assert bindings.names == {'os', 'X', 'A'}
    assert {qualname: {name for name in names if not name.startswith('__')}
            for qualname, names in bindings.classes.items()} == {
        'A': {'Y', 'B', 'W'}, 'A.B': {'Z'}}
    star = Bindings(compile('from os import *\nX = 1\n', 'mod.py', 'exec'))
    assert star.names is None


def test_one_scan_per_code_object():
    code = compile(big_module(10), 'mod.py', 'exec')
    assert scan(code) is scan(code)
    other = compile(big_module(10), 'mod.py', 'exec')
    assert scan(other) is not scan(code)

