"""Counts in words, for messages and the log: '1 module', '3 modules'."""


def count(number, noun):
    return f'{number} {noun}' if number == 1 else f'{number} {noun}s'
