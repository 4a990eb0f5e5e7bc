"""The sweep: packages of the Plone stack, code nobody here wrote, each
opted in, refreshed, edited in a loaded module, refreshed, restored and
refreshed, with the site's pages compared to a baseline after each step.

A package ends **clean** (every refresh answered 200, the edited module
run again, the running code in sync with the files, every page as
before), **refused** (a 422 whose reason names the package's code, and
every page as before: nothing changed), or **broken** (anything else:
the outcome this sweep exists to find).

The edit is a real one and changes nothing visible: a statement at the
top of the body of the module's first method (or function), so every
line below it moves, and a function added at the end.
"""
import ast
import html
import os
import re
from dataclasses import dataclass
from dataclasses import field


PRODUCTS = '/Control_Panel/Products'
PACKAGES = (
    'Products.CMFCore', 'Products.CMFPlone', 'Products.GenericSetup',
    'Products.PlonePAS', 'Products.PluggableAuthService', 'Products.ZCatalog',
    'Products.MailHost', 'Products.CMFEditions', 'Products.DCWorkflow',
    'Products.PortalTransforms', 'Products.MimetypesRegistry',
    'Products.statusmessages', 'plone.app.layout', 'plone.app.contenttypes',
    'plone.app.dexterity', 'plone.dexterity', 'plone.app.event',
    'plone.event', 'plone.z3cform', 'z3c.form', 'plone.app.z3cform',
    'plone.autoform', 'plone.app.registry', 'plone.registry',
    'plone.supermodel', 'plone.base', 'plone.restapi', 'plone.rest',
    'plone.app.vocabularies', 'plone.app.portlets', 'plone.portlets',
    'plone.app.content', 'plone.app.contentmenu', 'plone.app.querystring',
    'plone.app.users', 'plone.app.theming', 'plone.app.viewletmanager',
    'plone.app.linkintegrity', 'plone.app.textfield', 'plone.namedfile',
    'plone.behavior', 'plone.schemaeditor', 'plone.app.workflow',
    'plone.app.contentlisting', 'plone.batching', 'plone.protect',
    'plone.app.caching', 'plone.outputfilters',
)
# The site's pages, as a person and a script see them.
PAGES = (
    '/Plone', '/Plone/f', '/Plone/f/folder_contents',
    '/Plone/@@search?SearchableText=sweep', '/Plone/f/d', '/Plone/f/d/edit',
    '/Plone/f/++add++Document', '/Plone/f/n', '/Plone/f/e',
    '/Plone/f/e/ics_view', '/Plone/@@event_listing',
    '/Plone/@@overview-controlpanel', '/Plone/@@site-controlpanel',
    '/Plone/@@dexterity-types', '/Plone/@@usergroup-userprefs',
    '/Plone/@@manage-portlets', '/Plone/@@prefs_install_products_form',
    '/Plone/portal_setup/manage_importSteps', '/Plone/++api++/f/d',
    '/Plone/++api++/@types/Document', '/Plone/@@personal-information',
    '/Plone/sitemap',
)
# What differs between two answers of an unchanged site.
NOISE = [
    (re.compile(r'(_authenticator[="\s:]+(?:value=)?")[0-9a-f]+'), r'\1'),
    (re.compile(r'_authenticator=[0-9a-f]+'), '_authenticator='),
    (re.compile(r'\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?'
                r'([+-]\d\d:?\d\d|Z)?'), 'TIME'),
    (re.compile(r'\b\d\d?:\d\d( [AP]M)?\b'), 'TIME'),
    (re.compile(r'(DTSTAMP|CREATED|LAST-MODIFIED):\S+'), r'\1:'),
    (re.compile(r'\?t=\d+|/\+\+plone\+\+[^"\']*?/(\d+)/'), ''),
    (re.compile(r'\b(\d+ (second|minute|hour)s? ago)\b'), 'AGO'),
]


def normalized(body):
    for pattern, replacement in NOISE:
        body = pattern.sub(replacement, body)
    return body


def edited(source):
    """`source` with a statement at the top of its first method's (or
    function's) body and a function added at the end; None when it has
    no function."""
    tree = ast.parse(source)
    functions = [node for node in ast.walk(tree)
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and node.body]
    if not functions:
        return None
    function = min(functions, key=lambda node: (
        not any(isinstance(parent, ast.ClassDef) and node in parent.body
                for parent in ast.walk(tree)), node.lineno))
    body = function.body
    first = body[1] if (len(body) > 1 and isinstance(body[0], ast.Expr)
                        and isinstance(getattr(body[0], 'value', None),
                                       ast.Constant)) else body[0]
    lines = source.splitlines(keepends=True)
    if first.lineno == function.lineno:  # a one-line def: leave it
        return None
    indent = lines[first.lineno - 1][:first.col_offset]
    lines.insert(first.lineno - 1, f'{indent}_refresh_sweep = 1\n')
    return ''.join(lines) + (
        '\n\ndef _refresh_sweep_added():\n    return "added"\n')


@dataclass
class Result:
    package: str
    outcome: str = 'clean'
    module: str = ''
    seconds: list = field(default_factory=list)
    why: list = field(default_factory=list)

    def broken(self, why):
        self.outcome = 'broken'
        self.why.append(why)


def product_name(package):
    return package[len('Products.'):] if package.startswith(
        'Products.') else package


def package_folder(package):
    import importlib.util
    return os.path.dirname(importlib.util.find_spec(package).origin)


def loaded_modules(tab):
    found = re.search(r'<ul class="code" id="modules">(.*?)</ul>', tab, re.S)
    return [html.unescape(name) for name in re.findall(
        r'<li[^>]*>\s*([\w.]+)\s*</li>', found.group(1))] if found else []


def module_file(name):
    import importlib.util
    spec = importlib.util.find_spec(name)
    return spec.origin if spec and spec.origin.endswith('.py') else None


def chosen_module(modules):
    """The loaded module with the most functions that can be edited: the
    package's own code at its busiest."""
    best, best_count = None, -1
    for name in modules:
        path = module_file(name)
        if path is None or '.tests' in name or name.endswith('.testing'):
            continue
        with open(path) as source:
            text = source.read()
        count = text.count('\n    def ') + text.count('\ndef ')
        if edited(text) is not None and count > best_count:
            best, best_count = name, count
    return best
