"""Refuse cross-site form posts to the refresh actions.

The actions change what code the whole process runs, so a page on
another site must not be able to trigger them through a manager's
browser. Browsers name the page a form came from in ``Origin`` (or at
least ``Referer``); scripts send neither and are let through, since they
authenticate on their own.
"""
from urllib.parse import urlsplit

from zExceptions import Forbidden


DEFAULT_PORTS = {'http': 80, 'https': 443}


def _host_and_port(url):
    parts = urlsplit(url)
    try:
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:  # a port that is not a number
        return None
    return (parts.hostname, port) if parts.hostname else None


def check_same_origin(request):
    """Raise Forbidden for a request sent from a page of another site.

    Behind a proxy, Zope must know its public URL (a Virtual Host
    Monster rule), as for every absolute URL it makes.
    """
    source = request.get_header('Origin') or request.get_header('Referer')
    if not source:
        return
    own = request['SERVER_URL']
    if _host_and_port(source) != _host_and_port(own):
        raise Forbidden(
            f'Refused: this request was sent from {source}, not from this '
            f'site ({own}). Use the Refresh tab of this Zope.')
