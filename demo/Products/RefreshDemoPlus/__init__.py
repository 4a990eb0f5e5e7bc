"""Subclasses RefreshDemo's page: refresh it after RefreshDemo."""
from . import content


def initialize(context):
    context.registerClass(
        content.FancyDemoPage,
        permission='Add Refresh Demo Pages',
        constructors=(content.manage_addFancyDemoPage,),
    )
