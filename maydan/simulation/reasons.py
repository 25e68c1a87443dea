"""The reasons the validator and the condition language give, kept translatable without Django.

A reason is a catalog message (marked with `gettext_noop`, the name makemessages reads) and its values;
`render` writes it in English here, or in the reader's language where it is shown (services.describe_here).
"""


def gettext_noop(message):
    return message


def render(template, params, translate=str):
    """A reason's text: its template (translated by `translate`) filled with its values, a value that is
    itself a (template, values) pair rendered the same way first."""
    if not params:
        return translate(template)
    return translate(template) % {key: render(*value, translate) if isinstance(value, tuple) else value
                                  for key, value in params.items()}
