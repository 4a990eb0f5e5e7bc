"""Restart Zope from the product pages: where it is offered, and the
page that waits for the new process (see ``restart``)."""
from .. import restart


REFUSED = 409  # the process cannot restart itself now: nothing was done


def offer(needs, listing):
    """What the pages show when `needs` (reasons, in the products' terms)
    is not empty: the reasons, and the button or why there is none."""
    if not needs:
        return None
    return {'needs': needs, 'refused': restart.refusal(), 'listing': listing}


def restart_now(user):
    """The restart action's change: ``(message, status)``."""
    problem = restart.refusal()
    if problem is not None:
        return problem, REFUSED
    restart.restart_soon(user)
    return ('Zope is restarting: the requests running now finish, the '
            'database closes, and runwsgi starts again with the same '
            'arguments. Pages that follow the refreshes reload once it '
            'answers.'), 202


def back_to(request, listing):
    """The page the button was on (the listing or a tab of this site),
    else the listing: where the waiting page goes once Zope is back."""
    referer = request.get_header('Referer') or ''
    return referer if referer.startswith(listing.rsplit('/', 1)[0] + '/') \
        else f'{listing}/manage_main'


def started():
    """When this process started: the waiting page knows the new one by
    a different time (a re-executed process keeps its PID)."""
    return repr(restart.STARTED)
