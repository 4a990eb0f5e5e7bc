"""Whether this Zope process takes part in cluster refreshes, and its
membership while it does.

A process takes part once Zope is ready to serve (``IProcessStarting``,
which scripts such as ``zconsole`` never reach) when ``<product-config
refreshmanager>`` says ``cluster on``, or ``auto`` (the default) and its
database can be shared with other processes: a FileStorage,
MappingStorage or DemoStorage is open in one process only, so there is
no one to refresh with, and nothing is written.

Holds the process's member and thread, so it opts out of refreshes.
"""
import atexit
import logging
import os
import socket

from ZODB.DemoStorage import DemoStorage
from ZODB.FileStorage import FileStorage
from ZODB.MappingStorage import MappingStorage

from ..config import SECTION
from ..config import zope_cluster_config
from .background import ClusterThread
from .member import Member
from .member import own_connection


__refresh_module__ = False

logger = logging.getLogger('Products.RefreshManager')

SINGLE_PROCESS = (FileStorage, MappingStorage, DemoStorage)

member = None  # this process's Member while it takes part
thread = None
reason = 'Zope has not started serving requests'  # why (not) taking part


def decide(config, storage):
    """(take part, why) for the cluster setting and the main storage."""
    kind = type(storage).__name__
    if config.mode == 'off':
        return False, f'<product-config {SECTION}> says cluster off'
    if config.mode == 'on':
        return True, f'<product-config {SECTION}> says cluster on'
    if isinstance(storage, SINGLE_PROCESS):
        return False, (f'the database is a {kind}, which no other Zope '
                       f'process can open')
    return True, f'the database ({kind}) can be shared by Zope processes'


def start(db, config):
    """Adopt the current generation, report in, start the thread."""
    global member, thread, reason
    stop()
    take_part, reason = decide(config, db.storage)
    if not take_part:
        return None
    joining = Member(db, socket.gethostname(), os.getpid(), config.heartbeat)
    with own_connection(db) as (root, _manager):
        adopted = joining.adopt(root)
    member = joining
    member.report(adopted)
    thread = ClusterThread(member, config.check_interval)
    thread.start()
    logger.info('cluster refreshes: %s takes part (%s), at generation %d',
                member.name, reason, member.seen)
    return member


def stop():
    global member, thread
    if thread is not None:
        thread.stop()
    member = thread = None


def process_starting(event):
    import Zope2
    start(Zope2.DB, zope_cluster_config())


atexit.register(stop)
