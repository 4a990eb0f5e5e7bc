"""The permission that guards the Refresh tab and its actions."""
from AccessControl.Permission import addPermission


RefreshProducts = 'Refresh products'

addPermission(RefreshProducts, ('Manager',))
