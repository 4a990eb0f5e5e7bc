"""Which CPython versions the fast paths were proven on.

Some steps read or write one version's internals for speed: the raw
opcode bytes and their arguments (the import and patch scans), the
locations table and ``co_qualname`` (compiling only the definitions an
edit changed). Each such step runs only on the versions CI runs the
whole suite on; on any other (3.15 the day it ships) the engine takes
its general path: `dis` and whole-file compiles, slower and right.

Read the flags as attributes of this module at call time (``versions.
RAW_OPCODES``), so a test can switch a fast path off and prove the
general one.
"""
import sys


_RUNNING = sys.version_info[:2]
# Opcode bytes read directly, with EXTENDED_ARG prefixes and inline caches.
RAW_OPCODES = (3, 10) <= _RUNNING <= (3, 14)
# co_positions, co_linetable's 3.11 format, co_qualname; 3.13's and
# 3.14's class-body constants (``__firstlineno__``).
POSITIONS = (3, 11) <= _RUNNING <= (3, 14)
