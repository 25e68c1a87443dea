"""What each reason a file could not be read means, in the person's language."""
from django.utils.translation import gettext as _

from .. import untrusted
from ..errors import Invalid


def _messages():
    return {
        "empty": _("The file is empty."),
        "not_calendar": _("This is not an iCalendar (.ics) file: it must begin with BEGIN:VCALENDAR."),
        "unreadable": _("The file cannot be read: %(detail)s"),
        "truncated": _("The file is cut short: it must end with END:VCALENDAR."),
        "unknown_zone": _("The time zone “%(zone)s” is neither known nor described in the file."),
        "no_event": _("The invitation holds no event."),
        "no_uid": _("The invitation's event has no UID, so later updates could not find it."),
        "bad_sequence": _("The invitation's SEQUENCE is not a number."),
        "no_start": _("The invitation's event has no start time."),
        "bad_start": _("The invitation's start time cannot be read."),
        "all_day": _("The invitation is for a whole day; a session needs a start time."),
        "bad_duration": _("The invitation's end is not after its start, or the meeting lasts over 16 hours."),
        "bad_rule": _("The repeat rule “%(rule)s” cannot be read."),
        "rule_frequency": _("The repeat rule “%(rule)s” repeats more often than daily; a session meets at most "
                            "once a day."),
        "rule_part": _("The repeat rule “%(rule)s” uses %(part)s, which sessions do not follow."),
        "rule_interval": _("The repeat rule “%(rule)s” needs an interval from 1 to %(max)s."),
        "rule_count": _("The repeat rule “%(rule)s” has more than %(max)s meetings."),
        "rule_position": _("The repeat rule “%(rule)s” names a day (%(value)s) that its months or weeks do not have."),
        "rule_until": _("The repeat rule “%(rule)s” ends before the session starts, or after 2200."),
        "bad_year": _("The date %(value)s is outside the years %(first)s to %(last)s."),
        "bad_length": _("A session lasts from 1 minute to 16 hours."),
        "bad_changes": _("The session's cancelled or moved meetings cannot be read."),
        "too_many_events": _("The invitation holds more than %(max)s events."),
        "no_header": _("No participant list found: the report needs a name column and join times or durations."),
        "no_rows": _("The report lists no participants."),
        "too_many_rows": _("The report has more than %(max)s rows."),
        "no_name": _("Line %(line)s has no participant name."),
        "bad_time": _("Line %(line)s: “%(value)s” is not a date and time."),
        "leave_before_join": _("Line %(line)s: the leave time is before the join time."),
        "bad_minutes": _("Line %(line)s: “%(value)s” is not a duration in minutes."),
        "no_duration": _("Line %(line)s has neither join and leave times nor a duration."),
    }


def refusal(error, field):
    """An Invalid (400) naming the reason, for the form field that carried the file."""
    prefix = _("Nothing was imported.")
    text = f"{describe(error)} {prefix}"
    return Invalid(text, {field: [text]})


def describe(error):
    """Why a file, or a stored session, cannot be read: a FormatError in the person's language."""
    if error.reason == "unreadable_file":
        message = untrusted.message(error.details["error"])
    else:
        message = _messages().get(error.reason, _("The file cannot be read."))
    try:
        message = message % error.details if error.details and error.reason != "unreadable_file" else message
    except (KeyError, TypeError, ValueError):
        pass
    return message
