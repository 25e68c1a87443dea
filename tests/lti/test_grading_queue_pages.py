"""The grading queue through real LTI launches: the Instructor pages through it; a Learner never sees it."""
from django.test import Client

from lti_tool.sandbox.models import SandboxLink
from maydan.grading.screens import QUEUE_PAGE
from maydan.models import Placement
from tests.unit.test_grading_queue_pages import shown_days, waiting_reflections

from .flow import ctx_of, launch


def test_the_instructor_pages_through_the_queue_and_a_learner_is_not_shown_it(sandbox):
    client = Client()
    link = SandboxLink.objects.create(course="field-training-1", title="Midterm", score_maximum=20,
                                      custom={"maydan_activity": "evaluation:midterm"})
    student = launch(client, person="student_1", link=link.pk, lang="ar")
    waiting_reflections(Placement.objects.get(student__subject="student_1"), QUEUE_PAGE + 3)
    teacher = launch(client, person="instructor", link=link.pk, lang="en")
    first = client.post("/lti/app/", {"ctx": ctx_of(teacher), "action": "view", "view": "queue"}).content.decode()
    second = client.post("/lti/app/", {"ctx": ctx_of(teacher), "action": "view", "view": "queue", "page": "2"})
    assert len(shown_days(first)) == QUEUE_PAGE and f"{QUEUE_PAGE + 3} pieces of work wait." in first
    assert second.status_code == 200 and len(shown_days(second.content.decode())) == 3
    mine = client.post("/lti/app/", {"ctx": ctx_of(student), "action": "view", "view": "queue", "page": "2"})
    assert mine.status_code == 200 and not shown_days(mine.content.decode())
