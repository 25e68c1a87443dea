"""What each reason a file could not be read means, in the person's language."""
from django.utils.translation import gettext as _

from ..errors import Invalid


def _messages():
    return {
        "too_big": _("The file is too large."),
        "not_utf8": _("The file is not text (UTF-8). Export it again from the meeting service."),
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
    message = _messages().get(error.reason, _("The file cannot be read."))
    try:
        message = message % error.details if error.details else message
    except (KeyError, TypeError, ValueError):
        pass
    prefix = _("Nothing was imported.")
    text = f"{message} {prefix}"
    return Invalid(text, {field: [text]})
