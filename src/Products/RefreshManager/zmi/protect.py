"""Our own settings writes under plone.protect.

plone.protect (in every Plone site) aborts, *after* the published method
has answered, the transaction of any request that wrote to the ZODB
without its ``_authenticator`` token: a script's "Enabled auto refresh."
was then a lie, the setting silently thrown away. Our actions carry their
own protection against cross-site requests (POST only, same origin, the
"Refresh products" permission); once a request has passed those checks,
its writes are ours, and plone.protect is told so. Without plone.protect
installed nothing is imported.
"""


def allow_our_writes(request):
    """Tell plone.protect that `request`, checked by us, may write."""
    try:
        from plone.protect.interfaces import IDisableCSRFProtection
    except ImportError:
        return
    from zope.interface import alsoProvides
    alsoProvides(request, IDisableCSRFProtection)
