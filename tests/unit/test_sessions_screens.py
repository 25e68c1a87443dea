"""The sessions' screens as every adapter shows them: each role's view, both languages, failures that say why."""
import re
from pathlib import Path

from maydan import activities, ui
from maydan.models import LogEntry
from maydan.sessions import calendars, screens, services
from maydan.sessions.models import Attendance, Session
from tests.conftest import form

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sessions"


def screen(actor, language="en"):
    return ui.Screen(actor=actor, language=language, activity="sessions", endpoint="/act", hidden={"ctx": "T"})


def new_session(**overrides):
    values = {"action": "save_session", "title": "Group supervision", "kind": "group_supervision",
              "date": "2030-04-16", "time": "18:00", "minutes": "90", "repeat": "weekly", "weeks": "4",
              "meeting_link": "https://meet.jit.si/MaydanGroupA", "passcode": "", "agenda": "Week 3 cases"}
    values.update(overrides)
    return form(**values)


def test_sessions_are_a_placeable_ungraded_activity(cohort):
    item = activities.find(cohort.course, "sessions")
    assert item.titles == {"en": "Supervision sessions", "ar": "جلسات الإشراف"} and not item.graded
    assert activities.screens("sessions") is screens


def test_supervisor_creates_a_session_students_see_it_with_the_join_link(cohort):
    status, html = screens.handle(screen(cohort.academic), new_session())
    assert status == 200 and "Session saved: “Group supervision”." in html
    html = screens.render(screen(cohort.student))
    assert 'href="https://meet.jit.si/MaydanGroupA"' in html and "Join the meeting" in html
    assert "Tuesday 16 April 2030" in html and "18:00–19:30" in html
    assert 'name="action" value="save_session"' not in html  # no form to create sessions
    assert re.search(r'value="webcal://[^"]+/maydan/feed/[^"]+\.ics"', html)
    assert "/session/%d.ics" % Session.objects.get().pk in html


def test_arabic_screen_is_right_to_left_and_translated(cohort):
    screens.handle(screen(cohort.academic), new_session())
    html = screens.render(screen(cohort.student, "ar"))
    assert "جلسات الإشراف" in html and "الانضمام إلى الاجتماع" in html
    assert "الثلاثاء" in html  # the day's name in Arabic


def test_a_student_posting_the_create_form_is_refused_and_nothing_is_stored(cohort):
    status, html = screens.handle(screen(cohort.student), new_session())
    assert status == 403 and "Only the academic supervisor or the field coordinator may manage sessions." in html
    assert not Session.objects.exists()


def test_bad_input_keeps_what_was_typed_and_names_the_field(cohort):
    status, html = screens.handle(screen(cohort.academic), new_session(minutes="0", agenda="careful agenda"))
    assert status == 400 and "A session lasts from 1 minute to 16 hours." in html
    assert "careful agenda" in html and 'aria-invalid="true"' in html
    assert not Session.objects.exists()


def test_import_pasted_invitation_then_edit_and_cancel(cohort):
    text = (FIXTURES / "zoom_invite.ics").read_text()
    status, html = screens.handle(screen(cohort.academic), form(action="import_ics", ics=text, kind="online_class"))
    assert status == 200 and "Group supervision - Field Training I: created" in html
    session = Session.objects.get()
    status, html = screens.handle(screen(cohort.academic), form(action="view", view="edit", session=str(session.pk)))
    assert 'value="Group supervision - Field Training I"' in html and 'value="8"' in html
    status, html = screens.handle(screen(cohort.academic), form(action="cancel_session", session=str(session.pk)))
    assert "Session cancelled" in html
    assert Session.objects.get().cancelled_at is not None


def test_malformed_invitation_says_why_and_nothing_is_imported(cohort):
    status, html = screens.handle(screen(cohort.academic), form(action="import_ics", ics="hello"))
    assert status == 400 and "This is not an iCalendar (.ics) file" in html and "Nothing was imported." in html
    assert not Session.objects.exists()


def test_attendance_upload_and_review_from_the_screen(cohort):
    [(_w, session)] = services.import_invitation(cohort.academic, (FIXTURES / "zoom_invite.ics").read_bytes())
    report = (FIXTURES / "zoom_participants.csv").read_text(encoding="utf-8-sig")
    status, html = screens.handle(screen(cohort.academic), form(
        action="import_attendance", session=str(session.pk), report=report))
    assert status == 200 and "1 student credited (waiting for confirmation)." in html
    assert "2 rows matched no student: assign them below." in html
    assert "Guest 4821" in html and "عُمَر نبيل (Omar&#x27;s laptop)" in html
    # Omar's Arabic name is matched to him in advance; the guest waits on "Choose…".
    omar = cohort.other_student.person.pk
    assert re.search(rf'<optgroup label="Likely matches"><option value="{omar}" selected>Omar Nabil', html)
    guest = re.search(r'<select name="row-1".*?</select>', html, re.S).group(0)
    assert '<option value="" selected>Choose…' in guest and " selected>" not in guest.split("Choose…", 1)[1]
    review = re.search(r'data-review="(\d+)"', html).group(1)
    status, html = screens.handle(screen(cohort.academic), form(
        action="resolve_review", review=review, session=str(session.pk), **{"row-0": str(omar), "row-1": ""}))
    assert status == 200 and "1 student credited" in html and "1 row still waits for your choice." in html
    assert Attendance.objects.count() == 2 and LogEntry.objects.count() == 2
    assert html.count("data-attendance=") == 2
    assert 'data-row="1"' in html and 'data-row="0"' not in html
    status, html = screens.handle(screen(cohort.academic), form(
        action="resolve_review", review=review, session=str(session.pk), **{"row-1": "skip"}))
    assert status == 200 and "1 row skipped." in html and "data-review=" not in html


def test_a_refused_review_choice_is_shown_beside_its_row_and_keeps_the_others(cohort):
    [(_w, session)] = services.import_invitation(cohort.academic, (FIXTURES / "zoom_invite.ics").read_bytes())
    report = (FIXTURES / "zoom_participants.csv").read_text(encoding="utf-8-sig")
    status, html = screens.handle(screen(cohort.academic), form(
        action="import_attendance", session=str(session.pk), report=report))
    review = re.search(r'data-review="(\d+)"', html).group(1)
    status, html = screens.handle(screen(cohort.academic), form(
        action="resolve_review", review=review, session=str(session.pk),
        **{"row-0": "skip", "row-1": str(cohort.agency.person.pk)}))
    assert status == 400 and 'id="err-row-1"' in html and "Guest 4821" in html
    row0 = re.search(r'<select name="row-0".*?</select>', html, re.S).group(0)
    assert '<option value="skip" selected>' in row0
    assert not Attendance.objects.filter(person=cohort.other_student.person).exists()


def test_bad_report_from_the_screen_says_which_line(cohort):
    [(_w, session)] = services.import_invitation(cohort.academic, (FIXTURES / "zoom_invite.ics").read_bytes())
    status, html = screens.handle(screen(cohort.academic), form(
        action="import_attendance", session=str(session.pk), report="Name,Join Time,Leave Time\nSara,x,y\n"))
    assert status == 400 and "Line 2: “x” is not a date and time." in html
    assert not Attendance.objects.exists()


def test_students_cannot_open_the_attendance_screen(cohort):
    [(_w, session)] = services.import_invitation(cohort.academic, (FIXTURES / "zoom_invite.ics").read_bytes())
    status, html = screens.handle(screen(cohort.student), form(action="view", view="attendance", session=str(session.pk)))
    assert 'name="action" value="import_attendance"' not in html


def test_renewing_the_calendar_address_stops_the_old_one(cohort):
    first = calendars.feed_token(cohort.student).key
    status, html = screens.handle(screen(cohort.student), form(action="renew_feed"))
    assert status == 200 and first not in html and "New calendar address made" in html
    status, html = screens.handle(screen(cohort.student), form(action="revoke_feed"))
    assert "Calendar address revoked" in html and "webcal://" not in html
    assert 'value="renew_feed">Make a calendar address' in screens.render(screen(cohort.student))


def test_served_as_a_page_like_the_lti_tool_serves_activities(cohort, rf):
    from maydan import pages

    request = rf.post("/lti/app/", new_session())
    response = pages.respond(request, screen(cohort.academic, "ar"))
    html = response.content.decode()
    assert response.status_code == 200 and "<title>جلسات الإشراف</title>" in html and 'dir="rtl"' in html
    refused = pages.respond(rf.post("/lti/app/", new_session()), screen(cohort.student))
    assert refused.status_code == 403 and Session.objects.count() == 1


def test_a_session_that_does_not_exist_shows_the_list_with_the_reason(cohort):
    status, html = screens.handle(screen(cohort.academic), form(action="view", view="attendance", session="999"))
    assert status == 200 and "This session does not exist or is not yours to see." in html
    assert "Upcoming sessions" in html
