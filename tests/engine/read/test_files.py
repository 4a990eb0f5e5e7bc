"""Which files count as a product's code, and fingerprints that see
every change."""
import os

import pytest

from Products.RefreshManager.engine.read.files import changed_paths
from Products.RefreshManager.engine.read.files import relevant
from Products.RefreshManager.engine.read.files import snapshot


@pytest.mark.parametrize('name, counts', [
    ('content.py', True),
    ('refresh.txt', True),
    ('REFRESH.TXT', True),
    ('__pycache__/content.cpython-311.pyc', False),
    ('__pycache__/odd.py', False),
    ('content.pyc', False),
    ('content.py~', False),
    ('#content.py#', False),
    ('.#content.py', False),
    ('.content.py.swp', False),
    ('notes.txt', False),
    ('www/view.pt', False),
])
def test_relevant(name, counts):
    assert relevant(os.path.join('/site', 'Products', 'Demo', name)) is counts


def test_products_below_hidden_folders_still_count():
    assert relevant('/home/me/.venv/lib/Products/Demo/content.py')


def test_snapshot_sees_same_second_same_size_edits(tmp_path):
    (tmp_path / 'sub').mkdir()
    (tmp_path / '__pycache__').mkdir()
    (tmp_path / 'a.py').write_text('A = 1\n')
    (tmp_path / 'sub' / 'b.py').write_text('B = 1\n')
    (tmp_path / '__pycache__' / 'a.cpython-311.pyc').write_text('x')
    before = snapshot([str(tmp_path)])
    assert sorted(before) == [str(tmp_path / 'a.py'),
                              str(tmp_path / 'sub' / 'b.py')]
    mtime = before[str(tmp_path / 'a.py')][0]
    (tmp_path / 'a.py').write_text('A = 2\n')
    os.utime(tmp_path / 'a.py', ns=(mtime + 1, mtime + 1))
    (tmp_path / 'c.py').write_text('C = 1\n')
    (tmp_path / 'sub' / 'b.py').unlink()
    assert changed_paths(before, snapshot([str(tmp_path)])) == {
        str(tmp_path / 'a.py'), str(tmp_path / 'c.py'),
        str(tmp_path / 'sub' / 'b.py')}
