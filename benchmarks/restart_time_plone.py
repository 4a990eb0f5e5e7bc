"""``restart_time.py --plone``, under a name of its own so that
``record.py`` keeps its output beside the bare Zope's.

    var/plone-py311/bin/python benchmarks/record.py restart_time_plone [rounds]
"""
import sys

from restart_time import main


if __name__ == '__main__':
    main(['--plone', *sys.argv[1:]])
