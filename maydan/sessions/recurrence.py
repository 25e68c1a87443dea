"""When a session meets: one-off or weekly, in the course's time zone. Pure Python.

A recurring session keeps its wall-clock time: a Tuesday 18:00 class in Cairo is at
18:00 before and after the summer-time change (Egypt has summer time again since 2023),
so the instant in UTC moves by an hour. Rules are expanded on naive local times, then
each occurrence is placed in the zone.
"""
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr

from .. import untrusted
from .errors import FormatError

DEFAULT_ZONE = "Africa/Cairo"
MAX_OCCURRENCES = 520  # ten years of weekly meetings
MAX_MINUTES = 16 * 60
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FIRST_YEAR, LAST_YEAR = untrusted.FIRST_YEAR, untrusted.LAST_YEAR
# A session meets at most daily. Within these parts every rule meets again within months, so
# expanding one never spins through empty centuries (dateutil would, for FREQ=DAILY;BYMONTH=2;
# BYMONTHDAY=30, until the year 9999).
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
RULE_PARTS = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "WKST")
MAX_INTERVAL = 52
_BYDAY = re.compile(r"^([+-]?)(\d{1,3})?(MO|TU|WE|TH|FR|SA|SU)$")


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


def check_rule(rule, local_start=None):
    """The rule, normalised, or FormatError saying why a session cannot follow it.

    Only what a session needs: FREQ daily to yearly, INTERVAL, COUNT up to MAX_OCCURRENCES,
    UNTIL (not before the start, not after LAST_YEAR), BYDAY (a position only within a
    month or year), BYMONTHDAY, WKST.
    """
    rule = (rule or "").strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[6:]
    if not rule:
        return ""
    rule, shown = rule.upper(), rule[:80]
    parts = {}
    for piece in rule.split(";"):
        name, _sep, value = piece.partition("=")
        if not name or not value or name in parts:
            raise FormatError("bad_rule", rule=shown)
        parts[name] = value
    unknown = [name for name in parts if name not in RULE_PARTS]
    if unknown:
        raise FormatError("rule_part", rule=shown, part=unknown[0][:20])
    frequency = parts.get("FREQ")
    if frequency in ("SECONDLY", "MINUTELY", "HOURLY"):
        raise FormatError("rule_frequency", rule=shown)
    if frequency not in FREQUENCIES:
        raise FormatError("bad_rule", rule=shown)
    _number(parts, "INTERVAL", MAX_INTERVAL, "rule_interval", shown)
    _number(parts, "COUNT", MAX_OCCURRENCES, "rule_count", shown)
    for day in parts.get("BYDAY", "").split(",") if "BYDAY" in parts else ():
        match = _BYDAY.match(day)
        if not match:
            raise FormatError("bad_rule", rule=shown)
        position = int(match.group(2) or 0)
        most = {"MONTHLY": 5, "YEARLY": 53}.get(frequency, 0)
        if (match.group(2) is not None and position == 0) or position > most:
            raise FormatError("rule_position", rule=shown, value=day)
    filtered = "BYMONTHDAY" in parts or ("BYDAY" in parts and frequency != "WEEKLY")
    if filtered and parts.get("INTERVAL", "1") != "1":
        # Every 7th day that is a Tuesday, every 12th month that has a 31st: such filters may never meet
        # the days an interval steps on.
        raise FormatError("rule_interval", rule=shown, max=1)
    if "BYMONTHDAY" in parts and re.search(r"\d", parts.get("BYDAY", "")):
        # "the fifth Monday that is the 1st" never comes: a position and a month day never go together
        raise FormatError("rule_position", rule=shown, value=parts["BYDAY"][:20])
    for day in parts.get("BYMONTHDAY", "").split(",") if "BYMONTHDAY" in parts else ():
        if frequency not in ("MONTHLY", "YEARLY") or not re.match(r"^[+-]?\d{1,2}$", day) or not 1 <= abs(int(day)) <= 31:
            raise FormatError("rule_position", rule=shown, value=day)
    try:
        parsed = rrulestr(rule, dtstart=local_start or datetime(2000, 1, 1), ignoretz=True)
    except (ValueError, TypeError, IndexError, OverflowError):
        raise FormatError("bad_rule", rule=shown)
    until = parsed._until
    if until is not None and (until.year > LAST_YEAR or (local_start is not None and until < local_start)):
        raise FormatError("rule_until", rule=shown)
    return rule


def _number(parts, name, most, reason, shown):
    if name in parts and not (parts[name].isdigit() and 1 <= int(parts[name]) <= most):
        raise FormatError(reason, rule=shown, max=most)


def check_series(local_start, zone, rule="", *, exceptions=None, minutes=None):
    """FormatError unless a session's stored times can be expanded and shown: dates within
    FIRST_YEAR..LAST_YEAR, a known zone, a rule of `check_rule`, readable changed meetings."""
    check_moment(local_start)
    check_zone(zone)
    if minutes is not None and not (isinstance(minutes, int) and 1 <= minutes <= MAX_MINUTES):
        raise FormatError("bad_length")
    check_rule(rule, wall_clock(local_start, zone))
    if not isinstance(exceptions or {}, dict):
        raise FormatError("bad_changes")
    for original, new in (exceptions or {}).items():
        for value in (original, new) if new is not None else (original,):
            try:
                check_moment(datetime.fromisoformat(value))
            except (TypeError, ValueError):
                raise FormatError("bad_changes")


def check_moment(moment):
    """FormatError unless `moment` (a date or datetime) falls within FIRST_YEAR..LAST_YEAR."""
    if not isinstance(moment, date) or not untrusted.plausible_year(moment):
        raise FormatError("bad_year", value=str(moment)[:32], first=FIRST_YEAR, last=LAST_YEAR)


def known_zone(zone):
    """`zone` when it is a known zone, else DEFAULT_ZONE: for what the course shows beside its sessions."""
    try:
        check_zone(zone)
    except FormatError:
        return DEFAULT_ZONE
    return zone


def check_zone(zone):
    try:
        ZoneInfo(str(zone))
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        raise FormatError("unknown_zone", zone=str(zone)[:64])


def localize(local_start, zone):
    """A naive wall-clock time in `zone` as an aware datetime.

    A time that does not exist (skipped by the spring change) moves forward by the gap,
    as calendar programs do; a repeated autumn time takes its first occurrence.
    """
    check_moment(local_start)  # beyond these years the conversion below would overflow
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
    check_series(local_start, zone, rule, exceptions=exceptions)
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
            if start.year > LAST_YEAR:
                break
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
