"""Reading what a person posted, with bounds: one place per kind of value.

Every id, number, date and JSON text that arrives from a form or a request body goes
through here, so odd input (`abc`, `1e400`, `nan`, `²`, year 1 or 9999, an id too big for
the database, JSON nested a hundred thousand deep) is refused at once with a message in the
person's language, instead of surfacing as a 500 or a request that never ends.
"""
import math
from datetime import date, datetime, time

from django.utils.translation import gettext as _

from . import numbers, untrusted
from .errors import Invalid, NotFound

# Database ids are signed 64-bit integers (PostgreSQL bigint, SQLite INTEGER).
MAX_ID = 2**63 - 1
# One pasted text (a comment, a CSV or invitation pasted into a box), in characters.
MAX_FIELD_CHARS = 1_000_000
# A JSON body or JSON text field: characters, and how deep objects and lists may nest.
MAX_JSON_CHARS = 1_000_000
MAX_JSON_DEPTH = 32


def _text(value):
    """The posted value as one stripped string; a list where one value belongs is no value."""
    if isinstance(value, (list, tuple, dict)):
        return None
    return "" if value is None else str(value).strip()


def parse_id(value, message=None):
    """A database id (1 to 2**63-1) written in ASCII digits; NotFound otherwise, as no such record exists."""
    text = _text(value)
    if text and text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID:
        return int(text)
    raise NotFound(message or _("This record does not exist."))


def optional_id(value):
    """An id, or None when the value is not one (a filter or a query that simply finds nothing)."""
    try:
        return parse_id(value)
    except NotFound:
        return None


def parse_int(value, *, low, high, message, field=None):
    """A whole number from `low` to `high`; Invalid (naming `field`) otherwise."""
    number = parse_number(value, low=low, high=high, message=message, field=field)
    if number != int(number):
        raise _invalid(message, field)
    return int(number)


def parse_number(value, *, low, high, message, field=None):
    """A finite number from `low` to `high`, as people type it ("90", "1.5", "10,5", "١٠٫٥"; the
    reading is numbers.parse's); never nan, inf or 1e400."""
    text = _text(value)
    if isinstance(value, bool) or not text or len(text) > 40:
        raise _invalid(message, field)
    try:
        number = numbers.parse(text)
    except ValueError:
        raise _invalid(message, field)
    if not low <= number <= high:
        raise _invalid(message, field)
    return number


def optional_number(value, *, low=-math.inf, high=math.inf):
    """A finite number within bounds, or None (for a caller that words its own message)."""
    try:
        return parse_number(value, low=low, high=high, message="")
    except Invalid:
        return None


def parse_date(value, *, message, field=None):
    """A YYYY-MM-DD date in the years untrusted.FIRST_YEAR..LAST_YEAR; `message` says how to write one."""
    return _within_years(_iso(value, date.fromisoformat, 10), message, field)


def optional_date(value):
    """A date within bounds, or None (a filter that is empty or odd shows everything)."""
    try:
        return parse_date(value, message="")
    except Invalid:
        return None


def parse_datetime(value, *, message, field=None):
    """An ISO date and time (as the screens post a meeting), in the years untrusted.FIRST_YEAR..LAST_YEAR."""
    return _within_years(_iso(value, datetime.fromisoformat, 40), message, field)


def parse_time(value, *, message, field=None):
    """An HH:MM (or HH:MM:SS) time of day."""
    found = _iso(value, time.fromisoformat, 15)
    if found is None:
        raise _invalid(message, field)
    return found


def _iso(value, read, longest):
    """`read(text)` of an ISO text no longer than `longest`, or None."""
    text = _text(value)
    try:
        return read(text) if text and len(text) <= longest else None
    except ValueError:
        return None


def _within_years(found, message, field):
    if found is None:
        raise _invalid(message, field)
    if not untrusted.plausible_year(found):
        raise _invalid(_("The date %(value)s is outside the years %(first)s to %(last)s.") % {
            "value": found.isoformat(), "first": untrusted.FIRST_YEAR, "last": untrusted.LAST_YEAR}, field)
    return found


def parse_json(text, *, message=None, field=None, max_chars=MAX_JSON_CHARS, max_depth=MAX_JSON_DEPTH):
    """A JSON document from text or bytes, read by the one reader of untrusted content (size before parsing,
    then depth); Invalid saying why, or `message` for text that is not JSON."""
    try:
        return untrusted.load_json(text, max_depth=max_depth, max_chars=max_chars)
    except untrusted.Unreadable as error:
        raise _invalid(message if message and error.kind == "not_json" else untrusted.message(error), field)


def check_form(form):
    """Refuse a posted form that no screen could store: a field over MAX_FIELD_CHARS, or a NUL character
    (PostgreSQL cannot store it; no one types it)."""
    for key in form:
        values = form.getlist(key) if hasattr(form, "getlist") else [form[key]]
        for value in [key, *values]:
            if not isinstance(value, str):
                continue
            if len(value) > MAX_FIELD_CHARS:
                raise _invalid(_("A field of this form is too long: at most %(max)s characters.")
                               % {"max": f"{MAX_FIELD_CHARS:,}"}, str(key)[:64])
            if "\x00" in value:
                raise _invalid(_("The form contains a character that cannot be stored (NUL). Type or paste the text "
                                 "again."), str(key)[:64])


def _invalid(message, field):
    return Invalid(message, {field: [message]} if field else None)
