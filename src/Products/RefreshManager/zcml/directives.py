"""Where a ZCML action comes from: the top-level directive of a file
that produced it, named as the file writes it, for messages that point
at the user's own ZCML."""
import functools
import os
from xml.parsers import expat


GROUPING = {'configure'}
PREFIXES = {
    'http://namespaces.zope.org/zope': '',
    'http://namespaces.zope.org/browser': 'browser:',
    'http://namespaces.zope.org/five': 'five:',
    'http://namespaces.zope.org/genericsetup': 'genericsetup:',
    'http://namespaces.zope.org/i18n': 'i18n:',
    'http://namespaces.zope.org/meta': 'meta:',
    'http://namespaces.zope.org/z3c': 'z3c:',
    'http://namespaces.zope.org/cache': 'cache:',
    'http://namespaces.zope.org/cmf': 'cmf:',
    'http://namespaces.zope.org/mail': 'mail:',
    'http://namespaces.zope.org/tales': 'tales:',
    'http://namespaces.zope.org/zcml': 'zcml:',
    'http://namespaces.plone.org/plone': 'plone:',
    'http://namespaces.plone.org/monkey': 'monkey:',
}


class Directive:

    def __init__(self, namespace, name, path, line, column=0):
        self.namespace, self.name = namespace, name
        self.path, self.line = path, line
        self.start = self.end = (line, column)

    @property
    def kind(self):
        """The directive as ZCML files write it: ``z3c:widgetTemplate``."""
        return PREFIXES.get(self.namespace, self.namespace + ' ') + self.name

    def __str__(self):
        return f'{self.kind} ({self.path}, line {self.line})'

    def __eq__(self, other):
        return isinstance(other, Directive) and \
            (self.path, self.line) == (other.path, other.line)

    def __hash__(self):
        return hash((self.path, self.line))


def top_level(path):
    """The directives of the file at `path`, each with the lines it spans,
    but not those inside another directive (grouping ``configure``
    elements are looked into)."""
    found, opened = [], []  # opened: (name, its Directive if top-level)
    parser = expat.ParserCreate(namespace_separator=' ')

    def start(tag, _attributes):
        namespace, _, name = tag.rpartition(' ')
        directive = None
        if opened and name not in GROUPING and all(
                outer in GROUPING for outer, _d in opened):
            directive = Directive(namespace, name, path,
                                  parser.CurrentLineNumber,
                                  parser.CurrentColumnNumber)
            found.append(directive)
        opened.append((name, directive))

    def end(_tag):
        _name, directive = opened.pop()
        if directive is not None:
            directive.end = (parser.CurrentLineNumber,
                             parser.CurrentColumnNumber)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    with open(path, 'rb') as source:
        parser.ParseFile(source)
    return found


@functools.lru_cache(maxsize=256)
def _parsed(path, _version):
    try:
        return top_level(path)
    except (OSError, expat.ExpatError):
        return []


def directive_at(info):
    """The top-level directive whose element holds the place `info` (a
    ZCML action's), or one named after the place alone."""
    path, line = getattr(info, 'file', None), getattr(info, 'line', 0)
    place = (line, getattr(info, 'column', 0))
    try:
        stat = os.stat(path)
    except (OSError, TypeError, ValueError):
        return Directive('', 'directive', str(path), line)
    for directive in _parsed(path, (stat.st_mtime_ns, stat.st_size)):
        if directive.start == place or directive.start < place < \
                directive.end:
            return directive
    return Directive('', 'directive', path, line)


def place(info):
    """'file, line N' of a ZCML action's `info`."""
    return f'{getattr(info, "file", info)}, line {getattr(info, "line", "?")}'
