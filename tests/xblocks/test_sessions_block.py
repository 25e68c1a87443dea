"""The supervision sessions block on XBlock's TestRuntime and in the workbench (CSRF enforced)."""
import re
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.test import Client
from opaque_keys.edx.locator import BlockUsageLocator
from xblock.fields import ScopeIds
from xblock.runtime import KvsFieldData

from maydan.models import LogEntry
from maydan.sessions.models import Attendance, Session
from xblocks.sessions import SessionsXBlock

from .xbtools import COURSE_KEY, LmsCourse, Person, RecordingRuntime, StaticUserService, lms_user, tr

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sessions"
USAGE = BlockUsageLocator(COURSE_KEY, block_type="maydan_sessions", block_id="sessions1")


class SessionsCourse(LmsCourse):
    def open(self, user):
        runtime = RecordingRuntime(services={"field-data": KvsFieldData(self.kvs), "user": StaticUserService(user)})
        scope_ids = ScopeIds(user.opt_attrs["edx-platform.anonymous_user_id"], "maydan_sessions", USAGE, USAGE)
        return runtime.construct_xblock_from_class(SessionsXBlock, scope_ids), runtime


@pytest.fixture
def course(db):
    return SessionsCourse(USAGE)


@pytest.fixture
def hoda(course):
    return Person(course, lms_user("anon-staff-hoda", role="staff", name="Dr. Hoda Samir", lang="en"))


@pytest.fixture
def sara(course):
    return Person(course, lms_user("anon-sara", name="Sara Adel"))


def test_staff_import_an_invitation_and_the_student_sees_it_in_arabic(hoda, sara):
    sara.view()  # Sara enters the course
    next_term = (FIXTURES / "zoom_invite.ics").read_text().replace("2026", "2030")
    response = hoda.act(action="import_ics", ics=next_term, kind="group_supervision")
    assert response.status_code == 200 and "Group supervision - Field Training I: created" in response.text
    html = sara.view()
    assert 'dir="rtl"' in html and "جلسات الإشراف" in html
    assert "https://us06web.zoom.us/j/84512345678" in html and "الانضمام إلى الاجتماع" in html
    assert "MaydanFieldLog" in html  # the shared screens script is initialised
    assert 'name="action" value="import_ics"' not in html


def test_a_student_cannot_create_sessions_through_the_block(sara):
    response = sara.act(action="save_session", title="Mine", kind="online_class", date="2030-01-01", time="10:00",
                        minutes="60", repeat="once")
    assert response.status_code == 403 and not Session.objects.exists()


def test_attendance_through_the_block_credits_the_students_log(hoda, sara):
    sara.view()
    hoda.act(action="import_ics", ics=(FIXTURES / "zoom_invite.ics").read_text())
    session = Session.objects.get()
    report = "Name,Join Time,Leave Time\nSara Adel,2026-04-07 18:00,2026-04-07 19:00\n"
    response = hoda.act(action="import_attendance", session=str(session.pk), report=report)
    assert response.status_code == 200 and "1 student credited" in response.text
    assert LogEntry.objects.get().minutes == 60
    again = hoda.act(action="import_attendance", session=str(session.pk), report=report)
    assert "1 was already recorded for this meeting." in again.text and Attendance.objects.count() == 1


def test_not_scored_and_studio_name_is_for_staff(hoda, sara):
    block = hoda.block()
    assert block.has_score is False
    assert "display_name" in hoda.view("studio_view")
    assert sara.post("studio_submit", {"display_name": "x"}).status_code == 403
    assert hoda.post("studio_submit", {"display_name": "جلسات الإشراف الأسبوعية"}).status_code == 200
    assert hoda.block().display_name == "جلسات الإشراف الأسبوعية"


def test_olx_round_trip(course, hoda):
    from lxml import etree

    hoda.post("studio_submit", {"display_name": "Weekly supervision"})
    block, runtime = course.open(hoda.user)
    node = etree.Element("unknown")
    block.add_xml_to_node(node)
    assert node.tag == "maydan_sessions" and node.get("display_name") == "Weekly supervision"
    imported = runtime.get_block(runtime.parse_xml_string(etree.tostring(node, encoding="unicode")))
    assert imported.display_name == "Weekly supervision"


def test_the_field_log_block_still_works_beside_it(lms):
    html = Person(lms, lms_user("anon-sara", name="Sara Adel")).view()
    assert 'name="action" value="save"' in html


# --- workbench, CSRF enforced ----------------------------------------------------------------

SCENARIO = "/workbench/scenario/maydan_sessions.0/"


class Browser:
    def __init__(self, student):
        self.student = student
        self.client = Client(enforce_csrf_checks=True)

    def open(self):
        response = self.client.get(SCENARIO, {"student": self.student})
        assert response.status_code == 200
        self.page = response.content.decode()
        self.endpoint = unescape(re.search(r'class="maydan"[^>]*data-endpoint="([^"]+)"', self.page).group(1))
        return self.page

    def post(self, form, **headers):
        return self.client.post(self.endpoint, urlencode(form, doseq=True),
                                content_type="application/x-www-form-urlencoded", **headers)

    def act(self, **form):
        return self.post(form, HTTP_X_REQUESTED_WITH="fetch", HTTP_X_CSRFTOKEN=self.client.cookies["csrftoken"].value)


@pytest.mark.usefixtures("workbench_state")
def test_workbench_staff_create_a_session_with_csrf_and_students_see_it():
    assert SCENARIO in Client().get("/workbench/").content.decode()
    hoda = Browser("academic_1")
    assert tr("ar", "Supervision sessions") in hoda.open()
    form = {"action": "save_session", "title": "Online class: e-advocacy", "kind": "online_class",
            "date": "2030-03-05", "time": "10:00", "minutes": "60", "repeat": "once",
            "meeting_link": "https://meet.google.com/abc-defg-hij"}
    assert hoda.post(form).status_code == 403                       # no CSRF token
    assert hoda.post(form, HTTP_X_CSRFTOKEN="x" * 64).status_code == 403
    assert not Session.objects.exists()
    response = hoda.act(**form)
    assert response.status_code == 200 and Session.objects.count() == 1
    sara = Browser("student_1")
    page = sara.open()
    assert "Online class: e-advocacy" in page and "https://meet.google.com/abc-defg-hij" in page
    assert sara.act(**form).status_code == 403 and Session.objects.count() == 1


@pytest.mark.parametrize("odd", [{"rule": "FREQ=SECONDLY"}, {"rule": "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"},
                                 {"time_zone": "Mars/Olympus"}, {"start_date": "9999-12-31"}],
                         ids=["secondly", "never-matches", "bad-zone", "year-9999"])
def test_an_odd_stored_session_leaves_the_block_answering_and_staff_cancel_it(hoda, sara, odd):
    sara.view()
    hoda.act(action="import_ics", ics=(FIXTURES / "zoom_invite.ics").read_text().replace("2026", "2030"))
    good = Session.objects.get()
    values = {"course": good.course, "uid": "odd@example", "title": "Odd one", "start_date": "2030-04-16",
              "start_time": "18:00", "minutes": 60, **odd}
    bad = Session.objects.create(**values)
    html = sara.view()
    assert "https://us06web.zoom.us/j/84512345678" in html and f'data-session="{bad.pk}" data-unshowable' in html
    staff = hoda.view()
    assert "Odd one" in staff and f'data-session="{bad.pk}" data-unshowable' in staff
    response = hoda.act(action="view", view="attendance", session=str(bad.pk))
    assert response.status_code == 200
    response = hoda.act(action="cancel_session", session=str(bad.pk))
    assert response.status_code == 200 and "data-unshowable" not in response.text
