"""The process-wide refresh lock.

Refreshes swap entries of ``sys.modules``; two at once would interleave
their swaps and their rollbacks. The lock lives in a module of its own
that opts out of refreshing, so refreshing RefreshManager itself keeps
the lock every other thread is waiting on.
"""
import threading


__refresh_module__ = False

REFRESH_LOCK = threading.RLock()
