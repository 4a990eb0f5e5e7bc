"""Write real packages to disk for the tests to import, edit and refresh."""
import itertools
import os
import textwrap


_serial = itertools.count(1)


def unique_name(prefix):
    return f'{prefix}{next(_serial)}_{os.getpid()}'


def write_files(folder, files):
    """Write ``{relative path: source}`` below `folder`, dedented."""
    for relative, source in files.items():
        path = os.path.join(folder, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as out:
            out.write(textwrap.dedent(source))


def remove_file(folder, relative):
    os.remove(os.path.join(folder, relative))
