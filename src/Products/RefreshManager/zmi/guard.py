"""Refuse cross-site form posts to the refresh actions.

The actions change what code the whole process runs, so a page on
another site must not be able to trigger them through a manager's
browser. Browsers name the page a form came from in ``Origin`` (or at
least ``Referer``); scripts send neither and are let through, since they
authenticate on their own. The origin is the scheme, host and port: an
``https`` page does not share the origin of an ``http`` site on the same
host and port.
"""
from urllib.parse import urlsplit


DEFAULT_PORTS = {'http': 80, 'https': 443}


def _origin(url):
    parts = urlsplit(url)
    try:
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:  # a port that is not a number
        return None
    if not parts.hostname:  # 'null', or no URL at all
        return None
    return parts.scheme.lower(), parts.hostname, port


def cross_site_refusal(request):
    """Why `request` is refused as sent from a page of another site, or
    None. The message repeats the header: it must be shown escaped.

    Behind a proxy, Zope must know its public URL (a Virtual Host
    Monster rule), as for every absolute URL it makes.
    """
    source = request.get_header('Origin') or request.get_header('Referer')
    if not source:
        return None
    own = request['SERVER_URL']
    origin = _origin(source)
    if origin is not None and origin == _origin(own):
        return None
    return (f'Refused: this request was sent from {source}, not from this '
            f'site ({own}). Use the Refresh tab of this Zope. Nothing was '
            f'changed.')
