"""Products.RefreshManager: refresh a product's code in a running Zope.

Only the Zope glue is imported at product initialization; the engine
(`Products.RefreshManager.engine`) imports nothing from Zope.
"""


def initialize(context):
    from . import permissions  # noqa: F401 (registers the permission)
    from .zmi.install import install_control_panel_products
    install_control_panel_products()
