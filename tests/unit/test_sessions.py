"""Sessions through the core services: roles, invitations, feeds, attendance credited as hours."""
from datetime import datetime, timedelta
from pathlib import Path

import icalendar
import pytest
import vobject

from maydan import vocab
from maydan.errors import Forbidden, Invalid, LinkExpired, NotFound
from maydan.models import AuditEvent, LogEntry
from maydan.sessions import attendance, calendars, services
from maydan.sessions.models import Attendance, AttendanceReview, FeedToken, Session
from tests.conftest import form

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sessions"


@pytest.fixture(autouse=True)
def english():
    """Messages are read in English here; the screens' tests check both languages."""
    from django.utils import translation

    with translation.override("en"):
        yield


def fixture(name):
    return (FIXTURES / name).read_bytes()


def session_form(**overrides):
    values = {"title": "Group supervision, week 3", "kind": "group_supervision", "date": "2026-04-14",
              "time": "18:00", "minutes": "90", "repeat": "weekly", "weeks": "6",
              "meeting_link": "https://zoom.us/j/845123", "passcode": "492817", "agenda": "Cases and reflections"}
    values.update(overrides)
    return form(**{k: v for k, v in values.items() if v is not None})


# --- creating ----------------------------------------------------------------------------------


def test_supervisor_creates_a_weekly_session_that_keeps_cairo_wall_clock(cohort):
    session = services.save_session(cohort.academic, session_form())
    starts = services.occurrences(session)
    assert len(starts) == 6 and {s.hour for s in starts} == {18}
    assert {s.utcoffset() for s in starts} == {timedelta(hours=2), timedelta(hours=3)}
    assert AuditEvent.objects.filter(action="session_create").count() == 1


def test_coordinator_may_create_students_and_agency_supervisors_may_not(cohort):
    services.save_session(cohort.coordinator, session_form())
    for actor in (cohort.student, cohort.agency):
        with pytest.raises(Forbidden):
            services.save_session(actor, session_form())
    assert Session.objects.count() == 1


@pytest.mark.parametrize("field, value", [
    ("title", ""), ("kind", "party"), ("date", "14/04/2026"), ("minutes", "0"), ("weeks", "99"),
    ("meeting_link", "zoom.us/j/1"), ("students", "the academic supervisor"),
])
def test_bad_session_input_is_refused_with_the_field_named(cohort, field, value):
    if field == "students":  # a person of the course who is not one of its students
        value = str(cohort.academic.person.pk)
    with pytest.raises(Invalid) as refused:
        services.save_session(cohort.academic, session_form(**{field: value}))
    assert refused.value.field_errors.get(field if field != "time" else "date")
    assert not Session.objects.exists() and not AuditEvent.objects.filter(action="session_create").exists()


def test_group_session_is_seen_by_its_students_and_their_agency_supervisor_only(cohort):
    group = services.save_session(cohort.academic, session_form(students=str(cohort.student.person.pk)))
    everyone = services.save_session(cohort.academic, session_form(title="Online class", kind="online_class"))
    assert set(services.visible_sessions(cohort.student)) == {group, everyone}
    assert set(services.visible_sessions(cohort.agency)) == {group, everyone}
    assert set(services.visible_sessions(cohort.other_student)) == {everyone}
    with pytest.raises(NotFound):
        services.session_for(cohort.other_student, group.pk)


def test_editing_raises_the_sequence_and_cancelling_keeps_the_session(cohort):
    session = services.save_session(cohort.academic, session_form())
    services.save_session(cohort.academic, session_form(time="19:00"), session_id=session.pk)
    services.cancel_session(cohort.academic, session.pk)
    session.refresh_from_db()
    assert session.sequence == 2 and session.cancelled_at and session.local_start.hour == 19
    assert services.upcoming(cohort.student, now=datetime(2026, 4, 1).astimezone()) == []


# --- invitations ---------------------------------------------------------------------------------


def test_zoom_invitation_then_update_then_stale_then_cancel(cohort):
    [(what, session)] = services.import_invitation(cohort.academic, fixture("zoom_invite.ics"))
    assert what == "created" and session.passcode == "492817" and session.local_start.hour == 18
    assert session.meeting_link.startswith("https://us06web.zoom.us/j/84512345678")
    [(what, session)] = services.import_invitation(cohort.academic, fixture("zoom_update.ics"))
    assert what == "updated" and session.local_start.hour == 19 and session.sequence == 2
    [(what, _s)] = services.import_invitation(cohort.academic, fixture("zoom_stale_update.ics"))
    assert what == "stale"
    session.refresh_from_db()
    assert session.local_start.hour == 19 and session.title.endswith("(new time)")
    [(what, session)] = services.import_invitation(cohort.academic, fixture("zoom_cancel.ics"))
    assert what == "cancelled" and session.cancelled_at is not None
    assert Session.objects.count() == 1
    assert [(what, s.pk) for what, s in services.import_invitation(cohort.academic, fixture("zoom_cancel.ics"))] == [
        ("unchanged", session.pk)]


def test_google_and_outlook_invitations_create_sessions(cohort):
    services.import_invitation(cohort.academic, fixture("google_invite.ics"), kind="case_conference")
    services.import_invitation(cohort.academic, fixture("outlook_teams_invite.ics").decode(), kind="e_conference")
    google, outlook = Session.objects.order_by("start_date")
    assert google.meeting_link == "https://meet.google.com/abc-defg-hij" and google.kind == "case_conference"
    assert google.local_start.hour == 13 and google.time_zone == "Africa/Cairo"
    assert "teams.microsoft.com" in outlook.meeting_link and outlook.minutes == 90


def test_malformed_invitation_imports_nothing_and_says_why(cohort):
    broken = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20260407T180000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    with pytest.raises(Invalid) as refused:
        services.import_invitation(cohort.academic, broken)
    assert "UID" in str(refused.value.message) and "Nothing was imported" in str(refused.value.message)
    assert not Session.objects.exists() and not AuditEvent.objects.exists()


def test_students_cannot_import(cohort):
    with pytest.raises(Forbidden):
        services.import_invitation(cohort.student, fixture("zoom_invite.ics"))
    assert not Session.objects.exists()


# --- feeds ------------------------------------------------------------------------------------------


def test_feed_holds_the_persons_sessions_and_deadlines_and_two_parsers_agree(cohort):
    cohort.course.language = "en"  # the feed's words are the course's
    cohort.course.save(update_fields=["language"])
    services.import_invitation(cohort.academic, fixture("zoom_invite.ics"))
    services.save_session(cohort.academic, session_form(title="Only Omar", students=str(cohort.other_student.person.pk)))
    token = calendars.feed_token(cohort.student)
    body = calendars.feed_for(calendars.actor_for_feed(token.key))
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    titles = [str(e["SUMMARY"]) for e in events]
    assert titles == ["Group supervision: Group supervision - Field Training I",
                      "Field log: submit this week's entries"]
    assert events[0]["DTSTART"].dt.hour == 18 and str(events[0]["UID"]) == "ZOOM84512345678@zoom.us"
    parsed = vobject.readOne(body.decode())
    assert [e.summary.value for e in parsed.vevent_list] == titles
    assert "Passcode: 492817" in parsed.vevent_list[0].description.value


def test_feed_key_is_stable_renewable_and_revocable(cohort):
    first = calendars.feed_token(cohort.student)
    assert calendars.feed_token(cohort.student).key == first.key
    second = calendars.feed_token(cohort.student, renew=True)
    assert second.key != first.key
    with pytest.raises(LinkExpired):
        calendars.actor_for_feed(first.key)
    calendars.revoke_feed(cohort.student)
    with pytest.raises(LinkExpired):
        calendars.actor_for_feed(second.key)
    with pytest.raises(NotFound):
        calendars.actor_for_feed("made-up")
    assert FeedToken.objects.filter(revoked_at=None).count() == 0


# --- attendance ----------------------------------------------------------------------------------


def _zoom_session(cohort):
    [(_what, session)] = services.import_invitation(cohort.academic, fixture("zoom_invite.ics"))
    return session


def test_attendance_is_matched_recorded_and_credited_once(cohort):
    session = _zoom_session(cohort)
    summary = attendance.import_attendance(cohort.academic, session.pk, fixture("zoom_participants.csv"))
    assert summary["credited"] == 1 and summary["occurrence"].hour == 18
    entry = LogEntry.objects.get(placement__student=cohort.student.person)
    assert (entry.status, entry.activity_type, entry.modality) == (vocab.SUBMITTED, "supervision", "remote")
    assert entry.minutes == 87 and entry.start_time.strftime("%H:%M") == "18:00"
    assert entry.meeting_link == session.meeting_link
    # Omar's Arabic name on the report does not match "Omar Nabil": left for review, with the guest.
    review = summary["review"]
    assert [row["name"] for row in review.rows] == ["عُمَر نبيل (Omar's laptop)", "Guest 4821"]
    again = attendance.import_attendance(cohort.academic, session.pk, fixture("zoom_participants.csv"))
    assert again["credited"] == 0 and again["already"] == 1
    assert LogEntry.objects.count() == 1 and Attendance.objects.count() == 1


def test_review_assigns_unmatched_rows_and_never_credits_twice(cohort):
    session = _zoom_session(cohort)
    review = attendance.import_attendance(cohort.academic, session.pk, fixture("zoom_participants.csv"))["review"]
    with pytest.raises(Invalid):
        attendance.resolve_review(cohort.academic, review.pk, {"0": str(cohort.academic.person.pk)})
    summary = attendance.resolve_review(cohort.academic, review.pk, {"0": str(cohort.other_student.person.pk), "1": ""})
    assert (summary["credited"], summary["waiting"]) == (1, 1)
    assert LogEntry.objects.get(placement__student=cohort.other_student.person).minutes == 75
    # The guest's row was left unchosen: it waits, the review stays open; a form sent twice changes nothing.
    review.refresh_from_db()
    assert review.closed_at is None and [i for i, _row in attendance.waiting_rows(review)] == [1]
    again = attendance.resolve_review(cohort.academic, review.pk, {"0": str(cohort.student.person.pk)})
    assert again["credited"] == 0 and again["waiting"] == 1
    closing = attendance.resolve_review(cohort.academic, review.pk, {"1": "skip"})
    assert (closing["skipped"], closing["waiting"]) == (1, 0)
    with pytest.raises(NotFound):
        attendance.resolve_review(cohort.academic, review.pk, {})
    review2 = attendance.import_attendance(cohort.academic, session.pk, fixture("zoom_participants.csv"))["review"]
    assert attendance.resolve_review(cohort.academic, review2.pk, {"0": str(cohort.other_student.person.pk)}) == {
        "credited": 0, "already": 1, "noted": 0, "recorded": 0, "skipped": 0, "waiting": 1}
    assert LogEntry.objects.count() == 2


def test_a_review_row_is_only_set_aside_when_the_supervisor_says_so(cohort):
    session = _zoom_session(cohort)
    review = attendance.import_attendance(cohort.academic, session.pk, fixture("zoom_participants.csv"))["review"]
    summary = attendance.resolve_review(cohort.academic, review.pk, {})
    assert summary["waiting"] == 2 and summary["skipped"] == 0
    review.refresh_from_db()
    assert review.closed_at is None and len(attendance.waiting_rows(review)) == 2
    for bad in ("abc", "-1", "99999999999999999999999", str(cohort.agency.person.pk)):
        with pytest.raises(Invalid) as refused:
            attendance.resolve_review(cohort.academic, review.pk, {"0": bad})
        assert "row-0" in refused.value.field_errors
    with pytest.raises(Forbidden):
        attendance.resolve_review(cohort.student, review.pk, {"0": "skip", "1": "skip"})
    review.refresh_from_db()
    assert len(attendance.waiting_rows(review)) == 2


def test_the_review_suggests_omar_for_his_arabic_name_and_no_one_for_a_guest(cohort):
    session = _zoom_session(cohort)
    review = attendance.import_attendance(cohort.academic, session.pk, fixture("zoom_participants.csv"))["review"]
    people = list(services.course_students(cohort.course))
    suggested = attendance.suggestions(review, people)
    assert suggested[0][1] == cohort.other_student.person  # «عُمَر نبيل (Omar's laptop)» is Omar Nabil
    assert suggested[1][1] is None  # "Guest 4821"


def test_time_the_student_already_logged_is_not_credited_again(cohort):
    from maydan import fieldlog
    session = _zoom_session(cohort)
    fieldlog.save_entry(cohort.student, form(date="2026-04-07", start_time="18:30", end_time="19:00",
                                             activity_type="supervision", modality="remote", time_kind="indirect"))
    summary = attendance.import_attendance(cohort.academic, session.pk, fixture("zoom_participants.csv"))
    assert summary["noted"] == 1 and summary["credited"] == 0
    assert "overlaps" in Attendance.objects.get().note
    assert LogEntry.objects.count() == 1


def test_malformed_report_imports_nothing(cohort):
    session = _zoom_session(cohort)
    before = AuditEvent.objects.count()
    with pytest.raises(Invalid) as refused:
        attendance.import_attendance(cohort.academic, session.pk, b"Name,Join Time,Leave Time\nSara,soon,later\n")
    assert "Line 2" in str(refused.value.message)
    assert not Attendance.objects.exists() and not AttendanceReview.objects.exists()
    assert AuditEvent.objects.count() == before


def test_report_for_a_day_the_session_does_not_meet_asks_for_the_meeting(cohort):
    session = _zoom_session(cohort)
    with pytest.raises(Invalid) as refused:
        attendance.import_attendance(cohort.academic, session.pk, "Name,Join Time,Leave Time\n"
                                   "Sara Adel,2026-04-09 18:00,2026-04-09 19:00\n")
    assert refused.value.field_errors["occurrence"]
    summary = attendance.import_attendance(cohort.academic, session.pk, "Name,Join Time,Leave Time\n"
                                         "Sara Adel,2026-04-09 18:00,2026-04-09 19:00\n",
                                         occurrence="2026-04-14T18:00:00")
    assert summary["credited"] == 1


def test_only_course_supervisors_import_attendance(cohort):
    session = _zoom_session(cohort)
    for actor in (cohort.student, cohort.agency):
        with pytest.raises(Forbidden):
            attendance.import_attendance(actor, session.pk, fixture("zoom_participants.csv"))
    assert not Attendance.objects.exists()


# --- the field-log service the attendance goes through --------------------------------------------


def _credit(placement, start, end, day="2026-04-07"):
    return (placement, form(date=day, start_time=start, end_time=end, activity_type="supervision",
                            modality="remote", time_kind="indirect"), {"session": 1})


def test_crediting_hours_is_for_course_supervisors_only(cohort):
    from maydan import fieldlog
    from maydan.models import Placement
    placement = Placement.objects.get(student=cohort.student.person)
    for actor in (cohort.student, cohort.agency):
        with pytest.raises(Forbidden):
            fieldlog.credit_entries(actor, [_credit(placement, "18:00", "19:00")])
    assert not LogEntry.objects.exists()


def test_credits_follow_the_entry_rules_and_do_not_overlap_each_other(cohort):
    from maydan import fieldlog
    from maydan.models import Placement
    placement = Placement.objects.get(student=cohort.student.person)
    first, second, future = fieldlog.credit_entries(cohort.academic, [
        _credit(placement, "18:00", "19:00"), _credit(placement, "18:30", "19:30"),
        _credit(placement, "18:00", "19:00", day="2199-01-01")])
    assert isinstance(first, LogEntry) and first.status == vocab.SUBMITTED
    assert isinstance(second, Invalid) and "overlaps" in str(second.message)
    assert isinstance(future, Invalid) and "future" in str(future.message)
    assert LogEntry.objects.count() == 1
    assert AuditEvent.objects.get(entry=first, action="credit").changes["session"] == 1


def test_google_update_and_outlook_cancel(cohort):
    services.import_invitation(cohort.academic, fixture("google_invite.ics"), kind="case_conference")
    services.import_invitation(cohort.academic, fixture("outlook_teams_invite.ics"), kind="e_conference")
    [(what, google)] = services.import_invitation(cohort.academic, fixture("google_update.ics"))
    assert what == "updated" and google.local_start.hour == 14 and google.minutes == 90
    assert google.kind == "case_conference"  # an update keeps what the supervisor chose
    [(what, outlook)] = services.import_invitation(cohort.academic, fixture("outlook_cancel.ics"))
    assert what == "cancelled" and outlook.cancelled_at is not None and outlook.title.startswith("E-conference")
    assert Session.objects.count() == 2
    body = calendars.feed_for(calendars.actor_for_feed(calendars.feed_token(cohort.student).key))
    statuses = {str(e["UID"]): str(e["STATUS"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    assert statuses[outlook.uid] == "CANCELLED" and statuses[google.uid] == "CONFIRMED"


def test_an_edit_made_here_does_not_block_the_organisers_next_update(cohort):
    [(_w, session)] = services.import_invitation(cohort.academic, fixture("zoom_invite.ics"))
    services.save_session(cohort.academic, session_form(title="Renamed here", date="2026-04-07", weeks="8"),
                          session_id=session.pk)
    services.save_session(cohort.academic, session_form(title="Renamed again", date="2026-04-07", weeks="8"),
                          session_id=session.pk)
    [(what, session)] = services.import_invitation(cohort.academic, fixture("zoom_update.ics"))  # SEQUENCE 2
    assert what == "updated" and session.local_start.hour == 19
    assert session.sequence == 3  # still grows for subscribed calendars
