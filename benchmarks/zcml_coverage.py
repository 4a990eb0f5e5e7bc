"""How much of the ecosystem's ZCML a reload of one package can undo.

In process, no HTTP: run with the Plone environment the tests build
(``var/plone-py3XY``, Plone 6.2 as ``plone/constraints.txt`` pins it,
with the add-ons of ``plone/addons.txt``). Zope starts with the site
configuration (Plone's, every add-on's by plone.autoinclude) and reads,
without running it, every ZCML file the installed distributions ship:
those the site loads in the site's own context, the others one by one in
a context that knows every directive the site defines. Each top-level
directive use is then judged as Refresh code and ZCML judges it at run
time (`Products.RefreshManager.zcml.actions.judge`): *covered* when every
action it produces calls something a reload of its package alone can
undo. ``meta:*`` directives (the language itself), test files and test
namespaces are not counted. A file the site cannot read (its package
imports what is not installed, as Archetypes, or it needs directives no
Zope site defines) can be neither loaded nor reloaded: its uses are
counted apart, with the reason, and not in the share.

Prints, for the stack and for the add-ons: the uses, the covered share,
and the directives left out with their counts (worst first); and how
many of the start's actions ``refreshmanager:startup`` keeps for the
first reloads, and how long it takes.

    var/plone-py311/bin/python benchmarks/zcml_coverage.py [--files]
"""
import collections
import importlib
import importlib.metadata
import logging
import os
import subprocess
import sys
import tempfile
import warnings


HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
ADDONS = os.path.join(REPO, 'plone', 'addons.txt')
META = 'http://namespaces.zope.org/meta'


def addon_names():
    """The distributions `plone/addons.txt` installs."""
    with open(ADDONS) as listed:
        return {line.split('==')[0].strip().lower().replace('_', '-')
                for line in listed
                if line.strip() and not line.startswith('#')}


def is_test(path):
    parts = path.replace(os.sep, '/').split('/')
    name = parts[-1]
    return any(part in ('tests', 'testing', 'test') for part in parts[:-1]) \
        or 'test' in name or name.startswith('ftesting')


def zcml_files():
    """{distribution name: [ZCML files]}, test files left out."""
    found = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata['Name'].lower().replace('_', '-')
        if name == 'products.refreshmanager':
            continue
        files = [str(dist.locate_file(f)) for f in dist.files or ()
                 if str(f).endswith('.zcml') and not is_test(str(f))]
        if files:
            found.setdefault(name, []).extend(sorted(map(os.path.realpath,
                                                         files)))
    return found


def start_zope(home):
    """Zope configured in this process, with the site's ZCML loaded."""
    subprocess.run([os.path.join(os.path.dirname(sys.executable),
                                 'mkwsgiinstance'), '-d', home,
                    '-u', 'admin:admin'], check=True, capture_output=True)
    from Zope2.Startup.run import make_wsgi_app
    make_wsgi_app({}, os.path.join(home, 'etc', 'zope.conf'))
    from Zope2.App import zcml
    return zcml._context, os.path.join(home, 'etc', 'site.zcml')


def module_for(path):
    """The imported package a ZCML file belongs to (its folder's)."""
    folder = os.path.dirname(path)
    for entry in sorted(sys.path, key=len, reverse=True):
        entry = os.path.realpath(entry or '.')
        if folder.startswith(entry + os.sep):
            dotted = os.path.relpath(folder, entry).replace(os.sep, '.')
            return importlib.import_module(dotted)
    raise ImportError(f'{folder} is not on sys.path')


def read_site(site):
    """The actions of the site configuration, read again."""
    from zope.configuration import xmlconfig
    return list(xmlconfig.file(site[1], execute=False).actions)


def read_others(site, files):
    """The actions of each file the site does not load (read alone, in a
    context that knows the site's directives and skips the files the site
    loaded); {file: why} for the files that could not be read."""
    from zope.configuration import xmlconfig
    from zope.configuration.config import ConfigurationMachine
    live = site[0]
    actions, failed = [], {}
    for path in files:
        if path in live._seen_files:
            continue
        context = ConfigurationMachine()
        context._registry = live._registry
        context._features = set(live._features)
        context._seen_files = set(live._seen_files)
        try:
            xmlconfig.file(path, package=module_for(path), context=context,
                           execute=False)
        except Exception as error:  # what a reload of it would report
            failed[path] = f'{type(error).__name__}: ' + \
                str(error).splitlines()[0][:120]
            continue
        actions += context.actions
    return actions, failed


def judged(actions):
    """{(file, line): the `Verdict` on the actions of the directive
    there}."""
    from Products.RefreshManager.zcml.actions import judge
    from Products.RefreshManager.zcml.directives import directive_at
    by_use = collections.defaultdict(list)
    for action in actions:
        directive = directive_at(action.get('info'))
        by_use[(directive.path, directive.line)].append(action)
    return {use: judge(found) for use, found in by_use.items()}


def tally(files, verdicts, failed):
    """Counter of uses per (kind, why not covered: '' when covered), and
    how many covered uses produced no action (an include, a condition not
    met, a directive that only defines something)."""
    from Products.RefreshManager.zcml.directives import top_level
    counts, idle = collections.Counter(), 0
    for path in files:
        try:
            uses = top_level(path)
        except Exception:
            continue
        for directive in uses:
            if directive.namespace == META or 'test' in directive.namespace:
                continue
            verdict = verdicts.get((directive.path, directive.line))
            if path in failed:
                counts[(directive.kind, None)] += 1
                continue
            if verdict is None:
                why, idle = '', idle + 1
            else:
                why = ', '.join(sorted(
                    {name for names in (*verdict.patches.values(),
                                        *verdict.not_undoable.values())
                     for name in names}))
            counts[(directive.kind, why)] += 1
    return counts, idle


def report(title, tallied, width=12):
    counts, idle = tallied
    unreadable = sum(n for (_kind, why), n in counts.items() if why is None)
    total = sum(counts.values()) - unreadable
    covered = sum(n for (_kind, why), n in counts.items() if why == '')
    acting = total - idle
    print(f'{title}: {total} directive uses, {covered} covered '
          f'({100 * covered / max(total, 1):.1f}%); of the {acting} that '
          f'produce actions, {covered - idle} '
          f'({100 * (covered - idle) / max(acting, 1):.1f}%); {unreadable} '
          'more in files the site cannot read')
    left = collections.Counter({key: n for key, n in counts.items()
                                if key[1]})
    for (kind, why), n in left.most_common(width):
        print(f'    left out: {kind:<24} {n:>3}  calls {why}')
    return (covered - idle) / max(acting, 1)


def kept_at_start(site_actions, runs=5):
    """What `refreshmanager:startup` keeps of the start's actions for the
    first reloads, and the time it takes (median of `runs`, each over the
    site's actions as read again here)."""
    import statistics
    import time
    from Products.RefreshManager.zcml import startup
    kept, times = len(startup.STARTED), []
    started = list(startup.STARTED)
    for _ in range(runs):
        del startup.STARTED[:]
        begun = time.perf_counter()
        startup.remember(site_actions)
        times.append(time.perf_counter() - begun)
    startup.STARTED[:] = started
    print(f'kept at Zope\'s start for the first reloads: {kept} of the '
          f'site\'s actions, in {statistics.median(times) * 1000:.0f} ms '
          f'(median of {runs})')


def main(show_files=False):
    # What Zope's start and the add-ons' imports warn about is not what
    # this measures.
    warnings.simplefilter('ignore')
    logging.disable(logging.WARNING)
    by_dist = zcml_files()
    with tempfile.TemporaryDirectory() as home:
        site = start_zope(home)
        everything = [path for files in by_dist.values() for path in files]
        actions = read_site(site)
        kept_at_start(actions)
        others, failed = read_others(site, everything)
        actions += others
        verdicts = judged(actions)
    addons = addon_names()
    groups = {'Plone 6.2 stack': [], 'add-ons': []}
    for name, files in by_dist.items():
        groups['add-ons' if name in addons else 'Plone 6.2 stack'] += files
    print(f'{len(by_dist)} distributions with ZCML '
          f'({len(addons & set(by_dist))} add-ons), {len(everything)} files,'
          f' {len(actions)} actions read, {len(failed)} files the site '
          'cannot read (--files lists them)')
    shares = {title: report(title, tally(files, verdicts, failed))
              for title, files in groups.items()}
    report('all', tally(everything, verdicts, failed))
    if show_files:
        for path, why in sorted(failed.items()):
            print(f'    not readable: {path}: {why}')
    return shares


if __name__ == '__main__':
    main('--files' in sys.argv)
