"""Compiling only the definitions an edit changed gives exactly the code
compiling the whole file gives, and is used where it can be."""
import importlib
import inspect
import sys

import pytest

from Products.RefreshManager.engine.plan import incremental
from Products.RefreshManager.engine.read import versions
from Products.RefreshManager.engine.read.bytecode import all_code
from Products.RefreshManager.engine.plan.incremental import compile_source

from ...packages import unique_name
from ...packages import write_files
from ..apply.test_engine import mode  # noqa: F401 (fixture)
from ..apply.test_engine import package  # noqa: F401 (fixture)
from ..apply.test_engine import refresh


SMALL = incremental._SMALL
# Where the fast path runs at all: 3.10 has no co_qualname nor positions.
fast_path = pytest.mark.skipif(
    not versions.POSITIONS, reason='compiles whole files on this Python')


@pytest.fixture(autouse=True)
def any_size(monkeypatch):
    """The sample module is smaller than files worth compiling in parts:
    here it is compiled in parts all the same."""
    monkeypatch.setattr(incremental, '_SMALL', 0)


def full(data, path='m.py'):
    return compile(data, path, 'exec', dont_inherit=True)


def recompiled(old, new, path='m.py'):
    """The code for `new` after `old`, and whether one definition at a
    time was compiled (not the whole file)."""
    incremental._LAST.pop(path, None)
    compile_source(old, path)
    fast = incremental._recompiled(incremental._LAST[path], new, path)
    code = compile_source(new, path)
    whole = full(new, path)
    assert code == whole
    # == compares neither the qualified names (3.11+) nor the file names
    assert [(getattr(c, 'co_qualname', None), c.co_filename)
            for c in all_code(code)] == [
        (getattr(c, 'co_qualname', None), c.co_filename)
        for c in all_code(whole)]
    return code, fast is not None


MODULE = b'''\
"""A module."""
import functools


def deco(function):
    return function


class Base:
    def hello(self, name='you'):
        return 'hello ' + name


class Child(Base):
    """A class."""
    LIMIT = 3

    @functools.lru_cache
    def cached(self, x):
        return x * 2

    def hello(self, name='you'):
        return super().hello(name) + '!'

    class Inner:
        def method(self):
            return 1


@deco
def decorated(a, b=2):
    def inner():
        return a + b
    return inner()


square = [i * i for i in range(3)]
'''


@fast_path
@pytest.mark.parametrize('old, new', [
    (b"return 'hello ' + name", b"return 'hi ' + name"),  # a method
    (b"super().hello(name) + '!'", b"super().hello(name) + '?'"),  # super
    (b'return x * 2', b'return x * 3'),  # decorated method
    (b'return a + b', b'return a - b'),  # a closure's body
    (b'def decorated(a, b=2)', b'def decorated(c, b=2)'),  # parameter name
    (b'return x * 2', b'y = x\n        return y * 2'),  # a line more
    (b"return 'hello ' + name", b"return ('hello '\n                + name)"),
    (b'return a + b\n', b''),  # a line less
    (b'    return inner()\n', b'    return inner()\n    print(1)\n'),  # at the end
    (b"        return 'hello ' + name\n",
     b"        name = name.upper()\n        return 'hello ' + name\n"
     b"        print(name)\n"),  # lines before and after
    (b"        return super().hello(name) + '!'\n",
     b"        print(name)\n\n        return super().hello(name) + '!'\n"),
])
def test_a_body_edit_compiles_one_definition(old, new):
    code, fast = recompiled(MODULE, MODULE.replace(old, new))
    assert fast


@pytest.mark.parametrize('old, new', [
    (b"name='you'):\n        return 'hello '",
     b"name='me'):\n        return 'hello '"),  # a default
    (b'@deco\n', b'@functools.wraps(deco)\n'),  # a decorator
    (b'LIMIT = 3', b'LIMIT = 4'),  # a class body
    (b'range(3)', b'range(4)'),  # the module body
    (b'return 1', b'return 2'),  # a method of a nested class
    (b'"""A module."""', b'"""A module!"""'),  # the docstring
    (b'return a + b', b'return a +'),  # a syntax error: the file tells
    (b'return x * 2', b'return x * 2\n    LIMIT = 4'),  # a class body line
    (b'return inner()', b'return inner()\nextra = 1'),  # a module line
    (b'return x * 2', b'return x * 3\n\n    def more(self):\n        pass'),
    (b'return 1', b'return (\n                1)'),  # a nested class
])
def test_other_edits_compile_the_whole_file(old, new):
    edited = MODULE.replace(old, new)
    assert edited != MODULE
    try:
        full(edited)
    except SyntaxError:
        incremental._LAST.pop('m.py', None)
        compile_source(MODULE, 'm.py')
        with pytest.raises(SyntaxError):
            compile_source(edited, 'm.py')
        return
    code, fast = recompiled(MODULE, edited)
    assert not fast


@fast_path
@pytest.mark.parametrize('first, second', [
    (b'return x * 5', b'return b'),
    (b'return x * 5\n        pass', b'return b'),
    (b'return x * 5', b'b = 2\n        return b'),
    (b'return x * 5\n        pass', b'return (\n            b)'),
])
def test_definitions_edited_at_once(first, second):
    """Lines added to some: what follows moves, each as far as the edits
    above it added up."""
    edited = MODULE.replace(b'return x * 2', first).replace(
        b'return a + b', second).replace(b"+ '!'", b"+ '?'\n")
    assert recompiled(MODULE, edited)[1]


def test_a_small_file_compiles_whole(monkeypatch):
    monkeypatch.setattr(incremental, '_SMALL', SMALL)
    assert len(MODULE) < SMALL
    code, fast = recompiled(MODULE, MODULE.replace(b'x * 2', b'x * 3'))
    assert not fast


def test_an_unchanged_file_gives_its_code_again():
    incremental._LAST.pop('m.py', None)
    code = compile_source(MODULE, 'm.py')
    assert compile_source(MODULE, 'm.py') is code


def test_other_encodings_compile_the_whole_file():
    source = b'# -*- coding: latin-1 -*-\ndef f():\n    return "\xe9"\n'
    code, fast = recompiled(source, source.replace(b'\xe9', b'\xe8'))
    assert not fast and '\xe8' in code.co_consts[0].co_consts
    utf8 = b'# -*- coding: utf-8 -*-\ndef f():\n    return 1\n'
    assert recompiled(utf8, utf8.replace(b'1', b'2'))[1] == \
        versions.POSITIONS


@fast_path
def test_future_flags_are_kept():
    source = (b'from __future__ import annotations\n\n\n'
              b'def f(x: Undefined) -> int:\n    return 1\n')
    code, fast = recompiled(source, source.replace(b'return 1', b'return 2'))
    assert fast


def _return_edits(data, edit):
    """Each line that is a whole ``return`` statement in a definition,
    edited (``return None``), or with a line put before it; or those
    lines three at a time, edited and with a line each."""
    lines = data.split(b'\n')
    returns = [index for index, line in enumerate(lines)
               if line.lstrip().startswith(b'return ') and line[:1] == b' ']
    groups = [returns[at:at + 3] for at in range(0, len(returns), 3)] \
        if edit == 'three' else [[index] for index in returns]
    for group in groups:
        edited = list(lines)
        for index in reversed(group):
            line = lines[index]
            indent = line[:len(line) - len(line.lstrip())]
            if edit != 'insert':
                edited[index] = indent + b'return None'
            if edit != 'replace':
                edited.insert(index, indent + b'pass')
        yield b'\n'.join(edited)


@fast_path
@pytest.mark.parametrize('edit', ['replace', 'insert', 'three'])
@pytest.mark.parametrize('module', [
    'OFS.SimpleItem', 'OFS.ObjectManager', 'ZPublisher.HTTPRequest',
    'Products.RefreshManager.engine.carry.merge',
    'OFS.Application'])
def test_the_same_code_as_the_whole_file_on_real_modules(module, edit):
    """The ``return`` lines of a real module edited in turn (made
    ``return None``, or with a line put before), or three at a time with
    both: the code is the whole file's every time, and only the changed
    definitions were compiled for most edits."""
    path = inspect.getfile(__import__(module, fromlist=['_']))
    with open(path, 'rb') as source:
        data = source.read()
    edits = fast = 0
    for edited in _return_edits(data, edit):
        try:
            full(edited, path)
        except SyntaxError:
            continue
        edits += 1
        fast += recompiled(data, edited, path)[1]
    assert edits >= 4 and fast >= edits * 0.8, (edits, fast)


def test_a_refresh_runs_the_rebuilt_code(mode, package):
    """Through the engine: a line added to the first function moves the
    one below it, and what it raises names its new line; in place, the
    other function keeps its identity."""
    name, folder = package
    source = ('def first():\n    return 1\n\n\n'
              'def second():\n    raise ValueError("second")\n')
    write_files(folder.parent, {f'{name}/__init__.py': '',
                                f'{name}/mod.py': source})
    second = importlib.import_module(f'{name}.mod').second
    refresh(mode, [name])  # the engine reads the file once
    path = folder / 'mod.py'
    path.write_text(source.replace('return 1', 'x = 2\n    return x'))
    fast = incremental._recompiled(incremental._LAST[str(path)],
                                   path.read_bytes(), str(path))
    assert (fast is not None) == versions.POSITIONS
    refresh(mode, [name])
    module = sys.modules[f'{name}.mod']
    assert module.first() == 2
    with pytest.raises(ValueError) as raised:
        module.second()
    assert raised.traceback[-1].lineno + 1 == 7  # pytest counts from 0
    assert (module.second is second) == (mode == 'in place')


@fast_path
def test_random_edits_give_the_whole_files_code():
    """200 seeded random edits of real modules (a line deleted, doubled,
    or a digit changed, anywhere; lines put in), each compared with the
    whole file's code: whatever the path taken, the same code."""
    import random
    choice = random.Random(11)
    modules = ['OFS.ObjectManager', 'ZPublisher.HTTPRequest',
               'Products.RefreshManager.engine.carry.merge']
    compared = fast = 0
    for _ in range(200):
        path = inspect.getfile(__import__(choice.choice(modules),
                                          fromlist=['_']))
        with open(path, 'rb') as source:
            lines = source.read().split(b'\n')
        for _ in range(choice.randint(1, 3)):
            at = choice.randrange(len(lines))
            line = lines[at]
            kind = choice.choice(('delete', 'double', 'digit', 'pass'))
            if kind == 'delete':
                del lines[at]
            elif kind == 'double':
                lines.insert(at, line)
            elif kind == 'digit':
                lines[at] = line.replace(b'1', b'2', 1) + b'  # edited'
            else:
                indent = line[:len(line) - len(line.lstrip())]
                lines.insert(at, indent + b'pass')
        edited = b'\n'.join(lines)
        try:
            full(edited, path)
        except SyntaxError:
            continue
        with open(path, 'rb') as source:
            compared += 1
            fast += recompiled(source.read(), edited, path)[1]
    assert compared >= 50 and fast >= 10, (compared, fast)
