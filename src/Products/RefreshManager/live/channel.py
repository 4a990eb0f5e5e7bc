"""A stream of server-sent events that holds no worker thread.

Zope serves with a few worker threads (waitress' default is four) and a
waitress answer occupies one until it ends: an ``EventSource`` answered
by Zope would hold a thread per open browser for as long as the page is
open. So the stream has a listener of its own: one thread, one
``selectors`` loop, every connection a socket in it. While nothing
happens it sleeps in ``select`` and sends a comment every `keepalive`
seconds, so a proxy or the browser does not take the connection for
dead.

Each event is the process's refresh generation, the number of refreshes
that changed code; a browser compares it with the one its page was made
at. A connection must give the `token` the page was given, so only pages
Zope sent to someone who may refresh get the stream. Only the standard
library here: it is tested without Zope.
"""
import logging
import selectors
import socket
import threading
from urllib.parse import parse_qs
from urllib.parse import urlsplit


logger = logging.getLogger('Products.RefreshManager')

MAX_REQUEST = 8192  # bytes of request line and headers a client may send
RETRY_MS = 500  # how soon a browser connects again after losing us


class EventChannel:

    def __init__(self, host, port, token, keepalive=25.0):
        self.token = token
        self.keepalive = keepalive
        self._listener = socket.create_server((host, port))
        self._listener.setblocking(False)
        self.address = self._listener.getsockname()[:2]
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_reader.setblocking(False)
        self._wake_writer.setblocking(False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._listener, selectors.EVENT_READ, 'new')
        self._selector.register(self._wake_reader, selectors.EVENT_READ,
                                'wake')
        self._reading = {}  # socket: the request bytes read so far
        self._streams = set()  # sockets that get the events
        self._generation = 0
        self._stopping = False
        self._thread = threading.Thread(
            target=self._run, daemon=True, name='RefreshManager live reload')

    @property
    def url(self):
        host, port = self.address
        return f'http://{host}:{port}/events?token={self.token}'

    def start(self):
        self._thread.start()
        return self

    def listeners(self):
        """How many browsers (one stream each, however many tabs) follow."""
        return len(self._streams)

    def publish(self, generation):
        """Send `generation` to every stream, from the loop's thread; a
        burst of publications sends the latest once."""
        self._generation = generation
        self._wake()

    def stop(self, timeout=2):
        self._stopping = True
        self._wake()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _wake(self):
        try:
            self._wake_writer.send(b'!')
        except (BlockingIOError, OSError):
            pass  # already woken, or stopped

    def _run(self):
        try:
            while not self._stopping:
                events = self._selector.select(self.keepalive)
                if not events:
                    self._send_all(b': still here\n\n')
                for key, _mask in events:
                    if key.data == 'new':
                        self._accept()
                    elif key.data == 'wake':
                        self._drain_wake()
                    else:
                        self._readable(key.fileobj)
        except Exception:
            logger.exception('live reload stopped')
        finally:
            for sock in [*self._reading, *self._streams, self._listener,
                         self._wake_reader, self._wake_writer]:
                sock.close()
            self._selector.close()

    def _accept(self):
        try:
            sock, _address = self._listener.accept()
        except BlockingIOError:
            return
        sock.setblocking(False)
        self._reading[sock] = b''
        self._selector.register(sock, selectors.EVENT_READ, 'client')

    def _drain_wake(self):
        try:
            while self._wake_reader.recv(512):
                pass
        except BlockingIOError:
            pass
        if not self._stopping:
            self._send_all(self._event())

    def _event(self):
        return f'data: {self._generation}\n\n'.encode()

    def _readable(self, sock):
        try:
            data = sock.recv(4096)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b''
        if sock in self._streams:
            if not data:  # the browser went away
                self._drop(sock)
            return  # a stream's client sends nothing more we need
        if not data:
            self._drop(sock)
            return
        received = self._reading[sock] + data
        if b'\r\n\r\n' not in received:
            if len(received) > MAX_REQUEST:
                self._answer_and_close(sock, '431 Request Header Fields '
                                       'Too Large')
            else:
                self._reading[sock] = received
            return
        del self._reading[sock]
        self._start_stream(sock, received.split(b'\r\n\r\n', 1)[0])

    def _start_stream(self, sock, head):
        request_line, *headers = head.decode('latin-1').split('\r\n')
        parts = request_line.split()
        if len(parts) == 3 and parts[0] == 'OPTIONS':
            return self._allow(sock, headers)
        if len(parts) != 3 or parts[0] != 'GET':
            return self._answer_and_close(sock, '405 Method Not Allowed')
        target = urlsplit(parts[1])
        tokens = parse_qs(target.query).get('token', [])
        if target.path != '/events' or tokens != [self.token]:
            return self._answer_and_close(sock, '403 Forbidden')
        head = ('HTTP/1.1 200 OK\r\n'
                'Content-Type: text/event-stream\r\n'
                'Cache-Control: no-store\r\n'
                'Access-Control-Allow-Origin: *\r\n'
                'Connection: keep-alive\r\n\r\n'
                f'retry: {RETRY_MS}\n\n').encode()
        if self._send(sock, head + self._event()):
            self._streams.add(sock)

    def _allow(self, sock, headers):
        """A browser sending the stream's request with headers of its own
        (a login it keeps sending) asks first (CORS preflight): yes."""
        asked = next((line.split(':', 1)[1].strip() for line in headers
                      if line.lower().startswith(
                          'access-control-request-headers:')), '')
        self._answer_and_close(
            sock, '204 No Content', 'Access-Control-Allow-Origin: *\r\n'
            'Access-Control-Allow-Methods: GET\r\n'
            f'Access-Control-Allow-Headers: {asked}\r\n')

    def _answer_and_close(self, sock, status, headers=''):
        self._reading.pop(sock, None)
        self._send(sock, f'HTTP/1.1 {status}\r\n{headers}Content-Length: '
                         f'0\r\nConnection: close\r\n\r\n'.encode())
        self._drop(sock)

    def _send_all(self, data):
        for sock in list(self._streams):
            self._send(sock, data)

    def _send(self, sock, data):
        """Send all of `data` at once, or drop the connection: a browser
        that cannot take a few bytes is gone, and one that is not
        connects again (``retry``) and gets the latest generation."""
        try:
            sent = sock.send(data)
        except OSError:
            sent = -1
        if sent != len(data):
            self._drop(sock)
            return False
        return True

    def _drop(self, sock):
        self._streams.discard(sock)
        self._reading.pop(sock, None)
        try:
            self._selector.unregister(sock)
        except (KeyError, ValueError):
            pass
        sock.close()
