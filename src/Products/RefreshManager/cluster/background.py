"""An idle process applies cluster refreshes too, and says it is alive.

Requests notice a newer generation when they open their connection; a
process that gets no requests would never look. This thread opens a
connection every ``cluster-check-interval`` seconds (0.5 by default),
makes the same check and catches up the same way, and every
``cluster-heartbeat`` seconds writes the process's report, so the others
can tell a live process from one that stopped.
"""
import logging
import threading
import time

from .member import own_connection


logger = logging.getLogger('Products.RefreshManager')


class ClusterThread(threading.Thread):

    def __init__(self, member, check_interval):
        super().__init__(name='RefreshManager cluster', daemon=True)
        self.member = member
        self.check_interval = check_interval
        self._stopping = threading.Event()

    def run(self):
        failing = False
        next_report = time.monotonic() + self.member.heartbeat
        while not self._stopping.wait(self.check_interval):
            try:
                self.check()
            except Exception:
                if not failing:  # once, not every half second
                    logger.exception('cluster check failed; trying again '
                                     'every %g s', self.check_interval)
                failing = True
            else:
                if failing:
                    logger.info('cluster check works again')
                failing = False
            if time.monotonic() >= next_report:
                self.member.report()
                next_report = time.monotonic() + self.member.heartbeat

    def check(self):
        with own_connection(self.member.db) as (root, _manager):
            if self.member.behind(root):
                self.member.catch_up(root['Application'])

    def stop(self):
        self._stopping.set()
        if self.is_alive() and self is not threading.current_thread():
            self.join(10)
