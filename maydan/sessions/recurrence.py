"""When a session meets: one-off or weekly, in the course's time zone. Pure Python.

A recurring session keeps its wall-clock time: a Tuesday 18:00 class in Cairo is at
18:00 before and after the summer-time change (Egypt has summer time again since 2023),
so the instant in UTC moves by an hour. Rules are expanded on naive local times, then
each occurrence is placed in the zone.
"""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from .errors import FormatError

DEFAULT_ZONE = "Africa/Cairo"
MAX_OCCURRENCES = 520  # ten years of weekly meetings
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def weekly_rule(*, count=None, until=None, interval=1):
    """An RRULE value for a weekly session: `count` meetings, or until a local date."""
    parts = ["FREQ=WEEKLY"]
    if interval and int(interval) > 1:
        parts.append(f"INTERVAL={int(interval)}")
    if count:
        parts.append(f"COUNT={int(count)}")
    elif until:
        parts.append(f"UNTIL={until.strftime('%Y%m%d')}T235959")
    return ";".join(parts)


def check_rule(rule):
    """The rule, normalised, or FormatError: one FREQ, bounded or not, that dateutil understands."""
    rule = (rule or "").strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[6:]
    if not rule:
        return ""
    try:
        rrulestr(rule, dtstart=datetime(2000, 1, 1), ignoretz=True)
    except (ValueError, TypeError):
        raise FormatError("bad_rule", rule=rule)
    return rule.upper()


def localize(local_start, zone):
    """A naive wall-clock time in `zone` as an aware datetime.

    A time that does not exist (skipped by the spring change) moves forward by the gap,
    as calendar programs do; a repeated autumn time takes its first occurrence.
    """
    tz = ZoneInfo(zone)
    aware = local_start.replace(tzinfo=tz, fold=0)
    round_trip = aware.astimezone(ZoneInfo("UTC")).astimezone(tz).replace(tzinfo=None)
    if round_trip != local_start:  # in the gap: fold=0 gives the pre-change offset
        aware = (aware.astimezone(ZoneInfo("UTC"))).astimezone(tz)
    return aware


def wall_clock(moment, zone):
    """The naive wall-clock time in `zone` of an aware moment (a naive one is taken as already there)."""
    return moment if moment.tzinfo is None else moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def occurrence_key(local):
    """How a meeting is named among a session's exceptions: its original wall-clock start."""
    return local.strftime("%Y-%m-%dT%H:%M")


def occurrences(local_start, zone, rule="", *, after=None, before=None, limit=MAX_OCCURRENCES, exceptions=None):
    """Aware start times of a session's meetings, optionally within [after, before).

    `exceptions` changes single meetings, as calendars do (EXDATE, RECURRENCE-ID): the key is a
    meeting's original start (occurrence_key); None cancels it, another local start moves it.
    """
    local_start = wall_clock(local_start, zone)
    exceptions = exceptions or {}
    # A meeting moved earlier may come from beyond `before`: look that much further.
    reach = max((abs(datetime.fromisoformat(new) - datetime.fromisoformat(old)) for old, new in exceptions.items()
                 if new), default=timedelta(0))
    if not rule:
        starts = [local_start]
    else:
        rrule = rrulestr(check_rule(rule), dtstart=local_start, ignoretz=True)
        starts = []
        for start in rrule:
            starts.append(start)
            if len(starts) >= limit:
                break
            if before is not None and localize(start, zone) >= before + reach:
                break
    result = sorted(localize(start, zone) for start in _as_changed(starts, exceptions))
    return [s for s in result if (after is None or s >= after) and (before is None or s < before)]


def _as_changed(starts, exceptions):
    for start in starts:
        key = occurrence_key(start)
        if key not in exceptions:
            yield start
        elif exceptions[key]:
            yield datetime.fromisoformat(exceptions[key])


def occurrence_near(local_start, zone, rule, moment, *, slack=timedelta(hours=12), exceptions=None):
    """The meeting whose start is closest to `moment` (within `slack`), or None: which meeting a report is about."""
    found = occurrences(local_start, zone, rule, after=moment - slack, before=moment + slack, exceptions=exceptions)
    return min(found, key=lambda s: abs(s - moment), default=None)
