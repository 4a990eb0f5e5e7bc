"""Refresh packages all or nothing.

One call refreshes a product and its dependents as a single unit (see
`unit`): every change goes through one journal, and any failure rolls
all of them back, so the old code keeps serving exactly as before.
Refreshes run one at a time.
"""
import sys

from ..stage.journal import Journal
from ..stage.lock import refreshing
from ..stage.lock import RefreshBusy
from ..record.reports import RefreshError
from .unit import Unit


def refresh_packages(packages, after_load=None, classic=(), hooked=(),
                     timeout=None, applied=None, wait=None):
    """Reload the changed modules of each package, and the modules that
    import them, in the order given: in place, but the classic way for
    the packages in `classic`.

    The new code runs off to the side first, while requests are served
    by the old code; then, holding the exclusive side of the `GATE` (no
    request runs meanwhile), the result is applied, `after_load` runs for
    each package and `applied(report)` once all succeeded. A module that
    cannot be staged (see `unstageable`) makes the whole refresh run
    under the exclusive side.

    `after_load(package, module, journal)` runs after a package's modules
    are applied (Zope re-registers the product there), unless none of
    them changed and the package is not in `hooked` (packages the hook
    has work of its own for); what it changes through the journal is
    rolled back with the rest. Raises RefreshError after rolling back
    when anything fails, also when the refresh is still running after
    `timeout` seconds (None: no limit), or waited that long for the
    running requests; and, having changed nothing, with `RefreshBusy`
    as its error when another refresh still ran after `wait` seconds
    (by default `timeout`).
    """
    try:
        with refreshing(', '.join(packages),
                        timeout if wait is None else wait):
            unit = Unit(packages, classic, timeout, Journal(sys.modules))
            return unit.run(after_load, hooked, applied)
    except RefreshBusy as busy:
        raise RefreshError(packages[0], busy) from None
