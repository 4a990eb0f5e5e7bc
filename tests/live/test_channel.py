"""The event stream on its own (no Zope): who gets it, what it sends,
and that a browser going away or misbehaving costs it nothing."""
import socket
import time

import pytest

from Products.RefreshManager.live.channel import MAX_REQUEST
from Products.RefreshManager.live.channel import EventChannel


TOKEN = 'secret-token'


@pytest.fixture
def channel():
    channel = EventChannel('127.0.0.1', 0, TOKEN, keepalive=0.2).start()
    yield channel
    channel.stop()


def connect(channel, target=f'/events?token={TOKEN}', method='GET'):
    client = socket.create_connection(channel.address, timeout=5)
    client.sendall(f'{method} {target} HTTP/1.1\r\nHost: x\r\n'
                   f'Origin: http://127.0.0.1:8080\r\n\r\n'.encode())
    return client


def received(client, until):
    data = b''
    while until not in data:
        chunk = client.recv(4096)
        assert chunk, data
        data += chunk
    return data


def wait_for(condition):
    deadline = time.monotonic() + 5
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_a_follower_gets_the_generation_now_and_each_new_one(channel):
    client = connect(channel)
    head = received(client, b'data: 0\n\n').decode()
    assert head.startswith('HTTP/1.1 200 OK\r\n')
    assert 'Content-Type: text/event-stream\r\n' in head
    assert 'Access-Control-Allow-Origin: *\r\n' in head
    assert 'retry: 500\n\n' in head
    wait_for(lambda: channel.listeners() == 1)
    channel.publish(3)
    assert received(client, b'data: 3\n\n').endswith(b'data: 3\n\n')


def test_a_burst_ends_at_its_latest(channel):
    client = connect(channel)
    received(client, b'data: 0\n\n')
    wait_for(lambda: channel.listeners() == 1)
    for generation in range(1, 6):
        channel.publish(generation)
    data = received(client, b'data: 5\n\n')
    sent = [int(line[6:]) for line in data.decode().split('\n')
            if line.startswith('data: ')]
    assert sent == sorted(sent) and sent[-1] == 5


def test_an_idle_stream_hears_a_comment_now_and_then(channel):
    client = connect(channel)
    received(client, b'data: 0\n\n')
    assert received(client, b': still here\n\n')


@pytest.mark.parametrize('target, method, status', [
    ('/events?token=wrong', 'GET', '403 Forbidden'),
    ('/events', 'GET', '403 Forbidden'),
    (f'/other?token={TOKEN}', 'GET', '403 Forbidden'),
    (f'/events?token={TOKEN}', 'POST', '405 Method Not Allowed'),
])
def test_others_are_refused_and_closed(channel, target, method, status):
    client = connect(channel, target, method)
    answer = client.recv(4096).decode()
    assert answer.startswith(f'HTTP/1.1 {status}\r\n')
    assert client.recv(4096) == b''  # closed
    assert channel.listeners() == 0


def test_an_endless_request_is_refused(channel):
    client = socket.create_connection(channel.address, timeout=5)
    client.sendall(b'GET /events HTTP/1.1\r\n'
                   + b'X: ' + b'a' * MAX_REQUEST + b'\r\n')
    assert client.recv(4096).startswith(
        b'HTTP/1.1 431 Request Header Fields Too Large')


def test_a_browser_that_goes_away_is_forgotten(channel):
    clients = [connect(channel) for _ in range(3)]
    for client in clients:
        received(client, b'data: 0\n\n')
    wait_for(lambda: channel.listeners() == 3)
    clients[0].close()
    wait_for(lambda: channel.listeners() == 2)
    channel.publish(1)
    for client in clients[1:]:
        received(client, b'data: 1\n\n')


def test_stopping_closes_every_connection():
    channel = EventChannel('127.0.0.1', 0, TOKEN).start()
    client = connect(channel)
    received(client, b'data: 0\n\n')
    channel.stop()
    assert client.recv(4096) == b''
    with pytest.raises(OSError):
        socket.create_connection(channel.address, timeout=1)


def test_a_browser_asking_first_is_allowed(channel):
    client = socket.create_connection(channel.address, timeout=5)
    client.sendall(f'OPTIONS /events?token={TOKEN} HTTP/1.1\r\nHost: x\r\n'
                   f'Access-Control-Request-Method: GET\r\n'
                   f'Access-Control-Request-Headers: authorization\r\n'
                   f'\r\n'.encode())
    answer = client.recv(4096).decode()
    assert answer.startswith('HTTP/1.1 204 No Content\r\n')
    assert 'Access-Control-Allow-Headers: authorization\r\n' in answer
    assert 'Access-Control-Allow-Origin: *\r\n' in answer
