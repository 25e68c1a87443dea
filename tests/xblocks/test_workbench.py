"""The field log in the xblock-sdk workbench, through Django's test client with CSRF enforced."""
import json
import logging
import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.test import Client

from maydan import vocab
from maydan.models import Course, LogEntry

from .xbtools import entry, entry_ids, placement_ids, tr

pytestmark = pytest.mark.usefixtures("workbench_state")

SCENARIO = "/workbench/scenario/maydan_fieldlog.0/"
WEIGHTED = "/workbench/scenario/maydan_fieldlog.1/"


class Browser:
    """One person in the workbench: loads the page, then posts the block's forms with the CSRF cookie, as maydan.js does."""

    def __init__(self, student, scenario=SCENARIO):
        self.student, self.scenario = student, scenario
        self.client = Client(enforce_csrf_checks=True)

    def open(self, view=""):
        response = self.client.get(self.scenario + (f"{view}/" if view else ""), {"student": self.student})
        assert response.status_code == 200
        self.page = response.content.decode()
        return self.page

    @property
    def endpoint(self):
        return unescape(re.search(r'class="maydan[^"]*"[^>]*data-endpoint="([^"]+)"', self.page).group(1))

    @property
    def token(self):
        return self.client.cookies["csrftoken"].value

    def act(self, **form):
        return self.post(self.endpoint, form, HTTP_X_REQUESTED_WITH="fetch", HTTP_X_CSRFTOKEN=self.token)

    def post(self, url, form, **headers):
        """A url-encoded post, as maydan.js and a plain HTML form send it."""
        return self.client.post(url, urlencode(form, doseq=True),
                                content_type="application/x-www-form-urlencoded", **headers)


def test_the_index_lists_the_field_log_scenarios():
    page = Client().get("/workbench/").content.decode()
    assert SCENARIO in page and WEIGHTED in page


def test_student_page_is_arabic_and_right_to_left():
    sara = Browser("student_1")
    page = sara.open()
    assert '<div class="maydan" lang="ar" dir="rtl"' in page
    assert "<h2>سجل التدريب الميداني</h2>" in page
    assert "MaydanFieldLog" in page                      # the block's script is initialised
    assert f"/act/?student=student_1" in sara.endpoint


def test_demo_people_have_their_roles():
    overview = tr("ar", "Field training: students")
    assert overview in Browser("academic_1").open() and tr("ar", "Academic supervisor") in Browser("academic_1").open()
    assert overview in Browser("coordinator_1").open()
    assert 'name="action" value="save"' in Browser("student_2").open()
    assert '<div class="maydan" lang="en" dir="ltr"' in Browser("student_en").open()


def test_a_post_without_or_with_a_forged_csrf_token_is_refused_and_stores_nothing():
    sara = Browser("student_1")
    sara.open()
    assert sara.post(sara.endpoint, entry()).status_code == 403
    forged = sara.post(sara.endpoint, entry(), HTTP_X_CSRFTOKEN="x" * 64)
    assert forged.status_code == 403
    assert sara.post(sara.endpoint, dict(entry(), csrfmiddlewaretoken="y" * 64)).status_code == 403
    assert sara.client.post(sara.endpoint, entry()).status_code == 403          # multipart, no token
    assert LogEntry.objects.count() == 0
    # The same post with the page's token goes through.
    response = sara.act(**entry())
    assert response.status_code == 200 and len(entry_ids(response.content.decode())) == 1
    assert LogEntry.objects.get().status == vocab.SUBMITTED


def test_a_multipart_post_with_the_token_works_too():
    sara = Browser("student_1")
    sara.open()
    response = sara.client.post(sara.endpoint, dict(entry(), competencies=["6", "7"]), HTTP_X_CSRFTOKEN=sara.token)
    assert response.status_code == 200
    assert LogEntry.objects.get().competencies == [6, 7]


def test_bad_input_comes_back_with_the_reason():
    sara = Browser("student_1")
    sara.open()
    response = sara.act(**entry(duration="", start_time="", end_time=""))
    assert response.status_code == 400
    assert tr("ar", "Give the start and end time, or the duration.") in response.content.decode()
    assert LogEntry.objects.count() == 0


def test_whole_flow_student_agency_academic_and_the_grade(caplog, gradebook):
    # The academic supervisor sets a 10-hour target on the block worth 10 points.
    hoda = Browser("academic_1", WEIGHTED)
    hoda.open("studio_view")
    studio_url = unescape(re.search(r'data-endpoint="([^"]+studio_submit[^"]*)"', hoda.page).group(1))
    saved = hoda.client.post(studio_url, json.dumps({"target_hours": "10"}), content_type="application/json",
                             HTTP_X_CSRFTOKEN=hoda.token)
    assert saved.status_code == 200 and Course.objects.get().target_hours == 10

    sara = Browser("student_1", WEIGHTED)
    sara.open()
    entry_id = entry_ids(sara.act(**entry()).content.decode())[0]

    # A student cannot approve or countersign her own entry.
    assert sara.act(action="approve", entry=entry_id).status_code == 403
    assert sara.act(action="countersign", entry=entry_id).status_code == 403

    rami = Browser("agency_1", WEIGHTED)
    assert "Sara Adel" in rami.open()                     # the demo makes him her agency supervisor
    # He reviews; he cannot write entries himself.
    assert rami.act(**entry()).status_code == 403
    approved = rami.act(action="approve", entry=entry_id, comment="Good work.")
    assert approved.status_code == 200 and tr("ar", "Entry approved.") in approved.content.decode()
    # Sara's gradebook has it at once: 2.5 of 10 hours on a 10-point block, in the whole points
    # edx-submissions keeps (halves up).
    assert [(s["anonymous_user_id"], s["points_earned"], s["points_possible"]) for s in gradebook] == [
        ("student_1", 3, 10)]

    # The academic supervisor countersigns.
    hoda.open()
    placement = placement_ids(hoda.page)[0]
    assert hoda.act(action="countersign", entry=entry_id, placement=placement).status_code == 200
    assert LogEntry.objects.get().status == vocab.COUNTERSIGNED

    # Countersigning changes no grade; Sara's next visit has nothing left to send.
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="workbench.runtime"):
        sara.open()
    assert "XBlock event grade" not in caplog.text and len(gradebook) == 1


def test_studio_settings_need_a_supervisor_and_a_valid_time_zone():
    sara = Browser("student_1")
    sara.open("studio_view")
    url = unescape(re.search(r'data-endpoint="([^"]+studio_submit[^"]*)"', sara.page).group(1))
    refused = sara.post(url, {"time_zone": "Asia/Riyadh"}, HTTP_X_CSRFTOKEN=sara.token)
    assert refused.status_code == 403 and Course.objects.get().time_zone == "Africa/Cairo"

    hoda = Browser("academic_1")
    hoda.open("studio_view")
    url = unescape(re.search(r'data-endpoint="([^"]+studio_submit[^"]*)"', hoda.page).group(1))
    assert hoda.post(url, {"time_zone": "Asia/Riyadh"}).status_code == 403                  # no CSRF token
    bad = hoda.post(url, {"time_zone": "Mars/Olympus"}, HTTP_X_CSRFTOKEN=hoda.token)
    assert bad.status_code == 400 and "Mars/Olympus" in bad.json()["errors"]["time_zone"][0]
    good = hoda.post(url, {"time_zone": "Asia/Riyadh"}, HTTP_X_CSRFTOKEN=hoda.token)
    assert good.status_code == 200 and Course.objects.get().time_zone == "Asia/Riyadh"
