"""What a refresh reports: on each package, on the whole, or its error."""
import traceback
from dataclasses import dataclass


@dataclass(frozen=True)
class PackageReport:
    package: str
    in_place: bool  # carried into the old objects, or classic replacement
    reloaded: tuple  # module names, in the order they were executed
    imported: tuple  # modules first imported by this refresh
    removed: tuple  # modules dropped because their file is gone
    broken_cycles: tuple  # (module, imported module) edges ignored
    replaced: tuple = ()  # in place: ('module.name', why not in place)
    # in place: ('module.name', entries) of dicts and sets that kept
    # entries the new code does not make (see `carry.merge`)
    kept: tuple = ()
    seconds: float = 0.0  # this package's share of the refresh
    # (module, why) of patch modules whose top level was not run again;
    # their functions got the new bodies.
    patch_modules: tuple = ()
    # In place: modules whose original object, replaced by a classic
    # refresh, was brought back and updated (see `originals`).
    restored: tuple = ()

    @property
    def executed(self):
        """The modules whose code ran: reloaded or first imported."""
        return self.reloaded + self.imported

    @property
    def changed(self):
        """Whether the refresh changed any of the package's modules: ran
        one, dropped one, or gave a patch module's functions new bodies."""
        return bool(self.executed or self.removed or self.patch_modules)


@dataclass(frozen=True)
class RefreshReport:
    packages: tuple
    seconds: float
    exclusive: float = 0.0  # seconds no request ran: the apply

    @property
    def classes_replaced(self):
        """Whether objects may still have old classes: cached persistent
        objects must then be loaded again."""
        return any(not p.in_place or p.replaced or p.restored
                   for p in self.packages)


class RefreshError(Exception):
    """A refresh failed and was rolled back."""

    def __init__(self, package, error, rollback_failures=()):
        super().__init__(f'{package}: {type(error).__name__}: {error}')
        self.package = package
        self.error = error
        # (undo step, exception) for what the rollback could not undo
        self.rollback_failures = tuple(rollback_failures)
        self.traceback = ''.join(traceback.format_exception(error))
