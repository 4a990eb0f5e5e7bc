"""Dependency order with deterministic cycle breaking.

Used twice: for the modules of a product (a module after the modules it
imports) and for products (a product before its dependents).
"""
import heapq


def dependency_order(depends_on, priority=None):
    """Order the keys of `depends_on` so each follows its dependencies.

    `depends_on` maps each node to the nodes it needs first; unknown
    nodes are ignored. Among nodes that are ready, and to break a cycle,
    the one first in `priority` (default: sorted order) goes first, so the
    same graph always gives the same answer. Returns ``(order, broken)``:
    `broken` lists the ``(node, dependency)`` edges a cycle made us ignore.
    """
    rank = {node: index for index, node in enumerate(
        priority if priority is not None else sorted(depends_on))}
    pending, dependents = {}, {node: [] for node in depends_on}
    for node, needs in depends_on.items():
        pending[node] = {n for n in needs if n in depends_on and n != node}
        for need in pending[node]:
            dependents[need].append(node)
    ready = [(rank[node], node) for node, needs in pending.items()
             if not needs]
    heapq.heapify(ready)
    order, broken, done = [], [], set()
    while len(order) < len(depends_on):
        if ready:
            node = heapq.heappop(ready)[1]
        else:  # only cycles are left: the first node in priority leads
            node = min((n for n in depends_on if n not in done), key=rank.get)
            broken += [(node, need)
                       for need in sorted(pending[node], key=rank.get)]
        done.add(node)
        order.append(node)
        for dependent in dependents[node]:
            pending[dependent].discard(node)
            if not pending[dependent] and dependent not in done:
                heapq.heappush(ready, (rank[dependent], dependent))
    return order, broken


def reachable(starts, successors):
    """Every node reachable from `starts` through `successors`, in
    breadth-first order, the starts first, each once."""
    order = list(dict.fromkeys(starts))
    seen = set(order)
    for node in order:  # grows while we walk it
        for nxt in successors(node):
            if nxt not in seen:
                seen.add(nxt)
                order.append(nxt)
    return order


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
