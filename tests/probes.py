"""Products whose pages say which version of each part of their code
answered, so an answer that mixes two versions of the code shows it.

A probe page answers ``probe:ans-v3:tag-v3:base-v3``: the first part is
a literal in the code of the method that answers, the second comes from
a function reading a module global, the third from a method of a base
class in another module. After a refresh to ``v4`` every part says v4;
an answer with two versions ran partly on the old code and partly on
the new.
"""
import os
import re
import textwrap


PROBE_INIT = '''
    from . import probe


    def initialize(context):
        context.registerClass(
            probe.Probe, constructors=(probe.manage_addProbe,))
'''

PROBE_BASE = '''
    from OFS.SimpleItem import SimpleItem

    BASE = 'base-{version}'


    class ProbeBase(SimpleItem):

        def base_tag(self):
            return BASE
'''

# The module sleeps while it loads, as one that builds a table or
# imports a heavy dependency would: in the middle, after its first new
# name is bound.
PROBE = '''
    import time

    from AccessControl.class_init import InitializeClass
    from AccessControl.SecurityInfo import ClassSecurityInfo

    from .base import ProbeBase

    VERSION = '{version}'
    time.sleep({sleep})


    def tag():
        return 'tag-' + VERSION


    class Probe(ProbeBase):
        meta_type = 'Probe of {name}'
        security = ClassSecurityInfo()

        def __init__(self, id):
            self.id = id

        @security.public
        def index_html(self, REQUEST=None):
            """Which version answers; it takes a moment, as real pages
            do, between reading its parts."""
            answer = 'probe:ans-{version}:'
            time.sleep(0.002)
            return answer + tag() + ':' + self.base_tag()


    InitializeClass(Probe)


    def manage_addProbe(self, id, REQUEST=None):
        """Add a probe."""
        self._setObject(id, Probe(id))
        return 'added'
'''

ANSWER = re.compile(r'probe:ans-([\w.]+):tag-([\w.]+):base-([\w.]+)')


def write_probe(products_folder, name, version, sleep=0.0, base=None):
    """Write the probe product `name` at `version` (its base class module
    at `base`, if given); only files whose text changes are written, each
    replaced in one rename, as editors save."""
    folder = os.path.join(products_folder, name)
    files = {'refresh.txt': '', '__init__.py': PROBE_INIT,
             'base.py': PROBE_BASE.replace('{version}', base or version),
             'probe.py': PROBE.replace('{version}', version)}
    for relative, source in files.items():
        source = textwrap.dedent(
            source.replace('{sleep}', repr(sleep)).replace('{name}', name))
        path = os.path.join(folder, relative)
        if os.path.exists(path):
            with open(path) as current:
                if current.read() == source:
                    continue
        os.makedirs(folder, exist_ok=True)
        with open(path + '.new', 'w') as out:
            out.write(source)
        os.replace(path + '.new', path)
    return folder


def versions(body):
    """The versions of the parts that answered, or None for an answer
    that is no probe's."""
    found = ANSWER.search(body)
    return None if found is None else found.groups()
