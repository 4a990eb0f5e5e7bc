"""The refresh time limit, on the engine without Zope: a module that
never finishes is stopped, rolled back, and the process goes on."""
import importlib
import sys
import threading
import time

import pytest

from Products.RefreshManager.engine.stage.deadline import Deadline
from Products.RefreshManager.engine.stage.deadline import RefreshTimeout
from Products.RefreshManager.engine.stage.lock import RefreshBusy
from Products.RefreshManager.engine.stage.lock import refreshing
from Products.RefreshManager.engine.apply.refresh import RefreshError
from Products.RefreshManager.engine.apply.refresh import refresh_packages

from ..apply.test_engine import mode  # noqa: F401 (a fixture)
from ..apply.test_engine import package  # noqa: F401 (a fixture)
from ...packages import write_files


# One line: where a loop is stopped differs by version (3.14 names the
# body's last line, earlier versions the ``while``).
ENDLESS = '''
    VALUE = 2
    while True: pass
'''


def test_an_endless_module_is_stopped_and_rolled_back(mode, package):
    name, folder = package
    write_files(folder, {'__init__.py': 'from .loop import VALUE\n',
                         'loop.py': 'VALUE = 1\n\ndef value():\n'
                                    '    return VALUE\n'})
    module = importlib.import_module(f'{name}.loop')
    value = module.value
    write_files(folder, {'loop.py': ENDLESS})
    started = time.monotonic()
    with pytest.raises(RefreshError) as failed:
        refresh_packages([name], classic=[name] if mode == 'classic' else (),
                         timeout=0.3)
    assert time.monotonic() - started < 5
    assert isinstance(failed.value.error, RefreshTimeout)
    assert 'time limit of 0.3 s' in str(failed.value)
    assert 'while True' in failed.value.traceback  # where it was stopped
    assert sys.modules[f'{name}.loop'] is module
    assert module.VALUE == 1 and module.value is value and value() == 1
    # Nothing is raised later in this thread, and a fixed file refreshes.
    time.sleep(0.4)
    write_files(folder, {'loop.py': 'VALUE = 3\n\ndef value():\n'
                                    '    return VALUE\n'})
    refresh_packages([name], classic=[name] if mode == 'classic' else (),
                     timeout=5)
    assert sys.modules[f'{name}.loop'].VALUE == 3


def test_waiting_for_another_refresh_counts(package):
    """A refresh that finds another running waits no longer than it was
    told to, and says which one runs, since when; nothing changed."""
    name, folder = package
    write_files(folder, {'__init__.py': ''})
    importlib.import_module(name)
    taken, done = threading.Event(), threading.Event()

    def hold():
        with refreshing('the holder', None):
            taken.set()
            done.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert taken.wait(5)
        started = time.monotonic()
        with pytest.raises(RefreshError) as failed:
            refresh_packages([name], timeout=5, wait=0.2)
        assert 0.2 <= time.monotonic() - started < 5
        busy = failed.value.error
        assert isinstance(busy, RefreshBusy) and busy.running == 'the holder'
        assert 'another refresh is running: the holder, for 0.' in str(busy)
    finally:
        done.set()
        holder.join(10)


def test_a_block_that_ends_in_time_is_never_stopped_later():
    with Deadline(0.05) as deadline:
        pass
    time.sleep(0.2)  # an exception would be raised here
    assert not deadline.fired


def test_no_limit():
    with Deadline(None) as deadline:
        time.sleep(0.01)
    assert not deadline.fired
