"""The attendance review on a phone, in Arabic and English: a participant report with the students' names
spelled otherwise (in Arabic letters for a Latin name, a nickname of a device) is imported through the LTI
tool; the likely student is chosen in advance, nothing is set aside unless the supervisor says so, and the
screen fits 360 px with no serious axe violation.
"""
from datetime import timedelta

import pytest
from django.utils import timezone

from lti_tool import demo_setup
from lti_tool.sandbox.platform import issuer
from maydan import people, roles
from maydan.sessions import services
from maydan.sessions.models import Attendance, AttendanceReview

from .test_every_screen_on_phones import _links, phone_walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _met_last_week():
    """A group session of the demo course that met a week ago at 18:00 Cairo time, and its report."""
    course = demo_setup.prepare()
    hoda = people.enter(issuer(), course.context_id, "instructor", {roles.ACADEMIC}, name="Dr. Hoda Samir")
    day = (timezone.localdate() - timedelta(days=7)).isoformat()
    session = services.save_session(hoda, {"title": "Case conference", "kind": "group_supervision", "date": day,
                                 "time": "18:00", "minutes": "90", "repeat": "once"})
    report = ("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
              f"سارة عادل,,{day} 18:00:00,{day} 19:20:00,80\n"  # Sara Adel, in Arabic letters
              f"Omar's iPhone,omar.nabil92@gmail.com,{day} 18:05:00,{day} 19:25:00,80\n"
              f"Guest 4821,,{day} 18:10:00,{day} 18:20:00,10\n")
    when = timezone.localdate() - timedelta(days=7)
    short = f"{when.month}/{when.day}/{when.strftime('%y')}"
    teams = "\r\n".join([  # the same meeting as Teams reports it: UTF-16, tabs, sections, "1h 20m"
        "1. Summary", f"Meeting title\tCase conference", "", "2. Participants",
        "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole",
        f"سارة عادل\t{short}, 6:00:00 PM\t{short}, 7:20:00 PM\t1h 20m\t\t\tAttendee",
        f"Omar's iPhone\t{short}, 6:05:00 PM\t{short}, 7:25:00 PM\t1h 20m\tomar.nabil92@gmail.com\t\tAttendee",
        f"Guest 4821\t{short}, 6:10:00 PM\t{short}, 6:20:00 PM\t10m\t\t\tAttendee", "",
        "3. In-Meeting Activities", "Name\tJoin Time\tLeave Time\tDuration", ""])
    return session, report, ("\ufeff" + teams).encode("utf-16-le")


@pytest.mark.parametrize("language", ["ar", "en"])
def test_review_suggests_the_students_and_keeps_the_guest_until_told(browser, site, language):
    session, report, teams = _met_last_week()
    walk = phone_walk(browser, site, language)
    page = walk.page
    try:
        walk.launch("instructor", _links()["sessions"])
        walk.act(f"form:has(input[name=view][value=attendance]):has(input[name=session][value='{session.pk}']) button")
        if language == "ar":  # pasted from Zoom's CSV
            page.fill("textarea[name=report]", report)
        else:  # Teams' file chosen: read in the browser, UTF-16 and all
            page.set_input_files("input[data-text-into=report]", {"name": "attendance.csv", "mimeType": "text/csv",
                                                                   "buffer": teams})
            page.wait_for_function("document.querySelector('textarea[name=report]').value.includes('Omar')")
        walk.act("form:has(input[name=action][value=import_attendance]) button.maydan-primary")
        walk.check("supervisor-attendance-review")
        choices = [page.eval_on_selector(f"select[name=row-{i}]", "s => s.options[s.selectedIndex].text")
                   for i in range(3)]
        assert choices[:2] == ["Sara Adel", "Omar Nabil"]
        assert choices[2] == ("اختر…" if language == "ar" else "Choose…")
        walk.act("form.maydan-review button.maydan-primary")
        assert Attendance.objects.count() == 2
        # The guest's row still waits, alone, and the screen says so.
        assert page.locator("form.maydan-review tr[data-row]").count() == 1
        notice = page.inner_text(".maydan-notice")
        assert ("ينتظر اختيارك" if language == "ar" else "1 row still waits for your choice.") in notice
        walk.check("supervisor-attendance-review-one-left")
        page.select_option("select[name=row-2]", "skip")
        walk.act("form.maydan-review button.maydan-primary")
        assert page.locator("form.maydan-review").count() == 0
        assert AttendanceReview.objects.get().closed_at is not None
    finally:
        walk.context.close()
    assert walk.problems == [], "\n".join(walk.problems)
