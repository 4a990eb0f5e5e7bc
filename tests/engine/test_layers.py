"""The engine reads as its stages: each subpackage imports only those
before it (and the standard library), and nothing in the engine imports
Zope; the glue around it does not reach into the engine's stages from
below them."""
import ast
import os

import Products.RefreshManager.engine as engine


STAGES = ('read', 'record', 'plan', 'stage', 'carry', 'apply')
ENGINE = os.path.dirname(engine.__file__)


def _imports(path, package):
    """The absolute names `path` (a module of `package`) imports."""
    with open(path) as source:
        tree = ast.parse(source.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split('.')[:len(package.split('.'))
                                          - node.level + 1]
                yield '.'.join(base + ([node.module] if node.module else []))
            else:
                yield node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name


def test_each_stage_imports_only_the_stages_before_it():
    checked = 0
    for index, stage in enumerate(STAGES):
        folder = os.path.join(ENGINE, stage)
        package = f'{engine.__name__}.{stage}'
        for name in sorted(os.listdir(folder)):
            if not name.endswith('.py'):
                continue
            for imported in _imports(os.path.join(folder, name), package):
                checked += 1
                assert not imported.split('.')[0] in ('Zope2', 'OFS', 'App',
                                                      'ZPublisher'), name
                if not imported.startswith(engine.__name__ + '.'):
                    continue
                used = imported.split('.')[3]
                assert used in STAGES[:index + 1], (
                    f'{stage}/{name} imports {imported}: a later stage')
    assert checked > 100


def test_the_engine_has_no_loose_modules():
    """Every module of the engine is in one of its stages."""
    assert sorted(name for name in os.listdir(ENGINE)
                  if name.endswith('.py')) == ['__init__.py']
    assert sorted(name for name in os.listdir(ENGINE)
                  if os.path.isdir(os.path.join(ENGINE, name))
                  and name != '__pycache__') == sorted(STAGES)
