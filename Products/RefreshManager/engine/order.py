"""Dependency order with deterministic cycle breaking.

Used twice: for the modules of a product (a module after the modules it
imports) and for products (a product before its dependents).
"""


def dependency_order(depends_on):
    """Order the keys of `depends_on` so each follows its dependencies.

    `depends_on` maps each node to the nodes it needs first; unknown
    nodes are ignored. Returns ``(order, broken)``: `broken` lists the
    ``(node, dependency)`` edges dropped to break cycles. Nodes and edges
    are visited in sorted order, so the same graph always gives the same
    answer.
    """
    order, broken = [], []
    state = {}  # node -> 'active' while on the stack, 'done' after
    for root in sorted(depends_on):
        if root in state:
            continue
        state[root] = 'active'
        stack = [(root, iter(sorted(depends_on[root])))]
        while stack:
            node, pending = stack[-1]
            for dep in pending:
                if dep not in depends_on:
                    continue
                if state.get(dep) == 'active':
                    broken.append((node, dep))
                elif dep not in state:
                    state[dep] = 'active'
                    stack.append((dep, iter(sorted(depends_on[dep]))))
                    break
            else:
                stack.pop()
                state[node] = 'done'
                order.append(node)
    return order, broken


def reachable(start, successors):
    """Every node reachable from `start` through `successors`, in
    breadth-first order, `start` included, each once."""
    seen = [start]
    for node in seen:
        for nxt in successors(node):
            if nxt not in seen:
                seen.append(nxt)
    return seen


def find_path(start, goal, successors):
    """A shortest path from `start` to `goal`, or None."""
    paths = {start: (start,)}
    queue = [start]
    for node in queue:
        for nxt in successors(node):
            if nxt in paths:
                continue
            paths[nxt] = paths[node] + (nxt,)
            if nxt == goal:
                return paths[nxt]
            queue.append(nxt)
    return None
