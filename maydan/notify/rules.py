"""When a notification is due and what makes it unique: plain dates and strings, no Django."""
from datetime import date, datetime, time, timedelta

from ..cohort.rules import week_of

DIGEST_HOUR = time(7, 0)  # digests leave at 07:00 in the course's time zone
WEEK_STARTS = 6  # Sunday: the first working day of the week in Egypt and most of the Arab world
EVALUATION_NOTICE_DAYS = 3
QUIET_DAYS = 7
DEFAULTS = {"agency_digest": "daily", "academic_digest": "daily", "coordinator_digest": "weekly"}
DIGESTS = tuple(DEFAULTS)


def default_cadence(kind):
    return DEFAULTS.get(kind, "now")


def key(kind, address, subject, period):
    """One notification per (recipient, kind, subject, period): writing it twice finds the first."""
    return f"{kind}|{address.lower()}|{subject}|{period}"[:255]


def week_start(day):
    return day - timedelta(days=(day.weekday() - WEEK_STARTS) % 7)


def period(cadence, today):
    """The digest period a day falls in: the day itself, or the week (by its first day)."""
    return f"{cadence}:{(week_start(today) if cadence == 'weekly' else today).isoformat()}"


def digest_runs_today(cadence, today):
    """Daily digests run every day; weekly ones on the first day of the week."""
    return cadence == "daily" or (cadence == "weekly" and today.weekday() == WEEK_STARTS)


def batch_due(cadence, local_now):
    """(batch, local due time) of an event someone wants in a digest: the next 07:00 (daily), or
    the next week's first day at 07:00 (weekly). `local_now` is naive, in the course's time zone."""
    day = local_now.date()
    if cadence == "weekly":
        day = week_start(day) + timedelta(days=7)
    elif local_now.time() >= DIGEST_HOUR:
        day += timedelta(days=1)
    return f"{cadence}:{day.isoformat()}", datetime.combine(day, DIGEST_HOUR)


def log_deadline(today):
    """The weekly log deadline: the Sunday that ends the log's week (Monday to Sunday, as the calendar feed says)."""
    return week_of(today) + timedelta(days=6)


def log_reminder_due(today):
    """Students are reminded the day before the weekly deadline."""
    return today == log_deadline(today) - timedelta(days=1)


def evaluation_reminder(due_on: date, today: date):
    """'soon' three days before an evaluation is due, 'overdue' the day after; else None."""
    if today == due_on - timedelta(days=EVALUATION_NOTICE_DAYS):
        return "soon"
    if today == due_on + timedelta(days=1):
        return "overdue"
    return None


def quiet_since(last_approval: date | None, first_waiting: date | None, today: date):
    """An agency supervisor is quiet when entries have waited and nothing was approved for a week."""
    if first_waiting is None or (today - first_waiting).days < QUIET_DAYS:
        return False
    return last_approval is None or (today - last_approval).days >= QUIET_DAYS
