"""Odd sessions: refused at import and on the form with the reason; stored anyway, they break no screen or feed."""
import time
from datetime import date, datetime, time as clock

import icalendar
import pytest
from django.test import Client
from django.utils import translation
from html import unescape

from maydan.errors import Invalid
from maydan.sessions import attendance, calendars, recurrence, screens, services
from maydan.sessions.errors import FormatError
from maydan.sessions.models import Session
from maydan.sessions.views import feed_url, session_url
from tests.conftest import form

from .test_sessions_feed import _path
from .test_sessions_screens import new_session, screen

# Each odd thing a stored session can carry, as a poison row written straight into the database.
POISON = {
    "never-matches": {"rule": "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"},
    "secondly": {"rule": "FREQ=SECONDLY"},
    "minutely": {"rule": "FREQ=MINUTELY;INTERVAL=1"},
    "hourly-never": {"rule": "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30"},
    "position-99": {"rule": "FREQ=MONTHLY;BYDAY=+99MO"},
    "fifth-monday-the-first": {"rule": "FREQ=MONTHLY;BYDAY=5MO;BYMONTHDAY=1"},
    "every-7th-day-a-tuesday": {"rule": "FREQ=DAILY;INTERVAL=7;BYDAY=TU"},
    "count-billion": {"rule": "FREQ=WEEKLY;COUNT=1000000000"},
    "until-before-start": {"rule": "FREQ=WEEKLY;UNTIL=20000101T000000"},
    "not-a-rule": {"rule": "FREQ=WEEKLY;;BYDAY=XX"},
    "year-1": {"start_date": date(1, 1, 1)},
    "year-9999": {"start_date": date(9999, 12, 31), "start_time": clock(23, 30)},
    "bad-zone": {"time_zone": "Mars/Olympus"},
    "empty-zone": {"time_zone": ""},
    "bad-changes": {"exceptions": {"not a date": None, "2030-01-01T10:00": "tomorrow"}},
    "changes-a-list": {"exceptions": ["2030-01-01T10:00"]},
    "changes-year-9999": {"exceptions": {"9999-12-31T23:59": None}},
    "no-minutes": {"minutes": 0},
}


def poison(course, key, title="Odd session"):
    values = {"course": course, "uid": f"odd-{key}-{title}@example", "title": title, "start_date": date(2030, 4, 16),
              "start_time": clock(18, 0), "time_zone": "Africa/Cairo", "minutes": 60, "rule": "FREQ=WEEKLY;COUNT=4"}
    values.update(POISON[key])
    return Session.objects.create(**values)


@pytest.fixture
def good(cohort):
    screens.handle(screen(cohort.academic), new_session(title="Good session"))
    return Session.objects.get(title="Good session")


@pytest.mark.parametrize("key", POISON)
def test_an_odd_stored_session_leaves_every_screen_and_feed_answering(cohort, good, key):
    odd = poison(cohort.course, key)
    started = time.perf_counter()
    for actor in (cohort.academic, cohort.student):
        for language in ("en", "ar"):
            html = screens.render(screen(actor, language))
            assert "Good session" in html, "the other sessions still show"
            assert f'data-session="{odd.pk}" data-unshowable' in html
    manager = unescape(screens.render(screen(cohort.academic)))
    with translation.override("en"):
        why = services.problem(odd)
    assert why and why in manager, "the supervisor reads why"
    assert why not in unescape(screens.render(screen(cohort.student))), "students are only told it cannot be shown"
    # The odd session's own screens fall back to the list, saying why; its form opens to repair it.
    for view in ("attendance", "detail"):
        status, html = screens.handle(screen(cohort.academic), form(action="view", view=view, session=str(odd.pk)))
        assert status == 200 and "Good session" in html
    status, html = screens.handle(screen(cohort.academic), form(action="view", view="edit", session=str(odd.pk)))
    assert status == 200 and 'value="save_session"' in html
    # Every calendar address still answers, with the other session in it.
    key_ = calendars.feed_token(cohort.student).key
    response = Client().get(_path(feed_url(key_)))
    assert response.status_code == 200
    uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")]
    assert good.uid in uids and odd.uid not in uids
    assert Client().get(_path(session_url(key_, good.pk))).status_code == 200
    assert Client().get(_path(session_url(key_, odd.pk))).status_code == 400
    assert services.upcoming(cohort.student) and services.occurrences(odd) == []
    assert time.perf_counter() - started < 20  # generous: the point is that nothing spins for minutes


@pytest.mark.parametrize("key", POISON)
def test_the_supervisor_repairs_or_cancels_an_odd_session_from_the_tool(cohort, key):
    odd = poison(cohort.course, key)
    status, html = screens.handle(screen(cohort.academic), new_session(session=str(odd.pk), title="Repaired"))
    assert status == 200, html
    odd.refresh_from_db()
    assert services.problem(odd) is None and odd.title == "Repaired"
    assert f'data-session="{odd.pk}" data-unshowable' not in screens.render(screen(cohort.academic))
    other = poison(cohort.course, key, title="Also odd")
    status, html = screens.handle(screen(cohort.academic), form(action="cancel_session", session=str(other.pk)))
    assert status == 200
    assert f'data-session="{other.pk}" data-unshowable' not in html


def test_attendance_for_an_odd_session_is_refused_with_the_reason(cohort):
    odd = poison(cohort.course, "bad-zone")
    with pytest.raises(Invalid) as refused, translation.override("en"):
        attendance.import_attendance(cohort.academic, odd.pk, b"Name,Join time,Leave time\nSara,x,y\n")
    assert "Mars/Olympus" in str(refused.value.message)


@pytest.mark.parametrize("rule, reason", [
    ("FREQ=SECONDLY", "rule_frequency"), ("FREQ=MINUTELY", "rule_frequency"), ("FREQ=HOURLY", "rule_frequency"),
    ("FREQ=MONTHLY;BYDAY=+99MO", "rule_position"), ("FREQ=WEEKLY;BYDAY=2MO", "rule_position"),
    ("FREQ=MONTHLY;BYDAY=0MO", "rule_position"), ("FREQ=WEEKLY;BYMONTHDAY=3", "rule_position"),
    ("FREQ=MONTHLY;BYMONTHDAY=32", "rule_position"), ("FREQ=MONTHLY;BYDAY=5MO;BYMONTHDAY=1", "rule_position"),
    ("FREQ=WEEKLY;COUNT=1000000000", "rule_count"), ("FREQ=WEEKLY;COUNT=0", "rule_count"),
    ("FREQ=WEEKLY;INTERVAL=1000", "rule_interval"), ("FREQ=DAILY;INTERVAL=7;BYDAY=TU", "rule_interval"),
    ("FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31", "rule_interval"), ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "rule_part"),
    ("FREQ=YEARLY;BYSETPOS=1", "rule_part"), ("FREQ=WEEKLY;UNTIL=20000101T000000", "rule_until"),
    ("FREQ=WEEKLY;UNTIL=99991231T000000", "rule_until"), ("FREQ=WEEKLY;FREQ=DAILY", "bad_rule"),
])
def test_odd_rules_are_refused_with_their_own_reason(rule, reason):
    with pytest.raises(FormatError) as refused:
        recurrence.check_rule(rule, datetime(2026, 4, 7, 18))
    assert refused.value.reason == reason


@pytest.mark.parametrize("rule", ["FREQ=WEEKLY;COUNT=12", "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20260630T235959",
                                  "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=MONTHLY;BYMONTHDAY=31", "FREQ=DAILY;INTERVAL=2",
                                  "FREQ=YEARLY", "FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=MO",
                                  "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", "FREQ=YEARLY;BYDAY=53MO"])
def test_rules_sessions_meet_by_are_kept(rule):
    assert recurrence.check_rule(rule, datetime(2026, 4, 7, 18)) == rule
    assert recurrence.occurrences(datetime(2026, 4, 7, 18), "Africa/Cairo", rule)


def invite(lines):
    body = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:odd@example", *lines,
                        "END:VEVENT", "END:VCALENDAR", ""])
    return body.encode()


@pytest.mark.parametrize("lines, words", [
    (["DTSTART:00010101T100000Z"], "outside the years"),
    (["DTSTART:99991231T230000Z"], "outside the years"),
    (["DTSTART:20260407T180000Z", "RRULE:FREQ=SECONDLY"], "more often than daily"),
    (["DTSTART:20260407T180000Z", "RRULE:FREQ=MONTHLY;BYDAY=+99MO"], "do not have"),
    (["DTSTART:20260407T180000Z", "RRULE:FREQ=WEEKLY;COUNT=1000000000"], "more than 520 meetings"),
    (["DTSTART:20260407T180000Z", "RRULE:FREQ=WEEKLY;UNTIL=20200101T000000Z"], "ends before the session starts"),
    (["DTSTART:20260407T180000Z", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"], "BYMONTH"),
    (["DTSTART:20260407T180000Z", "RRULE:FREQ=WEEKLY", "EXDATE:00010101T100000Z"], "outside the years"),
    (["DTSTART;TZID=Mars/Olympus:20260407T180000"], "Mars/Olympus"),
], ids=["year-1", "year-9999", "secondly", "position-99", "count-billion", "until-before", "never-matches",
        "exdate-year-1", "bad-zone"])
def test_odd_invitations_are_refused_whole_with_the_reason(cohort, lines, words):
    with pytest.raises(Invalid) as refused, translation.override("en"):
        services.import_invitation(cohort.academic, invite(lines))
    assert words in str(refused.value.message) and "Nothing was imported." in str(refused.value.message)
    assert not Session.objects.exists()


def test_an_invitation_with_too_many_events_or_too_large_is_refused_before_parsing(cohort):
    many = ("BEGIN:VCALENDAR\r\n" + "BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260407T180000Z\r\nEND:VEVENT\r\n" * 201
            + "END:VCALENDAR\r\n")
    with pytest.raises(Invalid) as refused, translation.override("en"):
        services.import_invitation(cohort.academic, many)
    assert "more than 200 events" in str(refused.value.message)
    with pytest.raises(Invalid) as refused, translation.override("en"):
        services.import_invitation(cohort.academic, "BEGIN:VCALENDAR\r\n" + "X" * 1_000_001)
    assert "too long" in str(refused.value.message)
    assert not Session.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01"])
def test_the_session_form_refuses_dates_outside_the_years_with_the_reason(cohort, day):
    status, html = screens.handle(screen(cohort.academic), new_session(date=day))
    assert status == 400 and "outside the years 1900 to 2200" in html
    assert not Session.objects.exists()
