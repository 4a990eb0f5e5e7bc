"""The modules a module imports while it executes.

Only statements that run when the module body runs impose a load order:
imports at module level and in class bodies, under ``if`` and ``try``
too. Imports inside functions run later; counting them would only invent
cycles.
"""
import ast


_DEFERRED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def executed_imports(tree):
    """Yield the import statements that run when the module body runs."""
    pending = list(ast.iter_child_nodes(tree))
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif not isinstance(node, _DEFERRED):
            pending.extend(ast.iter_child_nodes(node))


def absolute_target(node, name, is_package):
    """The module an ``ImportFrom`` names, with relative levels resolved."""
    if not node.level:
        return node.module
    base = name if is_package else name.rpartition('.')[0]
    for _ in range(node.level - 1):
        base = base.rpartition('.')[0]
    return f'{base}.{node.module}' if node.module else base


def _innermost(dotted, candidates):
    """The longest prefix of `dotted` among `candidates`, or None."""
    while dotted:
        if dotted in candidates:
            return dotted
        dotted = dotted.rpartition('.')[0]
    return None


def dependencies(tree, name, is_package, candidates):
    """The members of `candidates` that the module `name` imports.

    ``from p import m`` depends on the submodule ``p.m`` when that is a
    candidate, else on ``p`` itself.
    """
    found = set()
    for node in executed_imports(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = absolute_target(node, name, is_package)
            targets = [f'{base}.{alias.name}' for alias in node.names]
        for target in targets:
            found.add(_innermost(target, candidates))
    found.discard(None)
    found.discard(name)
    return found
