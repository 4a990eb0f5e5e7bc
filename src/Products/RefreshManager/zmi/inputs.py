"""The form values the actions accept, or why a value is refused.

ZPublisher turns typed fields (``selections:int``, ``enable:boolean``,
``mode:date``, ``:json``, ``:record``...) into values of other types
before an action sees them. Anything that is not what the Refresh tab's
forms send (or a script could mean by it) is refused with a message
that names the field and the accepted values, so a typo neither ends in
a 500 nor silently changes a setting.
"""
from ..settings import MODES


ON = ('on', '1', 'true', 'yes')  # 'on' is what a checked checkbox sends
OFF = ('off', '0', 'false', 'no')
SHOWN = 60  # characters of a refused value repeated in the message


class BadInput(ValueError):
    """Its message says what was wrong and that nothing was changed."""


def _shown(value):
    text = repr(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + '\u2026'


def switch(value, field):
    """A switch field (``enable``, ``zcml``): a checked checkbox or a
    yes-word is on; a no-word, or no field at all (an unchecked checkbox
    sends nothing), is off."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in ON or word in OFF:
            return word in ON
    raise BadInput(
        f'{field} must be one of {", ".join(ON)} (on) or {", ".join(OFF)} '
        f'(off; or no {field} field), not {_shown(value)}. Nothing was '
        f'changed.')


def product_names(value):
    """``selections``: the chosen product names, in order, each once.

    No field at all is refused: clearing the dependents needs the form's
    ``selections:list:default`` marker or an explicit empty value, so a
    script with a misspelled field name does not clear them.
    """
    if value is None:
        raise BadInput(
            'No selections field was sent, so the dependent products were '
            'not changed. To clear them, send an empty selections field '
            '(the form sends selections:list:default).')
    names = [value] if isinstance(value, str) else value
    if not (isinstance(names, (list, tuple))
            and all(isinstance(name, str) for name in names)):
        raise BadInput(
            f'selections must be product names (selections:list), not '
            f'{_shown(value)}. Dependent products were not changed.')
    return [name for name in dict.fromkeys(names) if name]


def refresh_mode(value):
    """``mode``: one of MODES, exactly as the form's radio buttons send."""
    if isinstance(value, str) and value in MODES:
        return value
    given = ('No refresh mode was given' if value is None or value == ''
             else f'Unknown refresh mode {_shown(value)}')
    raise BadInput(f'{given}: choose one of {", ".join(MODES)}. Nothing was '
                   f'changed.')
