"""The cohort dashboard through real LTI launches: placed by deep linking, opened by the Administrator."""
import html
import re

from django.test import Client

from lti_tool.sandbox.models import SandboxLink

from .flow import ctx_of, launch, place


def test_placed_as_an_ungraded_item_and_opened_by_the_coordinator(sandbox):
    client = Client()
    place(client, "cohort")
    link = SandboxLink.objects.get()
    assert (link.title, link.custom, link.score_maximum) == ("Cohort dashboard", {"maydan_activity": "cohort"}, None)
    launch(client, person="student_1", link=link.pk, lang="en")  # the student exists in the course now
    page = launch(client, person="admin", link=link.pk, lang="ar").content.decode()
    assert 'dir="rtl"' in page and "لوحة متابعة الدفعة" in page and "<svg" in page and "Sara Adel" in page
    assert "المؤسسات والتنسيب" in page  # the coordinator's own section
    response = launch(client, person="admin", link=link.pk, lang="en")
    answer = client.post("/lti/app/", {"ctx": ctx_of(response), "action": "view", "view": "evidence"})
    assert answer.status_code == 200 and "Accreditation evidence" in answer.content.decode()


def test_a_learner_launching_it_sees_nothing_of_the_cohort(sandbox):
    client = Client()
    place(client, "cohort")
    link = SandboxLink.objects.get()
    launch(client, person="student_2", link=link.pk, lang="en")
    page = launch(client, person="student_1", link=link.pk, lang="en").content.decode()
    assert "Only the field coordinator and supervisors may see the cohort." in page
    assert "Omar Nabil" not in page and "<svg" not in page


def test_the_dashboard_opens_from_any_launched_screen_for_supervisors_only(sandbox):
    client = Client()
    launch(client, person="student_1", lang="en")
    page = launch(client, person="admin", lang="en")  # the course's field log link, not a cohort link
    assert 'id="maydan-cohort-dashboard"' in page.content.decode()
    answer = client.post("/lti/dashboard", {"ctx": ctx_of(page), "lang": "en"})
    text = answer.content.decode()
    assert answer.status_code == 200 and "<svg" in text and "Sara Adel" in text
    assert client.post("/lti/app/", {"ctx": ctx_of(answer), "action": "view", "view": "evidence"}).status_code == 200
    # A way back to the field log the dashboard was opened from, with that activity's own context.
    back = re.search(r'<form method="post" action="/lti/app/" class="maydan-back[^"]*" data-leave>\s*<input type="hidden" '
                     r'name="ctx" value="([^"]+)"', text)
    assert back and html.unescape(back.group(1)) == ctx_of(page)
    assert "Back to the activity" in text

    student = launch(client, person="student_1", lang="ar")
    assert 'id="maydan-cohort-dashboard"' not in student.content.decode()
    refused = client.post("/lti/dashboard", {"ctx": ctx_of(student), "lang": "ar"})
    assert refused.status_code == 403
    assert "<svg" not in refused.content.decode()


def test_the_instructor_plans_a_site_visit_through_a_launch_and_the_student_cannot(sandbox):
    from datetime import date, timedelta

    from maydan.models import Placement
    from maydan.visits.models import SiteVisit

    client = Client()
    place(client, "cohort")
    link = SandboxLink.objects.get()
    launch(client, person="student_1", link=link.pk, lang="en")
    placement = Placement.objects.get(student__subject="student_1")
    page = launch(client, person="instructor", link=link.pk, lang="en")
    day = (date.today() + timedelta(days=5)).isoformat()
    answer = client.post("/lti/app/", {"ctx": ctx_of(page), "action": "schedule_visit", "view": "visit",
                                       "placement": placement.pk, "which": "plan", "kind": "on_site", "day": day,
                                       "time": "11:00", "minutes": "60"})
    assert answer.status_code == 200 and "Visit planned" in answer.content.decode()
    visit = SiteVisit.objects.get()
    assert visit.scheduled_by.name == "Dr. Hoda Samir"
    # The student's launch of the same link opens no screen to post from; their own log's context is not the cohort's.
    student = launch(client, person="student_1", link=link.pk, lang="en").content.decode()
    assert 'name="ctx"' not in student and 'value="cancel_visit"' not in student
    own = launch(client, person="student_1", lang="en")
    refused = client.post("/lti/app/", {"ctx": ctx_of(own), "action": "cancel_visit", "view": "visit",
                                        "placement": placement.pk, "visit": visit.pk})
    assert refused.status_code in (400, 403, 404) and SiteVisit.objects.get().status == "scheduled"


def test_the_coordinator_pages_through_a_large_cohort(sandbox):
    from maydan.cohort.screens import HOME_PAGE
    from maydan.models import Course
    from tests.unit.test_cohort_dashboard_pages import many_students, names

    client = Client()
    place(client, "cohort")
    link = SandboxLink.objects.get()
    launch(client, person="student_1", link=link.pk, lang="en")
    many_students(Course.objects.get(context_id="field-training-1"), HOME_PAGE + 3)
    first = launch(client, person="admin", link=link.pk, lang="en")
    page = first.content.decode()
    assert len(re.findall(r'<tr data-placement="', page)) == HOME_PAGE and "Page 1 of 2" in page
    assert "Sara Adel" in page  # by name, before the Students
    second = client.post("/lti/app/", {"ctx": ctx_of(first), "action": "view", "view": "home", "page": "2"})
    rest = [f"Student {HOME_PAGE - 1 + i:03d}" for i in range(4)]
    assert second.status_code == 200 and names(second.content.decode()) == rest
