"""Every request holds the shared side of the refresh gate while its
database connection is open.

So a request runs entirely on the code before a refresh or entirely on
the code after it: a refresh applies its staged code only while no
request runs (see ``engine/stage/gate.py``). The hold is taken when the
publisher (or ``Zope2.app()``) opens the connection, before anything is
traversed, and given back when the connection closes, after the answer
is made. A request that asks for a refresh keeps its own hold: the gate
does not count it.
"""
import logging
from functools import partial

from .engine.stage.gate import GATE


__refresh_module__ = False

logger = logging.getLogger('Products.RefreshManager')


def open_under_gate(opener, connection=None, patience=None):
    """The application `opener` opens, with a shared hold of the gate
    that ends when its connection closes. A refresh still applying after
    `patience` seconds (stuck in C code) is not waited for any longer."""
    ident = GATE.enter(patience)
    if ident is None:
        logger.warning('a request went on without waiting for a refresh '
                       'still applying after %g s', patience)
        return opener(connection)
    try:
        app = opener(connection)
        app._p_jar.onCloseCallback(partial(GATE.leave, ident))
    except BaseException:
        GATE.leave(ident)
        raise
    return app
