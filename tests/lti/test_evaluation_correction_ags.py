"""A corrected evaluation reaches the platform's gradebook column over AGS, replacing the first grade.

Real parts: the sandbox platform (lti1p3platform) places the evaluation by deep linking, the student's
launch registers the column, and the tool's worker posts each score to the sandbox over HTTP.
"""
import pytest
from django.test import Client

from lti_tool import ags
from lti_tool.sandbox.models import SandboxLink, SandboxScore
from maydan import people, roles
from maydan.errors import Forbidden
from maydan.grading import corrections, services
from tests.unit.test_grading_evaluations import answers

from .flow import launch, place
from .test_activity_grades import site  # noqa: F401 (a fixture: the live tool and the sandbox platform)

pytestmark = pytest.mark.django_db(transaction=True)
COURSE = "field-training-1"


def test_the_corrected_grade_replaces_the_first_in_the_platforms_column(site):
    place(Client(), "evaluation:midterm")
    link = SandboxLink.objects.get()
    launch(Client(), person="student_1", link=link.pk, lang="ar")  # registers the column for this evaluation
    enter = lambda subject, role: people.enter(site.issuer, COURSE, subject, {role})  # noqa: E731
    student, academic, agency = enter("student_1", roles.STUDENT), enter("teacher_2", roles.ACADEMIC), enter(
        "agency_3", roles.AGENCY)
    people.assign_agency_supervisor(student.course, agency.person, [student.person])
    placement = student.person.placements.get()
    services.save_sheet(agency, placement.pk, "midterm", answers(4), submit=True)
    services.save_sheet(academic, placement.pk, "midterm", answers(2, **{f"comment_{n}": "Needs work."
                                                                          for n in range(1, 10)}), submit=True)
    services.release(academic, placement.pk, "midterm")
    assert ags.deliver_due() == (1, 0)
    assert SandboxScore.objects.get().score_given == pytest.approx(0.6 * link.score_maximum)

    with pytest.raises(Forbidden):
        corrections.reopen(agency, placement.pk, "midterm", "I scored too low.", ["agency"])
    corrections.reopen(academic, placement.pk, "midterm", "Competency scores were entered for another student.",
                       ["academic"])
    assert ags.deliver_due() == (0, 0)  # nothing leaves while the evaluation is being corrected
    services.save_sheet(academic, placement.pk, "midterm", answers(4), submit=True)
    services.release(academic, placement.pk, "midterm")
    assert ags.deliver_due() == (1, 0)
    latest = SandboxScore.objects.order_by("pk").last()
    assert (latest.link, latest.user_id) == (link, "student_1")
    assert latest.score_given == pytest.approx(0.8 * link.score_maximum)
