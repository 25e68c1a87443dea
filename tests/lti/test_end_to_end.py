"""The whole journey over real HTTP: the live server serves the tool and the sandbox platform, a
`requests` session plays the browser (cookies, redirects, auto-posting forms), nothing in-process.

A teacher places the field log by deep linking, a student logs hours, the agency supervisor
approves, the grade reaches the sandbox's gradebook through a platform failing its first calls,
and the roster shows a student who never launched.
"""
import html
import re
from datetime import date, timedelta

import pytest
import requests

from lti_tool import ags
from lti_tool.sandbox.models import SandboxLink, SandboxScore

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, settings):
    settings.MAYDAN_BASE_URL = live_server.url
    settings.MAYDAN_GRADE_RETRY_SECONDS = 0
    settings.MAYDAN_LTI_ROSTER_ON_LAUNCH = True
    return live_server.url


def fields(page):
    return {name: html.unescape(value) for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', page)}


def action(page, form_id):
    return html.unescape(re.search(rf'<form[^>]*action="([^"]+)"[^>]*id="{form_id}"', page).group(1))


def launch(browser, site, person, *, link=None, deep_link=False, lang="en"):
    """Sandbox start -> tool login -> sandbox authorize -> the auto-posted id_token -> the tool's page."""
    start = browser.get(f"{site}/sandbox/{'deep-link' if deep_link else 'launch'}",
                        params={"person": person, "course": "field-training-1", "lang": lang,
                                **({"link": link} if link else {})})
    assert start.status_code == 200 and start.url.startswith(f"{site}/sandbox/authorize"), start.text
    form = fields(start.text)
    page = browser.post(action(start.text, "lti-launch"), data={"id_token": form["id_token"], "state": form["state"]})
    assert page.status_code == 200, page.text
    return page.text


def test_deep_linking_launch_grades_and_roster_over_http(site):
    teacher = requests.Session()
    picker = launch(teacher, site, "instructor", deep_link=True)
    assert "Add a Maydan activity" in picker
    answer = teacher.post(f"{site}/lti/deep-link", data={"dl": fields(picker)["dl"], "activity": "fieldlog"})
    placed = teacher.post(action(answer.text, "lti-deep-link-response") + "?lang=en", data={"JWT": fields(answer.text)["JWT"]})
    assert placed.status_code == 200 and "Field training log" in placed.text
    link = SandboxLink.objects.get()

    student = requests.Session()
    page = launch(student, site, "student_1", link=link.pk)
    day = (date.today() - timedelta(days=2)).isoformat()
    saved = student.post(f"{site}/lti/app/", data={
        "ctx": fields(page)["ctx"], "action": "save", "submit": "1", "date": day, "start_time": "09:00",
        "end_time": "13:00", "activity_type": "home_visit", "modality": "in_person", "time_kind": "direct",
        "agency": "Hope Family Centre", "description": "Home visit to review the care plan.",
        "reflection": "I contracted first.",
    })
    assert saved.status_code == 200, saved.text

    mentor = requests.Session()
    page = launch(mentor, site, "mentor", link=link.pk)
    from maydan.models import LogEntry

    entry = LogEntry.objects.get()
    approved = mentor.post(f"{site}/lti/app/", data={"ctx": fields(page)["ctx"], "action": "approve",
                                                     "entry": entry.pk, "placement": entry.placement_id})
    assert approved.status_code == 200 and "Entry approved." in approved.text

    # The sandbox administrator makes the next two score posts fail (the form on the sandbox page).
    admin = requests.Session()
    sandbox_page = admin.get(f"{site}/sandbox/?lang=en").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', sandbox_page).group(1)
    admin.post(f"{site}/sandbox/fail-calls?lang=en", data={"count": "2", "csrfmiddlewaretoken": token},
               headers={"Referer": f"{site}/sandbox/"})
    rounds = [ags.deliver_due() for _ in range(3)]
    assert rounds == [(0, 1), (0, 1), (1, 0)]
    score = SandboxScore.objects.get()
    assert (score.user_id, score.score_given, score.score_maximum) == ("student_1", 1.0, 100)  # 4 h of 400 h
    assert "student_1: 1 / 100" in admin.get(f"{site}/sandbox/?lang=en").text

    # The roster came with the teacher's launch: Omar never launched, yet his supervisor sees him.
    overview = launch(requests.Session(), site, "instructor", link=link.pk)
    assert "Omar Nabil" in overview
    grades_page = teacher.post(f"{site}/lti/grades", data={"ctx": fields(overview)["ctx"]}).text
    assert 'data-student="student_1" data-state="delivered"' in grades_page
