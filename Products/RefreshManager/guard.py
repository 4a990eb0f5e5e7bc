"""Refuse cross-site form posts to the refresh actions.

The actions change what code the whole process runs, so a page on
another site must not be able to trigger them through a manager's
browser. Browsers name the page a form came from in ``Origin`` (or at
least ``Referer``); scripts send neither and are let through, since they
authenticate on their own.
"""
from urllib.parse import urlsplit

from zExceptions import Forbidden


def check_same_origin(request):
    source = request.get_header('Origin') or request.get_header('Referer')
    if not source:
        return
    own = urlsplit(request['SERVER_URL']).netloc.lower()
    if urlsplit(source).netloc.lower() != own:
        raise Forbidden(
            f'Refused: this request was sent from {source}, not from this '
            f'site ({own}). Use the Refresh tab of this Zope.')
