"""Zope's meta types (the ZMI's Add list) keep their order when a
product's are registered again."""


def in_their_places(before, after, ours):
    """`after` (the meta types once a product's were registered again at
    the end; `ours` tells them) with each of the product's meta types
    where it was `before`: the ZMI's Add list keeps its order (two
    entries of one name are listed in this order)."""
    new = {info['name']: info for info in after if ours(info)}
    others = iter([info for info in after if not ours(info)])
    placed = []
    for info in before:
        if not ours(info):
            following = next(others, None)
            if following is not None:
                placed.append(following)
        elif info['name'] in new:
            placed.append(new.pop(info['name']))
    return tuple(placed) + tuple(others) + tuple(new.values())
