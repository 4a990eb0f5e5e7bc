"""Carrying over, in place: the old functions, classes, enums, caches and
instances get the new definitions, so everything holding them runs the
new code; what cannot be carried is replaced, and reported."""
