"""Enums: the class keeps its identity and so do its members.

An enum keeps its members in its own namespace and in the tables
``_member_map_``, ``_member_names_``, ``_value2member_map_`` and a few
more, and its metaclass refuses to reassign or delete members. So members
and these tables are set past the metaclass. A member whose name stays
keeps its identity and takes the new value and attributes; a member of an
``int`` or ``str`` enum (``IntEnum``, ``StrEnum``, ``IntFlag``) *is* its
value, so one whose value changed is the new member, moved to the old
class. Held members that were removed keep working, outside the tables.
"""
import enum
import inspect
from types import FunctionType


def is_enum(cls):
    return isinstance(cls, enum.EnumMeta)


def managed(cls, key):
    """Whether `key` of the enum `cls` is a member or one of its tables
    (``_sunder_`` data), set here rather than carried over like methods
    (``_missing_`` and the like are)."""
    if key in cls._member_map_:
        return True
    sunder = len(key) > 2 and key[0] == key[-1] == '_' and key[1] != '_'
    return sunder and not isinstance(
        vars(cls).get(key), (FunctionType, classmethod, staticmethod))


def _keeps_identity(cls, old, new):
    return cls._member_type_ is object or old._value_ == new._value_


def merge_members(updater, old_cls, new_cls):
    """Carry the members and tables of `new_cls` into `old_cls`."""
    journal = updater.journal
    chosen = {}  # id(new member) -> the member to use
    for name, member in new_cls._member_map_.items():
        if id(member) in chosen:
            continue  # an alias
        kept = old_cls._member_map_.get(name)
        if kept is not None and _keeps_identity(old_cls, kept, member):
            for key, value in vars(member).items():
                if key not in ('__objclass__', '_inverted_') and (
                        vars(kept).get(key) is not value):
                    journal.setattr(kept, key, value)
        else:
            kept = member
            journal.assign(member, '__class__', old_cls)
            if '__objclass__' in vars(member):
                journal.setattr(member, '__objclass__', old_cls)
        chosen[id(member)] = kept
        updater.stands_for(member, kept)
    old_attrs, new_attrs = vars(old_cls), vars(new_cls)
    for key, value in new_attrs.items():
        if managed(new_cls, key):
            value = _translate(value, chosen)
            if old_attrs.get(key) is not value:
                journal.set_class_attr(old_cls, key, value)
    for key in [k for k in old_attrs if k not in new_attrs]:
        if managed(old_cls, key):
            journal.del_class_attr(old_cls, key)


def _translate(value, chosen):
    """`value` with every new member replaced by the member chosen for it."""
    if id(value) in chosen:
        return chosen[id(value)]
    if type(value) is dict:
        return {k: _translate(v, chosen) for k, v in value.items()}
    if type(value) in (list, tuple):
        return type(value)(_translate(v, chosen) for v in value)
    # 3.12's redirect to a member; read without running foreign code
    member = inspect.getattr_static(value, 'member', None)
    if id(member) in chosen:
        value.member = chosen[id(member)]
    return value
