"""Edit this text, click Refresh, reload the demo page."""

GREETING = 'Hello from the refresh demo!'


def greeting(name):
    return f'{GREETING} This page is called {name}.'
