"""The cohort dashboard as an Open edX staff view: TestRuntime for each role, and the workbench with CSRF."""
import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.test import Client
from opaque_keys.edx.locator import BlockUsageLocator
from xblock.fields import ScopeIds

from maydan.models import Agency
from xblocks.cohort import CohortXBlock

from .xbtools import COURSE_KEY, LmsCourse, Person, RecordingRuntime, StaticUserService, lms_user
from xblock.runtime import KvsFieldData

USAGE = BlockUsageLocator(COURSE_KEY, block_type="maydan_cohort", block_id="cohort1")


class CohortCourse(LmsCourse):
    def open(self, user):
        runtime = RecordingRuntime(services={"field-data": KvsFieldData(self.kvs), "user": StaticUserService(user)})
        ids = ScopeIds(user.opt_attrs["edx-platform.anonymous_user_id"], "maydan_cohort", USAGE, USAGE)
        return runtime.construct_xblock_from_class(CohortXBlock, ids), runtime


@pytest.fixture
def course(db):
    return CohortCourse(USAGE)


def test_coordinator_sees_the_cohort_in_arabic_and_the_learner_does_not(course):
    Person(course, lms_user("anon-sara", name="Sara Adel")).view()  # a learner opens it: placed, refused
    learner = Person(course, lms_user("anon-sara", name="Sara Adel")).view()
    assert "Sara Adel" not in learner.split("</header>", 1)[1] and "لا يطّلع على الدفعة إلا منسق التدريب الميداني والمشرفون." in learner
    amal = Person(course, lms_user("anon-amal", role="maydan:coordinator", name="Amal Mahmoud"))
    html = amal.view()
    assert 'dir="rtl"' in html and "لوحة متابعة الدفعة" in html and "Sara Adel" in html and "<svg" in html
    hoda = Person(course, lms_user("anon-hoda", role="staff", name="Dr. Hoda Samir", lang="en"))
    assert "Sara Adel" in hoda.view() and "Agencies and placements" not in hoda.view()
    assert not amal.published and not hoda.published  # a staff view gives no grade
    assert CohortXBlock.has_score is False


def test_actions_go_through_the_blocks_handler(course):
    Person(course, lms_user("anon-sara", name="Sara Adel")).view()
    amal = Person(course, lms_user("anon-amal", role="maydan:coordinator", name="Amal Mahmoud", lang="en"))
    response = amal.act(action="save_agency", name="Hope Family Centre", kind="NGO")
    assert response.status_code == 200 and "Agency saved: Hope Family Centre." in response.text
    response = amal.act(action="export", table="hours", format="csv")
    assert response.status_code == 200 and 'download="maydan-hours-coded.csv"' in response.text
    hoda = Person(course, lms_user("anon-hoda", role="staff", name="Dr. Hoda Samir", lang="en"))
    response = hoda.act(action="save_agency", name="Other")
    assert response.status_code == 403 and Agency.objects.count() == 1


def test_studio_sets_the_display_name(course):
    hoda = Person(course, lms_user("anon-hoda", role="staff", lang="en"))
    assert "A view for course staff" in hoda.view("studio_view")
    assert hoda.post_json("studio_submit", {"display_name": "Cohort · الدفعة"}).status_code == 200
    assert hoda.block().display_name == "Cohort · الدفعة"


@pytest.mark.usefixtures("workbench_state")
def test_workbench_with_csrf():
    client = Client(enforce_csrf_checks=True)
    page = client.get("/workbench/scenario/maydan_cohort.0/", {"student": "coordinator_1"}).content.decode()
    assert "لوحة متابعة الدفعة" in page
    endpoint = unescape(re.search(r'class="maydan[^"]*"[^>]*data-endpoint="([^"]+)"', page).group(1))
    body = urlencode({"action": "view", "view": "evidence"})
    refused = client.post(endpoint, body, content_type="application/x-www-form-urlencoded")
    assert refused.status_code == 403
    answer = client.post(endpoint, body, content_type="application/x-www-form-urlencoded",
                         HTTP_X_REQUESTED_WITH="fetch", HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert answer.status_code == 200 and "شواهد الاعتماد" in answer.content.decode()


def test_the_coordinator_runs_placement_matching_from_the_block(course):
    from maydan.program.models import Offer, Opening, ProgramAgency

    sara = Person(course, lms_user("anon-sara", name="Sara Adel"))
    sara.view()
    amal = Person(course, lms_user("anon-amal", role="maydan:coordinator", name="Amal Mahmoud"))
    assert "التسكين في مؤسسات التدريب" in amal.view()  # the section's tab, in Arabic
    response = amal.act(action="save_agency", view="agencies", name="Hope Family Centre", modality="remote")
    assert response.status_code == 200 and "التسكين في مؤسسات التدريب" in response.text
    agency = ProgramAgency.objects.get()
    response = amal.act(action="save_opening", view="openings", agency=str(agency.pk), term="2026-fall",
                        title="Remote counselling", capacity="2", level="BSW")
    assert response.status_code == 200 and Opening.objects.get().title == "Remote counselling"
    response = amal.act(action="run", view="matching", term="2026-fall")
    assert response.status_code == 200 and not Offer.objects.exists()  # nobody ranked yet
    hoda = Person(course, lms_user("anon-hoda", role="staff", name="Dr. Hoda Samir", lang="en"))
    response = hoda.act(action="save_agency", view="agencies", name="Other")
    assert response.status_code == 403 and ProgramAgency.objects.count() == 1


def test_the_liaison_plans_and_records_a_site_visit_in_the_block(course):
    from datetime import date, timedelta

    from maydan.models import Placement
    from maydan.visits.models import SiteVisit

    Person(course, lms_user("anon-sara", name="Sara Adel")).view()
    placement = Placement.objects.get(student__name="Sara Adel")
    hoda = Person(course, lms_user("anon-hoda", role="staff", name="Dr. Hoda Samir", lang="ar"))
    response = hoda.act(action="view", view="visits")
    assert response.status_code == 200 and "الزيارات الميدانية" in response.text and "Sara Adel" in response.text
    day = (date.today() - timedelta(days=1)).isoformat()
    response = hoda.act(action="record_visit", view="visit", placement=placement.pk, which="record", kind="virtual",
                        day=day, time="10:00", minutes="45", met="student", progress="on_track",
                        actions="Two case conferences a month.")
    assert response.status_code == 200 and "سُجِّلت الزيارة." in response.text
    assert SiteVisit.objects.get().recorded_by.name == "Dr. Hoda Samir"
    sara = Person(course, lms_user("anon-sara", name="Sara Adel"))
    refused = sara.act(action="schedule_visit", view="visit", placement=placement.pk, day=day, time="10:00")
    assert refused.status_code in (403, 404) and SiteVisit.objects.count() == 1


def test_the_dashboard_pages_in_the_block(course):
    from maydan.cohort.screens import HOME_PAGE
    from maydan.models import Course
    from tests.unit.test_cohort_dashboard_pages import many_students, names

    Person(course, lms_user("anon-sara", name="Sara Adel")).view()
    many_students(Course.objects.get(), HOME_PAGE + 1)
    hoda = Person(course, lms_user("anon-hoda", role="staff", name="Dr. Hoda Samir", lang="en"))
    first = hoda.view()
    assert len(re.findall(r'<tr data-placement="', first)) == HOME_PAGE and "Sara Adel" in first  # by name: first
    second = hoda.act(action="view", view="home", page="2")
    assert second.status_code == 200 and names(second.text) == [f"Student {HOME_PAGE - 1:03d}", f"Student {HOME_PAGE:03d}"]
