"""A click on Refresh, for every process or for this one.

``scope=cluster`` records a request in the click's own transaction, so
it exists for the other processes exactly when the click commits; this
process refreshes at once, as for ``scope=process``, and reports its own
result once the click committed. The default is ``cluster`` when another
process reports in, ``process`` otherwise.
"""
from AccessControl import getSecurityManager

from . import process
from .status import live_processes


SCOPES = ('cluster', 'process')


def choose_scope(root, scope):
    """(scope, None) for the request's `scope` field, or (None, why it
    is refused)."""
    if not scope:
        return ('cluster' if process.member is not None
                and live_processes(root) > 1 else 'process'), None
    if scope not in SCOPES:
        return None, (f'Unknown scope {scope!r}: choose cluster (every Zope '
                      f'process on this database) or process (this one). '
                      f'Nothing was changed.')
    if scope == 'cluster' and process.member is None:
        return None, (f'This Zope process takes no part in cluster '
                      f'refreshes: {process.reason}. Nothing was changed.')
    return scope, None


def ask_cluster(root, products, outcome):
    """Record one cluster refresh of `products` (a list), whose refresh
    here ended with `outcome`; the sentence for the answer."""
    member = process.member
    user = getSecurityManager().getUser().getUserName()
    member.applied_here(products, member.ask(root, products, user), outcome)
    them = 'it' if len(products) == 1 else 'them'
    others = live_processes(root) - 1
    if not others:
        return (f' Asked every Zope process on this database to refresh '
                f'{them}: no other one reports in now.')
    return (f' Asked all {others + 1} Zope processes on this database to '
            f'refresh {them}, this one and {others} other'
            + ('s' if others > 1 else '') + ': each refreshes when it next '
            'opens a database connection and reports on the Refresh tab.')


def this_process_only(root):
    """The sentence for a refresh of this process only, when others
    share the database."""
    if process.member is None:
        return ''
    others = live_processes(root) - 1
    if not others:
        return ''
    if others == 1:
        return (' Refreshed in this Zope process only: the other Zope '
                'process on this database keeps its code.')
    return (f' Refreshed in this Zope process only: the {others} other Zope '
            f'processes on this database keep their code.')
