"""Reading a meeting invitation (.ics) as Zoom, Google Calendar or Outlook send it. Pure Python.

Only what a session needs is taken: UID and SEQUENCE (an update carries the same UID and
a higher SEQUENCE), METHOD:CANCEL or STATUS:CANCELLED, the start in its own time zone
(TZID with a VTIMEZONE, UTC, or floating = the course's zone), the end or duration, a
weekly RRULE, the meeting link and passcode, and single meetings of the series cancelled
(EXDATE, or a RECURRENCE-ID event cancelled) or moved (a RECURRENCE-ID event with another
start). Anything unreadable raises FormatError and nothing is taken from the file.
"""
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
from icalendar.error import InvalidCalendar

from .. import untrusted
from . import meetinglinks, recurrence
from .errors import FormatError

MAX_BYTES = 1_000_000
MAX_EVENTS = 200
MAX_CHANGES = recurrence.MAX_OCCURRENCES  # cancelled or moved meetings of one series
MAX_MINUTES = recurrence.MAX_MINUTES

# Outlook writes Windows zone names; the ones this product's users meet most.
WINDOWS_ZONES = {
    "Egypt Standard Time": "Africa/Cairo",
    "Arab Standard Time": "Asia/Riyadh",
    "Arabian Standard Time": "Asia/Dubai",
    "Jordan Standard Time": "Asia/Amman",
    "Syria Standard Time": "Asia/Damascus",
    "Middle East Standard Time": "Asia/Beirut",
    "Morocco Standard Time": "Africa/Casablanca",
    "W. Central Africa Standard Time": "Africa/Lagos",
    "Arabic Standard Time": "Asia/Baghdad",
    "Libya Standard Time": "Africa/Tripoli",
    "South Africa Standard Time": "Africa/Johannesburg",
    "GMT Standard Time": "Europe/London",
    "W. Europe Standard Time": "Europe/Berlin",
    "Romance Standard Time": "Europe/Paris",
    "Eastern Standard Time": "America/New_York",
    "Pacific Standard Time": "America/Los_Angeles",
    "UTC": "UTC",
}


@dataclass(frozen=True)
class MeetingChange:
    """One meeting of a series: `original` is when the series puts it; `start` where it moved, None if cancelled."""

    original: datetime  # aware
    start: datetime | None  # aware


@dataclass(frozen=True)
class InvitedEvent:
    uid: str
    sequence: int
    cancelled: bool
    title: str
    agenda: str
    start: datetime  # aware
    zone: str
    minutes: int
    rule: str
    link: str
    passcode: str
    # The series' single meetings this file cancels or moves: the whole list, replacing any kept.
    changes: tuple = field(default=())


@dataclass(frozen=True)
class ChangedMeetings:
    """A file about single meetings of a series it does not include (as Outlook sends
    "cancel this occurrence"): the changes add to the session's own."""

    uid: str
    sequence: int
    changes: tuple


def parse(data, *, default_zone=recurrence.DEFAULT_ZONE):
    """(method, [InvitedEvent]) from the bytes or text of an .ics file."""
    try:
        data = untrusted.text_of(data, max_bytes=MAX_BYTES, max_chars=MAX_BYTES).strip()
    except untrusted.Unreadable as error:
        raise FormatError("unreadable_file", error=error) from None
    if not data:
        raise FormatError("empty")
    if not data.upper().startswith("BEGIN:VCALENDAR"):
        raise FormatError("not_calendar")
    if not data.upper().endswith("END:VCALENDAR"):
        raise FormatError("truncated")
    # Counted before parsing: each event is expanded and checked on its own.
    if data.upper().count("BEGIN:VEVENT") > MAX_EVENTS:
        raise FormatError("too_many_events", max=MAX_EVENTS)
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as error:
        raise FormatError("unreadable", detail=str(error)[:200])
    method = str(calendar.get("METHOD", "PUBLISH")).upper()
    events = [component for component in calendar.walk("VEVENT")]
    if not events:
        raise FormatError("no_event")
    singles = {}  # uid -> [MeetingChange] from RECURRENCE-ID events
    for event in events:
        if event.get("RECURRENCE-ID") is not None:
            uid = _uid(event)
            singles.setdefault(uid, []).append(_single_change(event, method, default_zone, uid))
    items = []
    for event in events:
        if event.get("RECURRENCE-ID") is None:
            item = _event(event, method, default_zone)
            exdates = [MeetingChange(original, None) for original in _exdates(event, item.zone, item.uid)]
            items.append(replace(item, changes=_checked(exdates + singles.pop(item.uid, []))))
    items += [ChangedMeetings(uid, max(_sequence(e, uid) for e in events if _uid(e) == uid), _checked(changes))
              for uid, changes in singles.items()]
    return method, items


def _checked(changes):
    """The changed meetings of one series, each within the years a session may meet."""
    if len(changes) > MAX_CHANGES:
        raise FormatError("bad_changes")
    for change in changes:
        for moment in (change.original, change.start) if change.start else (change.original,):
            recurrence.check_moment(moment)
    return tuple(changes)


def _uid(event):
    uid = str(event.get("UID") or "").strip()
    if not uid:
        raise FormatError("no_uid")
    return uid


def _sequence(event, uid):
    try:
        return int(event.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        raise FormatError("bad_sequence", uid=uid)


def _aware(prop, default_zone, uid, code="bad_start"):
    """A DTSTART-like property as an aware datetime (a floating time is in `default_zone`)."""
    try:
        value = prop.dt
    except (AttributeError, InvalidCalendar):
        raise FormatError(code, uid=uid)
    if not isinstance(value, datetime):
        raise FormatError("all_day", uid=uid)
    if value.tzinfo is None:
        value = recurrence.localize(value, _zone(prop, value, default_zone))
    return value


def _single_change(event, method, default_zone, uid):
    original = _aware(event["RECURRENCE-ID"], default_zone, uid)
    if method == "CANCEL" or str(event.get("STATUS", "")).upper() == "CANCELLED":
        return MeetingChange(original, None)
    if event.get("DTSTART") is None:
        raise FormatError("no_start", uid=uid)
    return MeetingChange(original, _aware(event["DTSTART"], default_zone, uid))


def _exdates(event, zone, uid):
    """The series' cancelled meetings (EXDATE), aware."""
    found = event.get("EXDATE")
    for prop in found if isinstance(found, list) else [found] if found is not None else []:
        for value in getattr(prop, "dts", []):
            value.params = value.params or prop.params  # the TZID is on the property
            yield _aware(value, zone, uid)


def _event(event, method, default_zone):
    uid = _uid(event)
    sequence = _sequence(event, uid)
    start_prop = event.get("DTSTART")
    if start_prop is None:
        raise FormatError("no_start", uid=uid)
    try:
        start = start_prop.dt
    except (AttributeError, InvalidCalendar):
        raise FormatError("bad_start", uid=uid)
    if not isinstance(start, datetime):
        raise FormatError("all_day", uid=uid)
    recurrence.check_moment(start)
    zone = _zone(start_prop, start, default_zone)
    local = recurrence.wall_clock(start, zone)
    start = recurrence.localize(local, zone)
    minutes = _minutes(event, start, uid)
    rule = ""
    if event.get("RRULE") is not None:
        rule = recurrence.check_rule(event["RRULE"].to_ical().decode(), local)
    status = str(event.get("STATUS", "")).upper()
    texts = {name: _text(event.get(name)) for name in meetinglinks.PROPERTIES}
    return InvitedEvent(
        uid=uid,
        sequence=sequence,
        cancelled=method == "CANCEL" or status == "CANCELLED",
        title=_text(event.get("SUMMARY")).strip()[:255],
        agenda=_text(event.get("DESCRIPTION")).strip()[:5000],
        start=start,
        zone=zone,
        minutes=minutes,
        rule=rule,
        link=meetinglinks.find_link(texts)[:500],
        passcode=meetinglinks.find_passcode(texts)[:64],
    )


def _zone(prop, start, default_zone):
    """The IANA zone the invitation means: its TZID (Windows names mapped), UTC, or the course's."""
    tzid = prop.params.get("TZID")
    if tzid:
        name = WINDOWS_ZONES.get(str(tzid), str(tzid))
        try:
            ZoneInfo(name)
            return name
        except (ZoneInfoNotFoundError, ValueError):
            if start.tzinfo is None:  # a zone neither known nor defined in the file: the time is unknowable
                raise FormatError("unknown_zone", zone=str(tzid)[:64])
    key = getattr(start.tzinfo, "key", None)
    if key and key != "UTC":
        return WINDOWS_ZONES.get(key, key)
    return default_zone  # floating or UTC: shown in the course's zone


def _minutes(event, start, uid):
    if event.get("DTEND") is not None:
        try:
            end = event["DTEND"].dt
        except InvalidCalendar:
            raise FormatError("bad_duration", uid=uid)
        if not isinstance(end, datetime):
            raise FormatError("all_day", uid=uid)
        if end.tzinfo is None:
            end = recurrence.localize(end, start.tzinfo.key)
        delta = end - start
    elif event.get("DURATION") is not None:
        delta = event["DURATION"].dt
    else:
        delta = timedelta(hours=1)
    minutes = int(delta.total_seconds() // 60)
    if not 1 <= minutes <= MAX_MINUTES:
        raise FormatError("bad_duration", uid=uid)
    return minutes


def _text(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)
