"""Import-time monkey patches are detected and never applied twice."""
import importlib
import sys
import types

import pytest

from Products.RefreshManager.engine.plan import patches
from Products.RefreshManager.engine.read import versions
from Products.RefreshManager.engine.plan.patches import patch_reason
from Products.RefreshManager.engine.apply.refresh import refresh_packages

from ...corpus import loaded_modules
from ...packages import unique_name
from ...packages import write_files
from ..apply.test_engine import mode  # noqa: F401 (fixture)
from ..apply.test_engine import refresh


@pytest.fixture
def patched(tmp_path, monkeypatch):
    """A module `target` outside the package, and a package whose
    ``patches`` module wraps ``target.answer`` when imported, the way
    CMFPlone's gtbn patch re-points getToolByName."""
    monkeypatch.syspath_prepend(str(tmp_path))
    name = unique_name('patchpkg')
    target = unique_name('target')
    write_files(tmp_path, {
        f'{target}.py': 'def answer():\n    return "answer"\n',
        f'{name}/__init__.py': 'from . import patches\n',
        f'{name}/patches.py': f'''
            import {target}

            _original = {target}.answer


            def answer():
                return "patched v1 " + _original()


            {target}.answer = answer
        ''',
    })
    importlib.import_module(name)
    yield name, tmp_path / name, sys.modules[target]
    for module in [m for m in sys.modules
                   if m.split('.')[0] in (name, target)]:
        del sys.modules[module]


def edit(folder, old, new):
    path = folder / 'patches.py'
    path.write_text(path.read_text().replace(old, new))


def test_patch_module_is_not_run_again_but_gets_new_bodies(mode, patched):
    name, folder, target = patched
    assert target.answer() == 'patched v1 answer'
    edit(folder, 'patched v1', 'patched v2')
    [first] = refresh(mode, [name]).packages
    # Run again, the patch would wrap itself: "patched v2 patched v1".
    assert target.answer() == 'patched v2 answer'
    assert f'{name}.patches' not in first.reloaded
    [(module, why)] = first.patch_modules
    assert module == f'{name}.patches'
    assert why == (f'line 11 sets {target.__name__}.answer, '
                   'an object it imported')
    edit(folder, 'patched v2', 'patched v3')
    refresh(mode, [name])
    assert target.answer() == 'patched v3 answer'


def test_module_calling_a_patching_function_is_a_patch_module(
        tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    name = unique_name('callpatch')
    target = unique_name('target')
    write_files(tmp_path, {
        f'{target}.py': 'COUNT = 0\n',
        f'{name}/__init__.py': 'from . import apply\napply.patch()\n',
        f'{name}/apply.py': f'''
            def patch():
                import {target} as module
                module.COUNT += 1
        ''',
    })
    package = importlib.import_module(name)
    code = compile((tmp_path / name / '__init__.py').read_text(), 'x', 'exec')
    why = patch_reason(code, package, name)
    assert why == ('line 2 calls apply.patch(), which sets module.COUNT')
    refresh_packages([name])
    assert sys.modules[target].COUNT == 1


@pytest.mark.parametrize('source', [
    'import os\nPATH = os.path.join("a", "b")\n',
    'class K:\n    pass\n\n\nK.x = 1\n',  # its own class
    'import logging\nlogger = logging.getLogger(__name__)\nlogger.x = 1\n',
    'def f():\n    import os\n    os.environ["X"] = "1"\n',  # not called
])
def test_ordinary_modules_are_not_patch_modules(source, tmp_path):
    module = type(sys)('ordinary')
    assert patch_reason(compile(source, 'x', 'exec'), module, 'x') is None


@pytest.mark.parametrize('source, why', [
    ('import a.b\na.b.c = 1\n', 'line 2 sets a.b.c'),
    ('from m import f\nf.__code__ = None\n', 'line 2 sets f.__code__'),
    ('from m import f\nf.__globals__["x"] = 1\n', 'line 2 sets f.__globals__[…]'),
    ('try:\n    import m\nexcept ImportError:\n    pass\nelse:\n'
     '    m.K.method = len\n', 'line 6 sets m.K.method'),
])
def test_patches_are_read_from_bytecode(source, why):
    module = type(sys)('patching')
    assert patch_reason(compile(source, 'x', 'exec'), module, 'x') == (
        why + ', an object it imported')


def test_a_module_may_say_it_can_run_again(mode, tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    name = unique_name('rerun')
    target = unique_name('target')
    source = f'__refresh_run_again__ = True\nimport {target}\n{target}.VALUE = 1\n'
    write_files(tmp_path, {f'{target}.py': 'VALUE = 0\n',
                           f'{name}/__init__.py': source})
    importlib.import_module(name)
    (tmp_path / name / '__init__.py').write_text(
        source.replace('VALUE = 1', 'VALUE = 2'))
    [report] = refresh(mode, [name]).packages
    assert sys.modules[target].VALUE == 2
    assert report.patch_modules == () and report.reloaded == (name,)


def test_the_quick_search_never_misses_a_patch():
    """Decoding instructions is skipped where a search of the opcode
    bytes shows there is nothing to find: over every module loaded here,
    each one whose decoded instructions find a patch is one the search
    let through, and the search spares most modules."""
    import Products.Five.browser.metaconfigure  # noqa: F401 (a corpus)
    import Zope2.App.startup  # noqa: F401
    found = spared = total = 0
    for module, code in loaded_modules():
        package = module.__name__.rpartition('.')[0]
        if not package:
            continue
        total += 1
        namespace = vars(module)
        if patches._first_patch(code, namespace, package) is not None:
            found += 1
            assert patches._may_patch(code, namespace, package), module
        elif not patches._may_patch(code, namespace, package):
            spared += 1
    assert total > 300 and found >= 5, (total, found)
    assert spared > total / 2, (spared, total)


@pytest.fixture(params=['fast', 'general'])
def opcode_search(request, monkeypatch):
    """The quick search of opcode bytes (on the versions CI proves), or
    the general path every other version takes: decoding every module."""
    if request.param == 'general':
        monkeypatch.setattr(versions, 'RAW_OPCODES', False)
    return request.param


HELPERS = {
    # a helper given the target: hotfix-style code
    'argument': ('apply.patch({target})\n',
                 'def patch(module):\n    module.COUNT += 1\n'),
    'setattr on an argument': (
        'apply.patch({target})\n',
        'def patch(module):\n    setattr(module, "COUNT", module.COUNT + 1)\n'),
    # 3.13 loads ``local`` and ``module`` with one instruction
    'a local stored': ('apply.patch()\n',
                       'def patch():\n    import {target} as module\n'
                       '    local = module.COUNT + 1\n    module.COUNT = local\n'),
    'setattr in a loop': (
        'import {target}\nfor name in ["COUNT"]:\n'
        '    setattr({target}, name, getattr({target}, name) + 1)\n', ''),
}


@pytest.mark.parametrize('kind', sorted(HELPERS))
def test_patches_through_helpers_and_setattr_run_once(
        kind, opcode_search, mode, tmp_path, monkeypatch):
    """Refreshed (the first refresh runs every module it has not seen),
    the patch is not applied again: COUNT stays 1."""
    monkeypatch.syspath_prepend(str(tmp_path))
    name, target = unique_name('helperpatch'), unique_name('target')
    body, helper = HELPERS[kind]
    write_files(tmp_path, {
        f'{target}.py': 'COUNT = 0\n',
        f'{name}/__init__.py': f'import {target}\nfrom . import apply\n'
                               + body.format(target=target),
        f'{name}/apply.py': helper.format(target=target),
    })
    package = importlib.import_module(name)
    assert sys.modules[target].COUNT == 1
    code = compile((tmp_path / name / '__init__.py').read_text(), 'x', 'exec')
    assert patch_reason(code, package, name) is not None
    refresh(mode, [name])
    assert sys.modules[target].COUNT == 1


def test_a_helper_given_the_modules_own_class_is_no_patch(opcode_search):
    """A decorator or helper of the package that sets attributes of a
    class the module defines patches nothing outside."""
    helper = types.ModuleType('helperpkg.deco')
    exec('def register(cls):\n    cls.registered = True\n    return cls\n',
         vars(helper))
    helper.register.__module__ = 'helperpkg.deco'
    module = types.ModuleType('helperpkg.mod')
    module.register = helper.register
    source = ('from helperpkg.deco import register\n\n\n@register\n'
              'class K:\n    pass\n\n\nregister(K)\n')
    assert patch_reason(compile(source, 'x', 'exec'), module,
                        'helperpkg') is None


def test_read_instructions_name_no_combined_forms():
    """Over every module loaded here: `plain` splits or renames each
    combined or borrowing instruction of the running version (a new one
    in a later version fails here)."""
    from Products.RefreshManager.engine.read.bytecode import all_code
    from Products.RefreshManager.engine.read.instructions import plain
    names = set()
    for _module, code in loaded_modules():
        for nested in all_code(code):
            names.update(op.name for op in plain(nested))
    combined = {name for name in names if 'BORROW' in name
                or name.count('LOAD_') + name.count('STORE_') > 1}
    assert not combined and 'LOAD_FAST' in names and 'STORE_ATTR' in names


def test_a_module_saving_an_original_patched_elsewhere_runs_once(
        mode, tmp_path, monkeypatch):
    """As plone.z3cform's ``patch`` module: it saves
    ``_original = GroupForm.update`` at its top level, and the patch is
    applied from elsewhere (here the package's ``__init__``). Run again,
    it would save its own patch as the original, which then calls
    itself: it is a patch module."""
    monkeypatch.syspath_prepend(str(tmp_path))
    name, target = unique_name('savedoriginal'), unique_name('target')
    write_files(tmp_path, {
        f'{target}.py': 'class Form:\n    def update(self):\n'
                        '        return "update"\n',
        f'{name}/__init__.py': f'from {target} import Form\n'
                               'from .patch import update\n'
                               'Form.update = update\n',
        f'{name}/patch.py': f'from {target} import Form\n\n'
                            '_original = Form.update\n\n\n'
                            'def update(self):\n'
                            '    return "patched v1 " + _original(self)\n',
    })
    importlib.import_module(name)
    form = sys.modules[target].Form()
    assert form.update() == 'patched v1 update'
    path = tmp_path / name / 'patch.py'
    path.write_text(path.read_text().replace('v1', 'v2'))
    [report] = refresh(mode, [name]).packages
    assert form.update() == 'patched v2 update'
    reasons = dict(report.patch_modules)
    assert reasons[f'{name}.patch'] == (
        f'_original holds the original {target}.Form.update, which this '
        "module's update replaced")
