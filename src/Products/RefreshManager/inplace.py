"""Public API: ``from Products.RefreshManager.inplace import
reload_module``. See `Products.RefreshManager.engine.inplace`."""
from .engine.inplace import ReloadReport  # noqa: F401
from .engine.inplace import reload_module  # noqa: F401
