"""Put ``Products`` into Control_Panel, with a tab beside the others.

Control_Panel is a process-global object whose sub-objects are class
attributes and whose every sub-object repeats the full tab list, so the
new tab is appended to each. Running this again (when RefreshManager
refreshes itself) only swaps in the new folder object.
"""
from App.ApplicationManager import ApplicationManager

from .folder import TAB_LABEL
from .folder import ProductFolder


def _add_tab(cls, action):
    if all(option['label'] != TAB_LABEL for option in cls.manage_options):
        cls.manage_options = tuple(cls.manage_options) + (
            {'label': TAB_LABEL, 'action': action},)


def install_control_panel_products():
    for option in ApplicationManager.manage_options:
        attribute, slash, _view = option['action'].partition('/')
        sub_object = getattr(ApplicationManager, attribute, None)
        if slash and attribute != TAB_LABEL and sub_object is not None:
            _add_tab(type(sub_object), '../Products/manage_main')
    ApplicationManager.Products = ProductFolder()
    _add_tab(ApplicationManager, 'Products/manage_main')
