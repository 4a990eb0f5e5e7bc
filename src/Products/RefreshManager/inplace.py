"""Public API: ``from Products.RefreshManager.inplace import
reload_module``. See `Products.RefreshManager.engine.carry.inplace`."""
from .engine.carry.inplace import ReloadReport  # noqa: F401
from .engine.carry.inplace import reload_module  # noqa: F401
