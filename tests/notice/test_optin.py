"""The opt-in scan, without Zope: it reports packages gaining or losing
their refresh.txt, starting from what its caller watches."""
import threading

from Products.RefreshManager.notice.optin import OptInScan

from ..packages import write_files


def test_a_package_gone_before_the_scan_started_is_reported(tmp_path):
    # The caller looked (and watches the folder) before the folder went:
    # the scan starts from that, so the loss is reported.
    folder = str(tmp_path / 'Gone')
    reported = []
    done = threading.Event()

    def on_change(gained, lost):
        reported.append((gained, lost))
        done.set()

    scan = OptInScan(lambda: [], on_change, 0.01, known={folder}).start()
    try:
        assert done.wait(5)
    finally:
        scan.stop()
    assert reported[0] == (frozenset(), frozenset({folder}))


def test_gained_and_lost(tmp_path):
    folder = tmp_path / 'Pkg'
    write_files(str(folder), {'__init__.py': ''})
    changes = []
    seen = threading.Event()

    def on_change(gained, lost):
        changes.append((set(gained), set(lost)))
        seen.set()

    scan = OptInScan(lambda: [str(folder)], on_change, 0.01).start()
    try:
        write_files(str(folder), {'refresh.txt': ''})
        assert seen.wait(5)
        seen.clear()
        (folder / 'refresh.txt').unlink()
        assert seen.wait(5)
    finally:
        scan.stop()
    assert changes == [({str(folder)}, set()), (set(), {str(folder)})]


def test_a_change_whose_handling_failed_is_reported_again(tmp_path):
    folder = tmp_path / 'Pkg'
    write_files(str(folder), {'__init__.py': '', 'refresh.txt': ''})
    calls = []
    handled = threading.Event()

    def on_change(gained, lost):
        calls.append((set(gained), set(lost)))
        if len(calls) == 1:
            raise OSError('the watcher could not start')
        handled.set()

    scan = OptInScan(lambda: [str(folder)], on_change, 0.01,
                     known=set()).start()
    try:
        assert handled.wait(5)
    finally:
        scan.stop()
    assert calls[:2] == [({str(folder)}, set())] * 2
    assert scan.known == {str(folder)}
