"""The screens a large course pages (the cohort dashboard, the grading queue) fit a phone and pass axe on
each page, in Arabic and English, through the LTI sandbox as the other screens are walked."""
import pytest

from lti_tool import demo_setup
from maydan.cohort.screens import HOME_PAGE
from maydan.grading.screens import QUEUE_PAGE
from maydan.models import Placement
from tests.unit.test_cohort_dashboard_pages import many_students
from tests.unit.test_grading_queue_pages import waiting_reflections

from .test_every_screen_on_phones import _links, phone_walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_paged_screens_fit_a_phone_and_pass_axe(browser, site, language):
    course = demo_setup.prepare()
    many_students(course, HOME_PAGE + 5, hours=3)
    waiting_reflections(Placement.objects.get(course=course, student__subject="student_1"), QUEUE_PAGE + 5)
    links = _links()
    walk = phone_walk(browser, site, language)
    try:
        walk.open("admin", links["cohort"], "coordinator-cohort-page-1")
        walk.act("button[name=page][value='2']")
        walk.check("coordinator-cohort-page-2")
        walk.open("instructor", links["evaluation"], "supervisor-grading-list-large")
        walk.act("nav.maydan-tabs button[value=queue]")
        walk.check("supervisor-grading-queue-page-1")
        walk.act("button[name=page][value='2']")
        walk.check("supervisor-grading-queue-page-2")
    finally:
        walk.context.close()
    assert walk.problems == [], "\n".join(walk.problems)
