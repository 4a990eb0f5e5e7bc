"""The gate between requests (shared side) and a refresh's apply
(exclusive side), with real threads; every wait is bounded."""
import threading
import time

import pytest

from Products.RefreshManager.engine.stage.gate import Gate
from Products.RefreshManager.engine.stage.gate import GateTimeout


WAIT = 10  # seconds: a bound that is only reached when a test fails


class Worker:
    """A thread that runs the steps it is given, one at a time, and says
    when each is done."""

    def __init__(self):
        self.steps, self.done, self.started = [], [], 0
        self.ready = threading.Condition()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while True:
            with self.ready:
                self.ready.wait_for(lambda: self.steps)
                step = self.steps.pop(0)
            if step is None:
                return
            try:
                result = step()
            except Exception as error:
                result = error
            with self.ready:
                self.done.append(result)
                self.ready.notify_all()

    def start(self, step):
        with self.ready:
            self.steps.append(step)
            self.started += 1
            self.ready.notify_all()

    def finished(self, timeout=WAIT):
        """Whether every step started is done within `timeout` seconds."""
        with self.ready:
            return self.ready.wait_for(
                lambda: len(self.done) == self.started, timeout)

    def run(self, step):
        self.start(step)
        assert self.finished()
        return self.done[-1]

    def stop(self):
        self.start(None)
        self.thread.join(WAIT)


@pytest.fixture
def workers():
    made = []

    def make():
        made.append(Worker())
        return made[-1]

    yield make
    for worker in made:
        worker.stop()


def test_requests_share_and_a_refresh_waits_for_them(workers):
    gate = Gate()
    first, second, refresher = workers(), workers(), workers()
    assert first.run(gate.enter) and second.run(gate.enter)
    refresher.start(gate.acquire)
    assert not refresher.finished(0.2)  # two requests are running
    first.run(gate.leave)
    assert not refresher.finished(0.2)
    second.run(gate.leave)
    assert refresher.finished()
    refresher.run(gate.release)


def test_a_waiting_refresh_goes_before_new_requests(workers):
    gate = Gate()
    running, arriving, refresher = workers(), workers(), workers()
    running.run(gate.enter)
    refresher.start(gate.acquire)
    assert not refresher.finished(0.2)
    arriving.start(gate.enter)
    assert not arriving.finished(0.2)  # waits behind the refresh
    running.run(gate.leave)
    assert refresher.finished() and not arriving.finished(0.2)
    refresher.run(gate.release)
    assert arriving.finished()
    arriving.run(gate.leave)


def test_the_request_asking_for_a_refresh_does_not_wait_for_itself(workers):
    gate = Gate()
    request = workers()
    request.run(gate.enter)
    request.run(gate.enter)  # re-entrant
    request.run(gate.acquire)
    request.run(gate.acquire)  # re-entrant too
    assert request.run(gate.enter)  # a connection opened while applying
    for step in (gate.leave, gate.release, gate.release, gate.leave,
                 gate.leave):
        request.run(step)
    other = workers()
    other.run(gate.acquire)  # nothing is held any more
    other.run(gate.release)


def test_two_requests_asking_for_refreshes_take_turns(workers):
    gate = Gate()
    first, second = workers(), workers()
    first.run(gate.enter)
    second.run(gate.enter)
    first.start(gate.acquire)
    second.start(gate.acquire)
    # Each waits for the exclusive side without running code: the one
    # that gets it first does not wait for the other's shared hold.
    deadline = time.monotonic() + WAIT
    while not (first.finished(0.05) or second.finished(0.05)):
        assert time.monotonic() < deadline
    winner, loser = ((first, second) if first.finished(0)
                     else (second, first))
    assert not loser.finished(0.2)
    winner.run(gate.release)
    # The winner's request goes on, on the new code; the other refresh
    # applies once that request is over.
    assert not loser.finished(0.2)
    winner.run(gate.leave)
    assert loser.finished()
    loser.run(gate.release)


def test_a_parked_request_does_not_count_and_resumes_after_the_apply(
        workers):
    gate = Gate()
    request, refresher = workers(), workers()
    request.run(gate.enter)
    waiting, resumed = threading.Event(), threading.Event()

    def wait_for_the_refresh_lock():
        with gate.parked():
            waiting.wait(WAIT)
        resumed.set()

    request.start(wait_for_the_refresh_lock)
    refresher.run(gate.acquire)  # the parked request runs no code
    waiting.set()
    assert not resumed.wait(0.2)  # it goes on only after the apply
    refresher.run(gate.release)
    assert resumed.wait(WAIT)


def test_a_refresh_times_out_waiting_and_leaves_the_gate_usable(workers):
    gate = Gate()
    request, refresher, arriving = workers(), workers(), workers()
    request.run(gate.enter)
    error = refresher.run(lambda: gate.acquire(timeout=0.2))
    assert isinstance(error, GateTimeout)
    assert str(error) == '1 request was still running'
    assert arriving.run(lambda: gate.enter(timeout=0.2))  # not blocked
    request.run(gate.leave)
    arriving.run(gate.leave)
    refresher.run(lambda: gate.acquire(timeout=1))
    assert request.run(lambda: gate.enter(timeout=0.2)) is None
    refresher.run(gate.release)


def test_a_hold_left_by_an_ended_thread_does_not_count(workers):
    gate = Gate()
    leaked = threading.Thread(target=gate.enter)  # never closes
    leaked.start()
    leaked.join(WAIT)
    refresher = workers()
    refresher.run(lambda: gate.acquire(timeout=1))
    refresher.run(gate.release)


def test_a_hold_given_back_from_another_thread(workers):
    gate = Gate()
    request, closer, refresher = workers(), workers(), workers()
    ident = request.run(gate.enter)
    closer.run(lambda: gate.leave(ident))  # a connection closed elsewhere
    refresher.run(lambda: gate.acquire(timeout=1))
    refresher.run(gate.release)
