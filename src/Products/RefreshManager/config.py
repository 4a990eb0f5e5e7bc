"""The settings of ``<product-config refreshmanager>``: where auto-refresh
runs, the refresh time limit, the cluster, live reload and restarts.

::

    <product-config refreshmanager>
      # debug-mode (the default): only when Zope runs in debug mode, as in
      # Zope 2; always: in production mode too; never: not at all.
      auto-refresh debug-mode
      # events (the default): operating system file events; poll: compare
      # file fingerprints in the background every poll-interval seconds.
      watcher events
      poll-interval 1.0
      # seconds a refresh (manual or automatic) may run, or wait for
      # another, before it is stopped and rolled back
      refresh-timeout 30
      # Several Zope processes on one database (ZEO, RelStorage): auto (the
      # default) takes part unless the storage is one only this process
      # can open (FileStorage, MappingStorage); on; off.
      cluster auto
      # seconds between an idle process's checks for cluster refreshes
      cluster-check-interval 0.5
      # seconds between a process's reports that it is alive
      cluster-heartbeat 60
      # In debug mode, open HTML pages reload themselves after a refresh
      # (for users who may refresh): on (the default) or off; the events
      # come from a listener of their own, on this address (port 0: any
      # free port; 0.0.0.0:PORT where the browser is on another host)
      live-reload on
      live-reload-listen 127.0.0.1:0
      # In debug mode, when an auto-refresh ends needing a restart (see
      # the Restart Zope button): off (the default) or on, restart then
      auto-restart off
    </product-config>
"""
from dataclasses import dataclass


SECTION = 'refreshmanager'
AUTO_REFRESH = ('debug-mode', 'always', 'never')
WATCHERS = ('events', 'poll')
DEFAULT_REFRESH_TIMEOUT = '30'
CLUSTER = ('auto', 'on', 'off')
ON_OFF = ('on', 'off')


@dataclass(frozen=True)
class AutoRefreshConfig:
    active: bool
    reason: str  # why it is active or not, for the Refresh tab
    watcher: str
    poll_interval: float
    refresh_timeout: float = float(DEFAULT_REFRESH_TIMEOUT)


@dataclass(frozen=True)
class ClusterConfig:
    mode: str  # auto, on or off
    check_interval: float
    heartbeat: float


@dataclass(frozen=True)
class LiveConfig:
    active: bool  # whether pages reload themselves after a refresh
    reason: str  # why, or why not, for the Refresh tab
    host: str
    port: int
    auto_restart: bool


def _choice(settings, key, choices):
    value = settings.get(key, choices[0]).strip().lower()
    if value not in choices:
        raise ValueError(
            f'<product-config {SECTION}>: {key} must be one of '
            f'{", ".join(choices)}, not {value!r}')
    return value


def _seconds(settings, key, default):
    try:
        value = float(settings.get(key, default))
    except ValueError:
        value = 0
    if not value > 0:
        raise ValueError(f'<product-config {SECTION}>: {key} must be a '
                         f'positive number of seconds, not '
                         f'{settings[key]!r}')
    return value


def refresh_timeout(settings):
    return _seconds(settings, 'refresh-timeout', DEFAULT_REFRESH_TIMEOUT)


def auto_refresh_config(debug_mode, settings):
    """Decide from Zope's debug mode and the product-config mapping.

    Raises ValueError naming the bad key, so a typo in zope.conf stops
    Zope at start instead of silently turning auto-refresh off.
    """
    when = _choice(settings, 'auto-refresh', AUTO_REFRESH)
    watcher = _choice(settings, 'watcher', WATCHERS)
    interval = _seconds(settings, 'poll-interval', '1.0')
    timeout = refresh_timeout(settings)
    if when == 'never':
        active, reason = False, (
            f'<product-config {SECTION}> says auto-refresh never')
    elif when == 'always':
        active, reason = True, (
            f'<product-config {SECTION}> says auto-refresh always')
    elif debug_mode:
        active, reason = True, 'Zope runs in debug mode'
    else:
        active, reason = False, (
            f'Zope runs in production mode; add "auto-refresh always" to '
            f'<product-config {SECTION}> in zope.conf to turn it on')
    return AutoRefreshConfig(active, reason, watcher, interval, timeout)


def cluster_config(settings):
    """The cluster settings of the product-config mapping; ValueError
    naming the bad key, as for auto-refresh."""
    return ClusterConfig(
        mode=_choice(settings, 'cluster', CLUSTER),
        check_interval=_seconds(settings, 'cluster-check-interval', '0.5'),
        heartbeat=_seconds(settings, 'cluster-heartbeat', '60'))


def _address(settings, key, default):
    value = settings.get(key, default).strip()
    host, _, port = value.rpartition(':')
    if not host or not port.isdigit() or int(port) > 65535:
        raise ValueError(f'<product-config {SECTION}>: {key} must be '
                         f'HOST:PORT (port 0 for any free port), not '
                         f'{value!r}')
    return host.strip('[]'), int(port)


def live_config(debug_mode, settings):
    """Live reload and auto-restart: only ever in debug mode, where a
    developer works; ValueError naming the bad key, as for auto-refresh."""
    wanted = _choice(settings, 'live-reload', ON_OFF) == 'on'
    host, port = _address(settings, 'live-reload-listen', '127.0.0.1:0')
    auto_restart = _choice(settings, 'auto-restart', ('off', 'on')) == 'on'
    if not debug_mode:
        active, reason = False, 'Zope runs in production mode'
    elif not wanted:
        active, reason = False, (
            f'<product-config {SECTION}> says live-reload off')
    else:
        active, reason = True, 'Zope runs in debug mode'
    return LiveConfig(active, reason, host, port,
                      auto_restart and debug_mode)


def _zope_settings():
    from App.config import getConfiguration
    configuration = getConfiguration()
    sections = getattr(configuration, 'product_config', None) or {}
    return configuration, sections.get(SECTION, {})


def zope_auto_refresh_config():
    configuration, settings = _zope_settings()
    return auto_refresh_config(configuration.debug_mode, settings)


def zope_refresh_timeout():
    """Read each time, so a refresh before Zope finished starting (or in
    a script) gets the configured limit too."""
    return refresh_timeout(_zope_settings()[1])


def zope_cluster_config():
    return cluster_config(_zope_settings()[1])


def zope_live_config():
    configuration, settings = _zope_settings()
    return live_config(configuration.debug_mode, settings)
