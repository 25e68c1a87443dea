"""Single meetings of a weekly session cancelled or moved, as calendars send them (EXDATE,
RECURRENCE-ID): the schedule, the feeds and attendance all follow."""
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from maydan import ui
from maydan.errors import Forbidden, Invalid
from maydan.models import AuditEvent
from maydan.sessions import attendance, calendars, invitation, recurrence, screens, services
from maydan.sessions.models import Session
from tests.conftest import form

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sessions"
CAIRO = ZoneInfo("Africa/Cairo")
SERIES = "google_series_changes.ics"  # Tuesdays 18:00 from 6 Oct 2026, 8 meetings; 20 Oct cancelled; 3 Nov moved
ONE_CANCELLED = "outlook_cancel_one_meeting.ics"  # Outlook: "cancel this occurrence" of 10 Nov, nothing else


def fixture(name):
    return (FIXTURES / name).read_bytes()


def days(starts):
    return [s.strftime("%m-%d %H:%M") for s in starts]


# --- the rule --------------------------------------------------------------------------------


def test_a_cancelled_meeting_is_left_out_and_a_moved_one_meets_at_its_new_time():
    starts = recurrence.occurrences(datetime(2026, 10, 6, 18, 0), "Africa/Cairo", "FREQ=WEEKLY;COUNT=4",
                                    exceptions={"2026-10-13T18:00": None, "2026-10-20T18:00": "2026-10-22T20:00"})
    assert days(starts) == ["10-06 18:00", "10-22 20:00", "10-27 18:00"]


def test_a_meeting_moved_across_the_summer_time_change_keeps_its_new_wall_clock():
    # Cairo leaves summer time at the end of Thursday 29 October 2026: moved from Tuesday (UTC+3)
    # to Friday 20:00, the meeting is at 20:00 local, now UTC+2.
    [moved] = recurrence.occurrences(datetime(2026, 10, 27, 18, 0), "Africa/Cairo", "FREQ=WEEKLY;COUNT=1",
                                     exceptions={"2026-10-27T18:00": "2026-10-30T20:00"})
    assert moved.hour == 20 and moved.utcoffset() == timedelta(hours=2)


def test_a_meeting_moved_earlier_from_beyond_a_window_is_found_in_it():
    window = {"after": datetime(2026, 10, 1, tzinfo=CAIRO), "before": datetime(2026, 10, 16, tzinfo=CAIRO)}
    starts = recurrence.occurrences(datetime(2026, 10, 6, 18, 0), "Africa/Cairo", "FREQ=WEEKLY;COUNT=8",
                                    exceptions={"2026-10-27T18:00": "2026-10-15T18:00"}, **window)
    assert days(starts) == ["10-06 18:00", "10-13 18:00", "10-15 18:00"]


# --- reading invitations -----------------------------------------------------------------------


def test_a_series_with_a_cancelled_and_a_moved_meeting():
    _method, [series] = invitation.parse(fixture(SERIES))
    assert series.uid == "7p2r4t6y8u0i1o3p5a7s@google.com" and "COUNT=8" in series.rule
    assert {(c.original, c.start) for c in series.changes} == {
        (datetime(2026, 10, 20, 18, 0, tzinfo=CAIRO), None),
        (datetime(2026, 11, 3, 18, 0, tzinfo=CAIRO), datetime(2026, 11, 5, 20, 0, tzinfo=CAIRO)),
    }


def test_outlook_cancelling_one_meeting_is_read_as_a_change_to_the_series():
    method, [changed] = invitation.parse(fixture(ONE_CANCELLED))
    assert method == "CANCEL" and isinstance(changed, invitation.ChangedMeetings)
    assert changed.uid == "7p2r4t6y8u0i1o3p5a7s@google.com" and changed.sequence == 2
    assert [(c.original, c.start) for c in changed.changes] == [(datetime(2026, 11, 10, 18, 0, tzinfo=CAIRO), None)]


# --- importing, the schedule, the feed, attendance -----------------------------------------------


def test_importing_the_series_keeps_its_changes_and_the_schedule_follows_them(cohort):
    [(what, session)] = services.import_invitation(cohort.academic, fixture(SERIES))
    assert what == "created"
    assert session.exceptions == {"2026-10-20T18:00": None, "2026-11-03T18:00": "2026-11-05T20:00"}
    meetings = days(services.occurrences(session))
    assert len(meetings) == 7 and "10-20 18:00" not in meetings and "11-03 18:00" not in meetings
    assert "11-05 20:00" in meetings
    [(_session, next_meeting)] = services.upcoming(cohort.student, now=datetime(2026, 10, 14, tzinfo=CAIRO))
    assert next_meeting == datetime(2026, 10, 27, 18, 0, tzinfo=CAIRO)  # not the cancelled 20 October


def test_cancelling_one_meeting_later_adds_to_the_series_once_and_is_audited(cohort):
    [(_what, session)] = services.import_invitation(cohort.academic, fixture(SERIES))
    [(what, changed)] = services.import_invitation(cohort.academic, fixture(ONE_CANCELLED))
    assert what == "updated" and changed.pk == session.pk
    session.refresh_from_db()
    assert session.exceptions["2026-11-10T18:00"] is None and session.exceptions["2026-10-20T18:00"] is None
    assert "11-10 18:00" not in days(services.occurrences(session)) and session.sequence >= 2
    edit = AuditEvent.objects.filter(action="session_edit").latest("id")
    assert "2026-11-10T18:00" in edit.changes["exceptions"][1] and "2026-11-10T18:00" not in edit.changes["exceptions"][0]
    assert services.import_invitation(cohort.academic, fixture(ONE_CANCELLED)) == [("unchanged", session)]


def test_a_change_to_a_series_not_imported_here_changes_nothing(cohort):
    assert services.import_invitation(cohort.academic, fixture(ONE_CANCELLED)) == [("unknown_change", None)]


def test_the_feed_tells_calendars_of_the_cancelled_and_the_moved_meeting(cohort):
    [(_what, session)] = services.import_invitation(cohort.academic, fixture(SERIES))
    text = calendars.session_ics(cohort.student, session.pk)
    events = [e for e in icalendar.Calendar.from_ical(text).walk("VEVENT")]
    series = next(e for e in events if e.get("RECURRENCE-ID") is None)
    moved = next(e for e in events if e.get("RECURRENCE-ID") is not None)
    assert [d.dt for d in series["EXDATE"].dts] == [datetime(2026, 10, 20, 18, 0, tzinfo=CAIRO)]
    assert moved["RECURRENCE-ID"].dt == datetime(2026, 11, 3, 18, 0, tzinfo=CAIRO)
    assert (moved["DTSTART"].dt, moved["DTEND"].dt) == (datetime(2026, 11, 5, 20, 0, tzinfo=CAIRO),
                                                       datetime(2026, 11, 5, 21, 30, tzinfo=CAIRO))
    assert str(moved["UID"]) == str(series["UID"])
    # A second parser expands the series as a calendar program would: 20 October is not in it.
    parsed = vobject.readOne(text.decode() if isinstance(text, bytes) else text)
    master = next(e for e in parsed.vevent_list if not hasattr(e, "recurrence_id"))
    expanded = [d.strftime("%m-%d") for d in master.getrruleset()]
    assert "10-20" not in expanded and "10-13" in expanded and len(expanded) == 7


def test_a_report_of_the_moved_meeting_is_recorded_for_it(cohort):
    [(_what, session)] = services.import_invitation(cohort.academic, fixture(SERIES))
    first_join = datetime(2026, 11, 5, 19, 58)  # the moved meeting, two days after its original date
    assert attendance._occurrence(session, "", first_join) == datetime(2026, 11, 5, 20, 0, tzinfo=CAIRO)
    with pytest.raises(Invalid):  # the cancelled meeting is not one of the session's meetings
        attendance._occurrence(session, "2026-10-20T18:00", None)


# --- a supervisor cancels one meeting ------------------------------------------------------------


def screen(actor, language="en"):
    return ui.Screen(actor=actor, language=language, activity="sessions", endpoint="/act", hidden={"ctx": "T"})


def weekly_session(cohort):
    status, _html = screens.handle(screen(cohort.academic), form(
        action="save_session", title="Group supervision", kind="group_supervision", date="2030-04-16",
        time="18:00", minutes="90", repeat="weekly", weeks="4", meeting_link="", passcode="", agenda=""))
    assert status == 200
    return Session.objects.get()


def test_the_supervisor_cancels_only_the_next_meeting_in_arabic(cohort):
    session = weekly_session(cohort)
    page = screens.render(screen(cohort.academic, "ar"))
    assert 'name="meeting" value="2030-04-16T18:00"' in page and "إلغاء هذا الموعد فقط" in page
    status, page = screens.handle(screen(cohort.academic, "ar"), form(
        action="cancel_meeting", session=str(session.pk), meeting="2030-04-16T18:00"))
    assert status == 200 and "أُلغي موعد الثلاثاء 16 إبريل 2030" in page
    assert 'name="meeting" value="2030-04-23T18:00"' in page  # the next meeting is now the one after
    session.refresh_from_db()
    assert days(services.occurrences(session)) == ["04-23 18:00", "04-30 18:00", "05-07 18:00"]
    assert "2030-04-16T18:00" in AuditEvent.objects.filter(action="session_edit").latest("id").changes["exceptions"][1]
    feed = icalendar.Calendar.from_ical(calendars.session_ics(cohort.student, session.pk))
    [event] = feed.walk("VEVENT")
    assert [d.dt for d in event["EXDATE"].dts] == [datetime(2030, 4, 16, 18, 0, tzinfo=CAIRO)]


def test_cancelling_a_moved_meeting_cancels_it_where_it_moved_from(cohort):
    [(_what, session)] = services.import_invitation(cohort.academic, fixture(SERIES))
    services.cancel_meeting(cohort.academic, session.pk, "2026-11-05T20:00")
    session.refresh_from_db()
    assert session.exceptions["2026-11-03T18:00"] is None
    assert "11-05 20:00" not in days(services.occurrences(session))


def test_a_meeting_the_session_does_not_have_is_refused_and_nothing_changes(cohort):
    session = weekly_session(cohort)
    for meeting in ("2030-04-17T18:00", "not a date", ""):
        status, page = screens.handle(screen(cohort.academic), form(
            action="cancel_meeting", session=str(session.pk), meeting=meeting))
        assert status == 400 and "Choose one of the session&#x27;s meetings." in page
    session.refresh_from_db()
    assert session.exceptions == {} and session.sequence == 0


def test_a_student_cannot_cancel_a_meeting(cohort):
    session = weekly_session(cohort)
    with pytest.raises(Forbidden):
        services.cancel_meeting(cohort.student, session.pk, "2030-04-16T18:00")
    status, _page = screens.handle(screen(cohort.student), form(
        action="cancel_meeting", session=str(session.pk), meeting="2030-04-16T18:00"))
    assert status == 403
    session.refresh_from_db()
    assert session.exceptions == {}


def test_moving_the_whole_series_keeps_its_cancelled_meeting_cancelled(cohort):
    session = weekly_session(cohort)
    services.cancel_meeting(cohort.academic, session.pk, "2030-04-23T18:00")
    status, _page = screens.handle(screen(cohort.academic), form(
        action="save_session", session=str(session.pk), title="Group supervision", kind="group_supervision",
        date="2030-04-17", time="19:00", minutes="90", repeat="weekly", weeks="4", meeting_link="", passcode="",
        agenda=""))
    assert status == 200
    session.refresh_from_db()
    assert days(services.occurrences(session)) == ["04-17 19:00", "05-01 19:00", "05-08 19:00"]


def test_a_meeting_named_with_seconds_or_an_offset_is_the_same_meeting(cohort):
    session = weekly_session(cohort)
    services.cancel_meeting(cohort.academic, session.pk, "2030-04-16T18:00:00")
    services.cancel_meeting(cohort.academic, session.pk, "2030-04-23T16:00:00+00:00")  # 18:00 in Cairo
    session.refresh_from_db()
    assert session.exceptions == {"2030-04-16T18:00": None, "2030-04-23T18:00": None}
    assert days(services.occurrences(session)) == ["04-30 18:00", "05-07 18:00"]
