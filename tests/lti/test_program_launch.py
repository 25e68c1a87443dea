"""Placement matching through real LTI launches, and the agency's openings link over HTTP."""
import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from lti_tool.sandbox.models import SandboxLink
from maydan.models import Placement
from maydan.program.models import Offer, OpeningLink, PlacementPreference

from .flow import ctx_of, launch, place

TERM = "2026-fall"


def act(client, response, **values):
    return client.post("/lti/app/", {"ctx": ctx_of(response), **values})


def test_coordinator_and_students_match_and_the_agency_accepts_through_its_link(sandbox):
    client = Client()
    place(client, "program")
    link = SandboxLink.objects.get()
    assert (link.title, link.custom, link.score_maximum) == ("Placement matching", {"maydan_activity": "program"}, None)
    admin = launch(client, person="admin", link=link.pk, lang="ar")
    assert 'dir="rtl"' in admin.content.decode() and "التسكين في مؤسسات التدريب" in admin.content.decode()
    answer = act(client, admin, action="save_agency", view="agencies", name="Hope Family Centre", modality="hybrid")
    assert answer.status_code == 200
    agency_id = re.search(r'data-agency="(\d+)"', answer.content.decode()).group(1)
    answer = act(client, answer, action="save_opening", view="openings", agency=agency_id, term=TERM,
                 title="Child protection", capacity="1", level="BSW")
    assert answer.status_code == 200
    opening = re.search(r'data-opening="(\d+)"', answer.content.decode()).group(1)

    student = launch(client, person="student_1", link=link.pk, lang="en")
    assert "Child protection" in student.content.decode()
    saved = act(client, student, action="rank", view="rank", term=TERM, rank1=opening, statement="Children first.")
    assert saved.status_code == 200 and "Your choices are saved." in saved.content.decode()
    refused = act(client, student, action="run", view="matching", term=TERM)
    assert refused.status_code == 403 and not Offer.objects.exists()

    admin = launch(client, person="admin", link=link.pk, lang="en")
    assert act(client, admin, action="run", view="matching", term=TERM).status_code == 200
    assert act(client, admin, action="send", view="matching", term=TERM).status_code == 200
    issued = act(client, admin, action="issue_link", view="agencies", agency=agency_id, days="14")
    url = re.search(r'class="maydan-new-link">([^<]+)<', issued.content.decode()).group(1)
    path = url[url.index("/maydan/openings/"):]

    agency_page = Client().get(path + "?lang=ar")
    assert agency_page.status_code == 200 and "Hope Family Centre" in agency_page.content.decode()
    assert agency_page["Content-Security-Policy"] == "frame-ancestors 'none'"
    offer = Offer.objects.get()
    unnamed = Client().post(path, {"action": "accept", "offer": offer.pk, "lang": "en", "term": TERM})
    assert unnamed.status_code == 400 and "Name the agency supervisor" in unnamed.content.decode()
    accepted = Client().post(path, {"action": "accept", "offer": offer.pk, "lang": "en", "term": TERM,
                                    "supervisor_name": "Rami Fawzy"})
    assert accepted.status_code == 200 and "Offer accepted" in accepted.content.decode()
    placement = Placement.objects.get(student__subject="student_1", course=offer.course)
    assert placement.agency == "Hope Family Centre" and placement.agency_supervisor.name == "Rami Fawzy"
    # The agency supervisor's link, shown once, opens the student's log.
    log_url = re.search(r'value="([^"]*/maydan/agency/[^"]+)"', accepted.content.decode()).group(1)
    log_page = Client().get(log_url[log_url.index("/maydan/agency/"):] + "?lang=en")
    assert log_page.status_code == 200 and "Field training log" in log_page.content.decode()
    assert PlacementPreference.objects.get().statement == "Children first."

    # Revoked or expired, the link opens nothing.
    OpeningLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(path).status_code == 410
    assert Client().get("/maydan/openings/forged-token/").status_code == 404


def test_academic_supervisor_launching_it_is_refused(sandbox):
    client = Client()
    place(client, "program")
    link = SandboxLink.objects.get()
    page = launch(client, person="instructor", link=link.pk, lang="en")
    assert "Only the field coordinator and students use placement matching." in page.content.decode()
    assert act(client, page, action="save_agency", view="agencies", name="X").status_code == 403
