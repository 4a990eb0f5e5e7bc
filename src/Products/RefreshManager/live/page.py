"""The few lines that make an HTML page follow the refreshes.

Added before ``</body>`` of a page answered 200 to a GET, as HTML, to a
user who may refresh products, while live reload runs (debug mode only):
never to anonymous users, never to other answers, and never to a POST's
page (reloading it would post again).

The page asks a ``SharedWorker`` (one per browser, however many tabs
are open) to follow the stream; a browser without one follows it
itself. The page knows the generation it was made at, so a refresh that
happened between its making and its connecting reloads it too. A page
that is being left (a form sent: a click on Refresh) does not reload:
the page that comes next was made after the refresh.
"""
import json
from urllib.parse import urlsplit

from AccessControl import getSecurityManager

from ..permissions import RefreshProducts
from . import hub


WORKER = '++resource++refreshmanager-live.js'
WILDCARDS = ('0.0.0.0', '::', '')
SNIPPET = '''<script data-refreshmanager="live">(function () {
  var stream = %(stream)s, made = %(generation)d, leaving = false;
  function follow(news) {
    if (leaving) { return; }  /* the next page is on its way */
    if (news.restarted ? news.restarted === stream : news.generation > made) {
      location.reload();
    }
  }
  addEventListener('submit', function () { leaving = true; }, true);
  addEventListener('beforeunload', function () { leaving = true; });
  addEventListener('pageshow', function () { leaving = false; });
  if (window.SharedWorker) {
    var worker = new SharedWorker(%(worker)s, {name: 'refreshmanager-live'});
    worker.port.onmessage = function (message) { follow(message.data); };
    worker.port.postMessage(stream);
  } else {
    new EventSource(stream).onmessage = function (message) {
      follow({generation: +message.data});
    };
  }
})();</script>
'''


def _js(value):
    return json.dumps(value).replace('</', '<\\/')


def stream_url(channel, request):
    """The stream's address as the browser reaches it: the listener's
    host, or the page's own host where it listens on every interface."""
    host, port = channel.address
    if host in WILDCARDS:
        host = urlsplit(request['SERVER_URL']).hostname
    if ':' in host:
        host = f'[{host}]'
    return f'http://{host}:{port}/events?token={channel.token}'


def snippet(request):
    return (SNIPPET % {
        'stream': _js(stream_url(hub.channel, request)),
        'generation': hub.generation,
        'worker': _js(f"{request['BASE1']}/{WORKER}"),
    }).encode()


def _wants_it(request, response):
    if hub.channel is None or request.method != 'GET':
        return False
    if response.getStatus() != 200:
        return False
    content_type = response.getHeader('Content-Type') or ''
    if not content_type.startswith('text/html'):
        return False
    parents = request.get('PARENTS') or ()
    return bool(parents) and bool(getSecurityManager().checkPermission(
        RefreshProducts, parents[-1]))


def add_to_page(event):
    """Subscriber of ``IPubBeforeCommit``: the answer is made and the
    user known."""
    request = event.request
    response = request.response
    if not _wants_it(request, response):
        return
    body = response.body
    if not isinstance(body, bytes):
        return
    end = body.lower().rfind(b'</body>')
    if end < 0:
        return
    body = body[:end] + snippet(request) + body[end:]
    response.body = body
    response.setHeader('Content-Length', str(len(body)))
