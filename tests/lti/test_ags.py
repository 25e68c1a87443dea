"""AGS: grades leave through the outbox and reach the sandbox's line item over real HTTP.

The tool and the sandbox platform are served by the live server; the tool's worker gets a
client-credentials token and posts scores to it. The sandbox fails the first N posts on request.
"""
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from lti_tool import ags
from lti_tool.models import Registration
from lti_tool.sandbox import ensure_sandbox_registration
from lti_tool.sandbox import services as platform
from lti_tool.sandbox.models import SandboxLink, SandboxScore
from maydan import grades
from maydan.models import Course, GradeOutbox, Person

from .flow import ctx_of, launch, place

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, settings):
    settings.MAYDAN_BASE_URL = live_server.url
    settings.MAYDAN_GRADE_RETRY_SECONDS = 0  # a failed grade is due again at once, unless a test says otherwise
    ensure_sandbox_registration()
    return live_server.url


@pytest.fixture
def placed(site):
    """The field log placed by deep linking (a 100-point column), launched once by Sara and the teacher."""
    place(Client(), "fieldlog")
    link = SandboxLink.objects.get()
    launch(Client(), person="student_1", link=link.pk, lang="en")
    return link


def grade(score, sub="student_1"):
    course = Course.objects.get(context_id="field-training-1")
    grades.queue_grade(course, Person.objects.get(subject=sub), "fieldlog", score)


def test_a_grade_reaches_the_line_item_once(placed):
    grade(0.25)
    assert ags.deliver_due() == (1, 0)
    assert ags.deliver_due() == (0, 0)  # nothing applied twice
    score = SandboxScore.objects.get()
    assert (score.link, score.user_id, score.score_given, score.score_maximum) == (placed, "student_1", 25, 100)
    assert (score.activity_progress, score.grading_progress) == ("InProgress", "FullyGraded")
    assert score.timestamp.startswith(str(timezone.now().year))
    assert GradeOutbox.objects.get().delivered_at is not None


def test_the_platform_failing_the_first_calls_loses_nothing(placed):
    grade(0.5)
    platform.fail_next(2)
    assert ags.deliver_due() == (0, 1)
    assert ags.deliver_due() == (0, 1)
    row = GradeOutbox.objects.get()
    assert row.attempts == 2 and "503" in row.last_error and row.delivered_at is None
    assert ags.deliver_due() == (1, 0)
    assert [s.score_given for s in SandboxScore.objects.all()] == [50]


def test_retries_back_off_exponentially(placed, settings):
    settings.MAYDAN_GRADE_RETRY_SECONDS = 30
    grade(0.5)
    platform.fail_next(5)
    assert ags.deliver_due() == (0, 1)
    row = GradeOutbox.objects.get()
    assert timedelta(seconds=25) < row.next_attempt_at - timezone.now() <= timedelta(seconds=30)
    assert ags.deliver_due() == (0, 0)  # not due yet
    GradeOutbox.objects.update(next_attempt_at=timezone.now())
    ags.deliver_due()
    row.refresh_from_db()
    assert timedelta(seconds=55) < row.next_attempt_at - timezone.now() <= timedelta(seconds=60)


def test_a_newer_grade_supersedes_an_undelivered_one(placed):
    grade(0.25)
    platform.fail_next(1)
    ags.deliver_due()
    grade(0.75)
    ags.deliver_due()
    assert [s.score_given for s in SandboxScore.objects.all()] == [75]
    assert GradeOutbox.objects.count() == 1


def test_an_unreachable_token_endpoint_keeps_the_grade(placed):
    Registration.objects.update(auth_token_url="http://127.0.0.1:9/token")  # nothing listens there
    grade(0.5)
    assert ags.deliver_due() == (0, 1)
    assert "token endpoint refused" in GradeOutbox.objects.get().last_error
    assert not SandboxScore.objects.exists()


def test_the_teacher_sees_delivery_per_student_and_resends(placed):
    grade(0.5)
    platform.fail_next(1)
    ags.deliver_due()
    teacher = launch(Client(), person="instructor", link=placed.pk, lang="en")
    assert "Grades sent to the platform" in teacher.content.decode()
    # The bar stays above the screen after the teacher's next action (a fetch answers the screen only).
    after = Client().post("/lti/app/", {"ctx": ctx_of(teacher), "action": "view"}, headers={"X-Requested-With": "fetch"})
    assert "Grades sent to the platform" in after.content.decode()
    page = Client().post("/lti/grades", {"ctx": ctx_of(teacher)}).content.decode()
    assert 'data-student="student_1" data-state="waiting"' in page and "1 attempt so far" in page
    # Which activity each grade is for, by its title; the address of the platform's column never shows.
    row_html = re.search(r'<tr data-student="student_1".*?</tr>', page, re.S).group(0)
    assert "<td>Field training log</td>" in row_html and "<td>50%</td>" in row_html and "http" not in row_html
    assert "Back to the activity" in page  # a way back from the sub-screen
    row = GradeOutbox.objects.get()
    page = Client().post("/lti/grades", {"ctx": ctx_of(teacher), "resend": row.pk}).content.decode()
    assert "The grade was sent." in page and 'data-state="delivered"' in page
    # Resending a delivered grade sends it once more, as a new outbox row.
    Client().post("/lti/grades", {"ctx": ctx_of(teacher), "resend": row.pk})
    assert [s.score_given for s in SandboxScore.objects.all()] == [50, 50]


def test_a_student_cannot_see_or_resend_grades(placed):
    grade(0.5)
    student = launch(Client(), person="student_1", link=placed.pk, lang="en")
    assert "Grades sent to the platform" not in student.content.decode()
    row = GradeOutbox.objects.get()
    response = Client().post("/lti/grades", {"ctx": ctx_of(student), "resend": row.pk})
    assert response.status_code == 403
    assert "Only the supervisors of this course can see grade delivery." in response.content.decode()
    assert GradeOutbox.objects.get().attempts == 0 and not SandboxScore.objects.exists()


def test_the_management_command_delivers(placed):
    from io import StringIO

    from django.core.management import call_command

    grade(0.5)
    out = StringIO()
    call_command("deliver_grades", stdout=out)
    assert "delivered 1, failed 0" in out.getvalue()
    assert SandboxScore.objects.count() == 1


def test_the_sandbox_refuses_scores_without_a_token(placed):
    import requests

    response = requests.post(f"{ags.scores_url(services_lineitem(placed))}", json={}, timeout=5)
    assert response.status_code == 401


def services_lineitem(link):
    return platform.lineitem(link)["id"]
