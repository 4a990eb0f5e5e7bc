"""Live reload in this process: the refresh generation, the event stream
that announces it, and the refresh a save sets off while pages follow.

A refresh that changed code or ZCML here (a click, auto-refresh, Refresh
all changed, a cluster refresh caught up on) counts one generation more,
and the stream tells every following browser. A save does not wait for
a request while a browser follows: auto-refresh runs at once, on a
thread of its own that opens the database as a request would (so the
same gate, lock and rollback apply), and the page reloads when it is
done: on the new code, or not at all when the refresh failed.
"""
import logging
import secrets
import threading

import transaction

from .channel import EventChannel


__refresh_module__ = False  # the generation and the stream outlive refreshes

logger = logging.getLogger('Products.RefreshManager')

config = None  # the LiveConfig of this process, once Zope started
channel = None
generation = 0
_saved = threading.Event()
_kicker = None


def start(live_config):
    """Open the stream if `live_config` asks for it."""
    global config, channel, _kicker
    config = live_config
    if not live_config.active or channel is not None:
        return
    try:
        channel = EventChannel(live_config.host, live_config.port,
                               secrets.token_urlsafe(16)).start()
    except OSError as error:
        logger.error('live reload is off: cannot listen on %s:%d (%s); set '
                     'live-reload-listen in <product-config refreshmanager>',
                     live_config.host, live_config.port, error)
        return
    _kicker = threading.Thread(target=_refresh_saves, daemon=True,
                               name='RefreshManager live refresh')
    _kicker.start()
    logger.info('live reload: open pages of users who may refresh reload '
                'themselves after a refresh; events on %s:%d',
                *channel.address)


def stop():
    global channel
    if channel is not None:
        channel.stop()
        channel = None
        _saved.set()  # the refreshing thread sees the stream is gone


def refreshed(event):
    """Subscriber of `IProductRefreshedEvent`: count a refresh that
    changed what runs, and tell the browsers."""
    global generation
    if event.error is not None or not (event.modules or event.zcml):
        return
    generation += 1
    if channel is not None:
        channel.publish(generation)


def saved():
    """The watcher marked products changed: refresh them now if a
    browser follows, rather than in the next request."""
    if channel is not None and channel.listeners():
        _saved.set()


def _refresh_saves():
    while True:
        _saved.wait()
        _saved.clear()
        if channel is None:
            return
        try:
            _open_database()
        except Exception:
            logger.exception('live reload: the refresh after a save failed')


def _open_database():
    """Open and close the database as a request would: the opener runs
    auto-refresh (see `autorefresh`)."""
    import Zope2
    app = Zope2.app()
    try:
        transaction.commit()
    finally:
        transaction.abort()
        app._p_jar.close()
