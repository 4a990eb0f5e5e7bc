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
    '/Plone/@@search?SearchableText=sweep', '/Plone/f/d', '/Plone/form/edit',
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
    # The live reload lines name the refresh generation, which the sweep
    # moves on with every refresh.
    (re.compile(r'<script data-refreshmanager="live">.*?</script>', re.S),
     ''),
    (re.compile(r'(_authenticator"[^>]*?value=")[0-9a-f]+'), r'\1'),
    (re.compile(r'(data-token=")[0-9a-f]+'), r'\1'),
    (re.compile(r'_authenticator=[0-9a-f]+'), '_authenticator='),
    (re.compile(r'\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?'
                r'([+-]\d\d:?\d\d|Z)?'), 'TIME'),
    (re.compile(r'\b\d\d?:\d\d( [AP]M)?\b'), 'TIME'),
    (re.compile(r'(DTSTAMP|CREATED|LAST-MODIFIED):\S+'), r'\1:'),
    (re.compile(r'\?t=\d+|/\+\+plone\+\+[^"\']*?/(\d+)/'), ''),
    (re.compile(r'\b(\d+ (second|minute|hour)s? ago)\b'), 'AGO'),
]


# TinyMCE's allowed attributes come from a set: their order changes with
# the process's string hashes (a restart) and with how the set was made.
ATTRIBUTE_LISTS = re.compile(r'\[([\w-]+(?:\|[\w-]+)+)\]')


def normalized(body):
    for pattern, replacement in NOISE:
        body = pattern.sub(replacement, body)
    return ATTRIBUTE_LISTS.sub(
        lambda found: '[' + '|'.join(sorted(found.group(1).split('|')))
        + ']', body)


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
    notes: list = field(default_factory=list)  # what is worth a look

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


def module_file(name, package, folder):
    """The source file of the module `name` of `package` (in `folder`),
    found without importing it here."""
    parts = name[len(package):].lstrip('.').split('.') if name != package \
        else []
    base = os.path.join(folder, *parts)
    for path in (base + '.py', os.path.join(base, '__init__.py')):
        if parts and os.path.isfile(path):
            return path
    return None


def chosen_module(modules, package, folder):
    """The loaded module with the most functions that can be edited: the
    package's own code at its busiest."""
    best, best_count = None, -1
    for name in modules:
        path = module_file(name, package, folder)
        if path is None or '.tests' in name or name.endswith('.testing'):
            continue
        with open(path) as source:
            text = source.read()
        count = text.count('\n    def ') + text.count('\ndef ')
        if edited(text) is not None and count > best_count:
            best, best_count = name, count
    return best


def pages(get):
    """The site's pages, normalized, by path: two at a time, as a
    browser asks (waitress serves four)."""
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(get, PAGES))
    return {path: (status, normalized(body))
            for path, (status, body) in zip(PAGES, answers)}


def differing(baseline, now):
    return [path for path in PAGES if baseline[path] != now[path]]


def in_sync(tab):
    return 'id="in-sync"' in tab


def last_modules(tab):
    found = re.search(r'id="last-refresh".*?<ol class="code"[^>]*>(.*?)</ol>',
                      tab, re.S)
    return re.findall(r'<li[^>]*>\s*([\w.]+)\s*</li>',
                      found.group(1)) if found else []


def alert(body):
    found = re.search(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', body, re.S)
    return ' '.join(html.unescape(re.sub('<[^>]+>', ' ', found.group(1)))
                    .split()) if found else body[:300]


class Sweep:
    """One package through the steps; `get(path)` and `post(path, data)`
    answer ``(status, body)``."""

    def __init__(self, package, get, post, baseline):
        self.result = Result(package)
        self.get, self.post, self.baseline = get, post, baseline
        self.url = f'{PRODUCTS}/{product_name(package)}'

    def run(self):
        import time
        folder = package_folder(self.result.package)
        opt_in = os.path.join(folder, 'refresh.txt')
        opted_before = os.path.exists(opt_in)
        with open(opt_in, 'a'):
            pass
        path = original = None
        try:
            status, tab = self.get(f'{self.url}/manage_refresh')
            if status != 200:
                self.result.broken(f'not listed once opted in: {status}')
                return self.result
            module = chosen_module(loaded_modules(tab), self.result.package,
                                   folder)
            self.result.module = module or ''
            path = module and module_file(module, self.result.package,
                                          folder)
            if path:
                with open(path) as source:
                    original = source.read()
            steps = [('first refresh', None)]
            if path:
                steps += [('edit', edited(original)), ('restore', original)]
            for step, text in steps:
                if text is not None:
                    time.sleep(0.01)  # a new modification time
                    with open(path, 'w') as out:
                        out.write(text)
                if not self.step(step, module if text else None):
                    break
        finally:
            if path and original is not None:
                with open(path, 'w') as out:
                    out.write(original)
            if not opted_before:
                os.remove(opt_in)
        return self.result

    def settled(self, changed, now, step):
        """The pages that still differ when asked again a moment later: a
        difference that went away is noted, not counted (a page made at a
        minute's turn); one that stays is shown, its first lines."""
        import difflib
        import time
        if not changed:
            return changed
        time.sleep(0.5)
        again = {}
        for path in changed:
            status, body = self.get(path)
            again[path] = status, normalized(body)
        staying = [path for path in changed
                   if again[path] != self.baseline[path]]
        for path in changed:
            if path not in staying:
                self.result.notes.append(f'{step}: {path} differed once')
        for path in staying[:1]:
            lines = [line for line in difflib.unified_diff(
                self.baseline[path][1].splitlines(),
                again[path][1].splitlines(), lineterm='', n=0)
                if line[:1] in '+-' and line[:3] not in ('+++', '---')]
            self.result.notes.append(
                f'{step}: {path} {self.baseline[path][0]} -> '
                f'{again[path][0]}: ' + ' | '.join(
                    line.strip()[:100] for line in lines[:4]))
        return staying

    def step(self, step, module):
        """Refresh and look; False when the sweep of this package ends."""
        import time
        started = time.perf_counter()
        status, body = self.post(f'{self.url}/manage_performRefresh', {})
        self.result.seconds.append(time.perf_counter() - started)
        now = pages(self.get)
        changed = self.settled(differing(self.baseline, now), now, step)
        if status == 422:
            if self.result.outcome == 'clean':
                self.result.outcome = 'refused'
            self.result.why.append(f'{step}: {alert(body)}')
            if changed:
                self.result.broken(f'{step}: refused, yet pages differ: '
                                   f'{", ".join(changed)}')
            return False
        if status != 200:
            self.result.broken(f'{step}: answered {status}: {alert(body)}')
            return False
        if changed:
            self.result.broken(f'{step}: "refreshed", and pages differ: '
                               f'{", ".join(changed)}')
            return False
        tab = self.get(f'{self.url}/manage_refresh')[1]
        if not in_sync(tab):
            self.result.broken(f'{step}: "refreshed", and the running code '
                               f'is not the files\': {alert(tab)}')
            return False
        if module and module not in last_modules(tab):
            self.result.broken(f'{step}: "refreshed" without running '
                               f'{module}')
            return False
        return True


def table(results):
    lines = [f'{"package":32} {"outcome":8} {"seconds":>20}  module / why']
    for result in results:
        seconds = ' '.join(f'{s:.2f}' for s in result.seconds)
        lines.append(f'{result.package:32} {result.outcome:8} {seconds:>20}  '
                     f'{result.module}')
        lines.extend(f'{"":32}   {why}' for why in result.why)
        lines.extend(f'{"":32}   note: {note}' for note in result.notes)
    counts = {outcome: sum(r.outcome == outcome for r in results)
              for outcome in ('clean', 'refused', 'broken')}
    lines.append(', '.join(f'{count} {outcome}'
                           for outcome, count in counts.items())
                 + f' of {len(results)} packages')
    return '\n'.join(lines)
