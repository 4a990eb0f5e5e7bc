"""Where a refresh spends its time: exclusive times of named steps.

`Stopwatch.wrap(owner, attribute, step)` replaces a function (or class)
of an engine module with one that times each call; time spent in another
wrapped step inside it counts for that step only, so the steps add up to
the whole. Timing costs about a microsecond per wrapped call: a
breakdown is measured in rounds of its own, never in the rounds whose
totals a benchmark compares.
"""
import gc
import time


def fresh_heap():
    """Collect the garbage first: a call timed next pays for the
    collections its own allocations cause (young ones: a full collection
    waits until a quarter of the heap is new), not for another tool's
    garbage. (``gc.freeze`` would hide objects from
    ``gc.get_referrers``, which jurigged needs.)"""
    gc.collect()


class Stopwatch:

    def __init__(self):
        self.seconds = {}
        self._stack = []  # [step, time spent in wrapped steps inside it]
        self._undo = []

    def wrap(self, owner, attribute, step):
        original = getattr(owner, attribute)
        stack, seconds = self._stack, self.seconds

        def timed(*args, **kwargs):
            frame = [step, 0.0]
            stack.append(frame)
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                stack.pop()
                seconds[step] = seconds.get(step, 0.0) + elapsed - frame[1]
                if stack:
                    stack[-1][1] += elapsed

        setattr(owner, attribute, timed)
        self._undo.append((owner, attribute, original))

    def restore(self):
        while self._undo:
            owner, attribute, original = self._undo.pop()
            setattr(owner, attribute, original)

    def reset(self):
        self.seconds.clear()
