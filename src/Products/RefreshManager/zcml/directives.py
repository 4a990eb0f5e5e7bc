"""Which directives of a package's ZCML a scoped reload can undo.

A scoped reload takes out what the package's directives registered and
runs them again. That is exact for directives whose whole effect is a
registration in the component registry (which carries the directive's
place), or one of the registries the `registries` module takes care of. Other
directives change state nobody can put back (``monkey:patch`` patches
code a second time, ``meta:directive`` redefines the language itself), so
a package using one has the whole site configuration reloaded instead
(see `reload`), and one that patches code is refused with its place.
"""
import glob
import os
from xml.parsers import expat


ZOPE = 'http://namespaces.zope.org/zope'
BROWSER = 'http://namespaces.zope.org/browser'
FIVE = 'http://namespaces.zope.org/five'
GENERICSETUP = 'http://namespaces.zope.org/genericsetup'
I18N = 'http://namespaces.zope.org/i18n'
PLONE = 'http://namespaces.plone.org/plone'

# Top-level directives whose effects are undone (their subdirectives,
# like a page's or a class's, go with them). Each one's handler was read:
# it registers components with the directive's place, registers them
# again under the same key (replacing), or fills a registry that
# `registries` takes care of.
UNDOABLE = {
    ZOPE: {'configure', 'include', 'includeOverrides', 'exclude', 'adapter',
           'utility', 'subscriber', 'view', 'resource', 'permission',
           'interface', 'class', 'content'},
    BROWSER: {'page', 'pages', 'view', 'resource', 'resourceDirectory',
              'defaultView', 'menu', 'menuItem', 'menuItems', 'viewlet',
              'viewletManager'},
    FIVE: {'registerPackage', 'deprecatedManageAddDelete', 'implements'},
    GENERICSETUP: {'registerProfile', 'importStep', 'exportStep',
                   'upgradeStep', 'upgradeSteps', 'upgradeDepends'},
    I18N: {'registerTranslations'},
    PLONE: {'behavior', 'service', 'CORSPolicy', 'static', 'portlet'},
}
# Directives that patch code: run a second time (by any reload) they
# patch the patched code.
NEVER_AGAIN = {('http://namespaces.plone.org/monkey', 'patch')}
GROUPING = {'configure'}
INCLUDES = {'include', 'includeOverrides'}
PREFIXES = {ZOPE: '', BROWSER: 'browser:', FIVE: 'five:',
            GENERICSETUP: 'genericsetup:', I18N: 'i18n:', PLONE: 'plone:',
            'http://namespaces.zope.org/meta': 'meta:',
            'http://namespaces.plone.org/monkey': 'monkey:'}


class Directive:

    def __init__(self, namespace, name, path, line):
        self.namespace, self.name = namespace, name
        self.path, self.line = path, line

    def __str__(self):
        prefix = PREFIXES.get(self.namespace, self.namespace + ' ')
        return f'{prefix}{self.name} ({self.path}, line {self.line})'


def _top_level(path):
    """The directives of the file at `path` with their attributes, but
    not those inside another directive (grouping ``configure`` elements
    are looked into)."""
    found, open_names = [], []
    parser = expat.ParserCreate(namespace_separator=' ')

    def start(tag, attributes):
        namespace, _, name = tag.rpartition(' ')
        if open_names and name not in GROUPING and all(
                opened in GROUPING for opened in open_names):
            found.append((Directive(namespace, name, path,
                                    parser.CurrentLineNumber), attributes))
        open_names.append(name)

    def end(_tag):
        open_names.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    with open(path, 'rb') as source:
        parser.ParseFile(source)
    return found


def never_again(directive):
    return (directive.namespace, directive.name) in NEVER_AGAIN


def _included(path, package, attributes, name, folder):
    """``(file, its package)`` for each file an include in the file at
    `path` (of `package`) names, when they belong to the package `name`
    in `folder`: the reload runs no other package's files again."""
    target = attributes.get('package')
    if target is None:
        where = os.path.dirname(path)
    else:
        if target.startswith('.'):
            target = package + target
        if not (target + '.').startswith(name + '.'):
            return []
        package = target
        where = os.path.join(folder, *target.split('.')[name.count('.') + 1:])
    pattern = attributes.get('file') or attributes.get('files') \
        or 'configure.zcml'
    return [(found, package)
            for found in glob.glob(os.path.join(where, pattern))]


def not_undoable(entry, name, folder):
    """The directives of `entry` and of the files of package `name` (in
    `folder`) it includes that a scoped reload cannot undo; empty when
    it can reload them all. A file that does not parse is left to the
    reload, which reports it with its place."""
    found, pending, done = [], [(entry, name)], set()
    while pending:
        path, package = pending.pop()
        if path in done or not os.path.isfile(path):
            continue
        done.add(path)
        try:
            directives = _top_level(path)
        except expat.ExpatError:
            continue
        for directive, attributes in directives:
            if directive.name not in UNDOABLE.get(directive.namespace, ()):
                found.append(directive)
            elif directive.name in INCLUDES:
                pending += _included(path, package, attributes, name, folder)
    return found
