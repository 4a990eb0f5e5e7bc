"""A demo product to edit and refresh: see ../../README.md."""
from . import content


def initialize(context):
    context.registerClass(
        content.DemoPage,
        permission='Add Refresh Demo Pages',
        constructors=(content.manage_addDemoPageForm,
                      content.manage_addDemoPage),
    )
