"""The rules every action of the product pages answers by: the tab's
(``<Name>/manage_performRefresh`` and the settings) and the listing's
(``manage_refreshChanged``).

POST only: another method gets 405 with ``Allow: POST`` and the page
saying why (not the publisher's bare refusal, nor Plone's error page);
a post from another site's page gets 403; then the action's own
precondition, and its change, whose `BadInput` is a 400. A person at the
page's forms is redirected back to it (303, POST-redirect-GET), a script
gets the page with the status; an action still under way when answered
(202, a restart) gets its page, for both.
"""
from .answers import from_browser_form
from .answers import redirect_to_tab
from .guard import cross_site_refusal
from .inputs import BadInput
from .protect import allow_our_writes


def refresh_status(outcome, REQUEST):
    """The status a refresh's `outcome` is answered with: 200, 422 when it
    failed (and was rolled back), 409 with ``Retry-After`` when another
    refresh ran (and nothing was done)."""
    if outcome.busy is not None:
        if REQUEST is not None:
            REQUEST.RESPONSE.setHeader('Retry-After',
                                       str(outcome.retry_after()))
        return 409
    return 200 if outcome.ok else 422


def answer_action(REQUEST, change, render, url, refused=None):
    """Run `change()` (``(message, status)``) by the rules above and
    answer: `render(REQUEST)` renders the page at `url`, which shows the
    message; `refused`, when given, is a reason not to act, as
    ``(message, status)``. Without a request (called from Python), the
    message."""

    def page(REQUEST, message, status):
        REQUEST.set('manage_tabs_message', message)
        REQUEST.set('manage_tabs_type', 'success' if status < 300
                    else 'danger')
        REQUEST.RESPONSE.setStatus(status)
        return render(REQUEST)

    if REQUEST is not None and REQUEST.method != 'POST':
        REQUEST.RESPONSE.setHeader('Allow', 'POST')
        return page(REQUEST, (
            f'{REQUEST.method} is not how to ask for this: an action of this '
            f'page takes a POST, as its buttons send (a link or a typed '
            f'address sends a GET). Use the buttons below. Nothing was '
            f'changed.'), 405)
    if REQUEST is not None:
        refusal = cross_site_refusal(REQUEST)
        if refusal is not None:
            return page(REQUEST, refusal, 403)
    if refused is not None:
        message, status = refused
    else:
        if REQUEST is not None:  # checked: POST, permission, this site
            allow_our_writes(REQUEST)
        try:
            message, status = change()
        except BadInput as error:
            message, status = str(error), 400
    if REQUEST is None:
        return message
    # Accepted (202): still going on, so the page, which follows it; a
    # redirect would land on it half-done.
    if from_browser_form(REQUEST) and status != 202:
        return redirect_to_tab(REQUEST, url, message,
                               'success' if status == 200 else 'danger')
    return page(REQUEST, message, status)
