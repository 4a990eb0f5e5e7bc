"""The event published after every refresh, for code that caches what a
product's code computed (registries, compiled templates, memoized
values) and must drop it when that code changes."""
from zope.interface import Attribute
from zope.interface import Interface


class IProductRefreshedEvent(Interface):
    """A product was refreshed, or a refresh of it failed and was rolled
    back (then `error` is set). Published once for each product of a
    refresh: the one asked for and each dependent refreshed with it."""

    product = Attribute('The product name, e.g. "RefreshDemo"')
    modules = Attribute('The modules executed again, in order (empty when '
                        'the refresh failed)')
    duration = Attribute('Seconds the whole refresh took')
    mode = Attribute('"in-place" or "classic"')
    error = Attribute('The exception that made the refresh fail, or None')
    zcml = Attribute('Whether the product\'s ZCML was reloaded with it')
