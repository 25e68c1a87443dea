"""The pure rules of notifications: when a digest leaves, when reminders fall, what makes a row unique."""
from datetime import date, datetime

from maydan.notify import rules

SUNDAY, SATURDAY = date(2026, 11, 29), date(2026, 11, 28)


def test_an_event_wanted_in_a_digest_waits_for_the_next_morning_or_the_next_week():
    assert rules.batch_due("daily", datetime(2026, 11, 30, 6, 59)) == ("daily:2026-11-30", datetime(2026, 11, 30, 7))
    assert rules.batch_due("daily", datetime(2026, 11, 30, 7, 0)) == ("daily:2026-12-01", datetime(2026, 12, 1, 7))
    # Weekly: the next week's first day (Sunday), even from a Sunday afternoon.
    assert rules.batch_due("weekly", datetime(2026, 11, 29, 15)) == ("weekly:2026-12-06", datetime(2026, 12, 6, 7))
    assert rules.batch_due("weekly", datetime(2026, 12, 5, 23)) == ("weekly:2026-12-06", datetime(2026, 12, 6, 7))


def test_weekly_digests_run_on_the_first_day_of_the_week_and_share_its_period():
    assert rules.digest_runs_today("weekly", SUNDAY) and not rules.digest_runs_today("weekly", SATURDAY)
    assert rules.digest_runs_today("daily", SATURDAY) and not rules.digest_runs_today("never", SUNDAY)
    assert rules.period("weekly", date(2026, 12, 2)) == "weekly:2026-11-29"
    assert rules.period("daily", date(2026, 12, 2)) == "daily:2026-12-02"


def test_the_log_reminder_falls_the_day_before_the_sunday_deadline():
    assert rules.log_deadline(date(2026, 11, 24)) == SUNDAY  # the calendar feed's deadline too
    assert rules.log_reminder_due(SATURDAY) and not rules.log_reminder_due(SUNDAY)


def test_evaluation_reminders_three_days_before_and_the_day_after():
    due = date(2026, 12, 10)
    assert [rules.evaluation_reminder(due, date(2026, 12, d)) for d in (6, 7, 8, 10, 11, 12)] == [
        None, "soon", None, None, "overdue", None]


def test_an_agency_is_quiet_when_entries_waited_and_nothing_was_approved_for_a_week():
    today = date(2026, 12, 10)
    assert rules.quiet_since(None, date(2026, 12, 3), today)
    assert not rules.quiet_since(None, date(2026, 12, 4), today)  # waiting six days only
    assert not rules.quiet_since(date(2026, 12, 5), date(2026, 11, 1), today)
    assert rules.quiet_since(date(2026, 12, 3), date(2026, 11, 1), today)
    assert not rules.quiet_since(None, None, today)


def test_the_key_is_the_same_whatever_the_case_of_the_address():
    assert rules.key("k", "Rami@X.example", "entry:1", "p") == rules.key("k", "rami@x.example", "entry:1", "p")
    assert rules.key("k", "a@x", "entry:1", "p") != rules.key("k", "a@x", "entry:2", "p")
