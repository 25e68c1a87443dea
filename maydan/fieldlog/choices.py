"""The log's fixed lists (activity types, modalities, time kinds, statuses, competencies) as a form's options, drawn
once per language and kept for the life of the process.

They show the vocabulary's words in the active language and nothing else: `KEPT` is keyed by the language, the list
and which of its keys is chosen (a posted value that is none of them draws the list with none chosen, as the
template's loop did), never by anything a person wrote.
"""
from django.utils import translation
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString

from .. import vocab

LISTS = {"activity_types": vocab.ACTIVITY_TYPES, "modalities": vocab.MODALITIES, "time_kinds": vocab.TIME_KINDS,
         "statuses": vocab.STATUSES}
# {(language, list, chosen key or None): HTML}; {(language, "competencies"): [(key, unchecked, checked)]}
KEPT = {}


def options(name, chosen):
    """`<option>`s of the list `name`, `chosen` selected: as {% for key, label in list %}<option value="{{ key }}"
    {% if chosen == key %} selected{% endif %}>{{ label }}</option>{% endfor %} drew them."""
    labels = LISTS[name]
    key = (translation.get_language(), name, chosen if isinstance(chosen, str) and chosen in labels else None)
    html = KEPT.get(key)
    if html is None:
        html = KEPT[key] = SafeString("".join(
            f'<option value="{escape(value)}"{" selected" if value == key[2] else ""}>{escape(str(label))}</option>'
            for value, label in labels.items()))
    return html


def competency_checks(checked):
    """The competencies as checkboxes, those in `checked` (their numbers as text) ticked, each on its line as the
    entry form's loop drew them."""
    key = (translation.get_language(), "competencies")
    lines = KEPT.get(key)
    if lines is None:
        lines = KEPT[key] = [(str(number), *(
            f'\n      <label class="maydan-check"><input type="checkbox" name="competencies" value="{escape(number)}"'
            f'{mark}> {escape(localize(number))}. {escape(str(label))}</label>\n      ' for mark in ("", " checked")))
            for number, label in vocab.COMPETENCIES.items()]
    ticked = checked if isinstance(checked, (list, tuple, set, frozenset)) else ()
    return SafeString("".join(on if number in ticked else off for number, off, on in lines))


def category_name(key):
    """A category's name: the label of the time kind or the activity type `key` names, as _category_name.html
    named it (its line included)."""
    return SafeString("".join(escape(str(labels[key])) for labels in (vocab.TIME_KINDS, vocab.ACTIVITY_TYPES)
                              if key in labels) + "\n")
