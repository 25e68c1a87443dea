"""Turns what a person typed into a clean log entry, or says clearly what is wrong.

Every message is in the active language; nothing is stored until all of it is right.
"""
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from .. import parse, privacy, vocab
from . import hours
from ..errors import Invalid

MAX_TEXT = 20_000
FREE_TEXT_FIELDS = ("description", "reflection")

_KIND_LABELS = {
    privacy.NATIONAL_ID: lambda: _("a national ID number"),
    privacy.PHONE: lambda: _("a phone number"),
    privacy.EMAIL: lambda: _("an e-mail address"),
    privacy.NAME: lambda: _("what looks like a person's name"),
    privacy.ADDRESS: lambda: _("a street address"),
}
_CONTEXT = 40  # characters shown either side of a highlighted identifier


class IdentifierMessage(str):
    """A refusal naming one identifier. As text it quotes what was found (JSON answers, plain
    pages); a screen also shows it highlighted where it stands (the `_identifier_found.html`
    partial). It lives only in the answer to the request that was refused."""

    def __new__(cls, text, finding):
        what = _KIND_LABELS[finding.kind]()
        message = super().__new__(cls, _(
            "Remove %(what)s (“%(found)s”) and refer to the client by a code such as C-014."
        ) % {"what": what, "found": finding.text})
        message.kind = finding.kind
        message.highlighted = _(
            "Found %(what)s, highlighted below. Refer to the client by a code such as C-014 instead."
        ) % {"what": what}
        message.excerpt = _excerpt(text, finding.start, finding.end)
        return message


def _excerpt(text, start, end):
    """(before, found, after): the finding with a few words either side, cut at spaces."""
    before, after = text[max(0, start - _CONTEXT):start], text[end:end + _CONTEXT]
    if start > _CONTEXT:
        before = "…" + before.split(" ", 1)[-1]
    if end + _CONTEXT < len(text):
        after = after.rsplit(" ", 1)[0] + "…"
    return before, text[start:end], after


def today_in(time_zone):
    return datetime.now(ZoneInfo(time_zone)).date()


def identifier_errors(text):
    """Messages naming each identifier found, so the writer can replace it with a client code."""
    return [IdentifierMessage(text, f) for f in privacy.find_identifiers(text)]


def text_problems(text):
    """What is wrong with a free text someone wrote: too long, or naming a client."""
    if len(text) > MAX_TEXT:
        return [_("This text is too long: at most %(max)s characters.") % {"max": f"{MAX_TEXT:,}"}]
    return identifier_errors(text)


def check_text(text, field, *, required=False, missing=""):
    """A free text, stripped; Invalid naming `field` when missing (and required), too long or naming a client."""
    text = (text or "").strip()
    errors = [missing] if required and not text else []
    errors += text_problems(text)
    if errors:
        raise Invalid(errors[0], {field: errors})
    return text


def check_comment(text, *, required=False):
    return check_text(text, "comment", required=required,
                      missing=_("Please write a comment: the student needs to know why."))


def clean_entry(data, *, time_zone):
    """Validate raw form values (strings); return model field values or raise Invalid."""
    errors = {}
    clean = {}

    def fail(field, message):
        errors.setdefault(field, []).append(message)

    raw_date = (data.get("date") or "").strip()
    try:
        clean["date"] = parse.parse_date(
            raw_date, message=_("Enter the date as YYYY-MM-DD.") if raw_date else _("Enter the date of the activity."))
    except Invalid as refusal:
        fail("date", refusal.message)
    else:
        if clean["date"] > today_in(time_zone):
            fail("date", _("The date is in the future: log activities once they have happened."))

    start, end = (_parse_time(data.get(k), k, fail) for k in ("start_time", "end_time"))
    clean["start_time"], clean["end_time"] = start, end
    if start and end:
        minutes = hours.minutes_between(start, end)
        if minutes <= 0:
            fail("end_time", _("The end time must be after the start time."))
            minutes = None
    elif start or end:
        fail("end_time" if start else "start_time", _("Give both the start and the end time, or only a duration."))
        minutes = None
    else:
        minutes = _parse_duration(data.get("duration"), fail)
    if minutes is not None and not hours.MIN_MINUTES <= minutes <= hours.MAX_MINUTES:
        fail("duration", _("An entry lasts from 1 minute to 16 hours; split longer days into several entries."))
    clean["minutes"] = minutes

    for field, choices, message in (
        ("activity_type", vocab.ACTIVITY_TYPES, _("Choose the type of activity.")),
        ("modality", vocab.MODALITIES, _("Choose in person, remote or hybrid.")),
        ("time_kind", vocab.TIME_KINDS, _("Choose direct or indirect time.")),
    ):
        value = (data.get(field) or "").strip()
        if value not in choices:
            fail(field, message)
        clean[field] = value

    link = (data.get("meeting_link") or "").strip()
    if link:
        try:
            URLValidator(schemes=["https", "http"])(link)
        except ValidationError:
            fail("meeting_link", _("The meeting link must be a web address starting with https://."))
        if clean.get("modality") not in vocab.REMOTE_MODALITIES:
            fail("meeting_link", _("A meeting link belongs to a remote or hybrid activity."))
    clean["meeting_link"] = link

    clean["competencies"] = _parse_competencies(data, fail)

    code = (data.get("client_code") or "").strip()
    if code and not privacy.is_client_code(code):
        fail("client_code", _("A client code is short, without spaces, and never a name, phone or ID (e.g. C-014)."))
    clean["client_code"] = code

    agency = (data.get("agency") or "").strip()
    if len(agency) > 255:
        fail("agency", _("The agency name is too long: at most 255 characters."))
    clean["agency"] = agency

    for field in FREE_TEXT_FIELDS:
        text = (data.get(field) or "").strip()
        for message in text_problems(text):
            fail(field, message)
        clean[field] = text

    if errors:
        first = next(iter(errors.values()))[0]
        raise Invalid(first, errors)
    return clean


def _parse_time(value, field, fail):
    value = (value or "").strip()
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        fail(field, _("Enter the time as HH:MM, e.g. 09:30."))
        return None


def _parse_duration(value, fail):
    """Minutes from "90" (minutes) or "1:30" (hours and minutes)."""
    value = (value or "").strip()
    if not value:
        fail("duration", _("Give the start and end time, or the duration."))
        return None
    try:
        if ":" in value:
            h, m = value.split(":")
            if not 0 <= int(m) < 60:
                raise ValueError
            return int(h) * 60 + int(m)
        return int(value)
    except ValueError:
        fail("duration", _("Enter the duration in minutes (e.g. 90) or as hours:minutes (e.g. 1:30)."))
        return None


def _parse_competencies(data, fail):
    values = data.getlist("competencies") if hasattr(data, "getlist") else data.get("competencies") or []
    if isinstance(values, str):
        values = [values]
    try:
        picked = sorted({int(v) for v in values if str(v).strip()})
    except ValueError:
        picked = None
    if picked is None or any(c not in vocab.COMPETENCIES for c in picked):
        fail("competencies", _("Choose competencies from the list."))
        return []
    return picked
