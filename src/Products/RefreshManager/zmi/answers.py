"""How the product's pages and actions answer: a person or a script.

A person clicks a button of the Refresh tab: its forms carry the marker
field ``form.submitted``, and a browser accepts HTML. Such a request is
answered with a 303 redirect to the tab (POST-redirect-GET, so reloading
the page does not post again), the message and its kind in the query
string as Zope's own ZMI does; ``manage_tabs`` shows it escaped. Every
other request (curl, Zope 2 era scripts) gets the tab itself, with a
status code that says how it went.

Every page forbids being framed by another site, so a click-jacking
page cannot get around the same-origin check of the actions.
"""
from urllib.parse import urlencode


FORM_MARKER = 'form.submitted'
LONGEST_MESSAGE = 1000  # characters kept in a redirect's URL


def from_browser_form(request):
    accept = request.get_header('Accept') or ''
    return bool(request.form.get(FORM_MARKER)) and 'text/html' in accept


def redirect_to_tab(request, tab_url, message, kind):
    if len(message) > LONGEST_MESSAGE:
        message = message[:LONGEST_MESSAGE - 1] + '\u2026'
    query = urlencode({'manage_tabs_message': message,
                       'manage_tabs_type': kind})
    request.RESPONSE.redirect(f'{tab_url}?{query}', status=303)
    return ''


def deny_framing(response):
    response.setHeader('X-Frame-Options', 'SAMEORIGIN')
    response.setHeader('Content-Security-Policy', "frame-ancestors 'self'")
