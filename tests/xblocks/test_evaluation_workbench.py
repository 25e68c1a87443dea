"""The evaluation block in the xblock-sdk workbench, through Django's test client with CSRF enforced."""
import logging

import pytest
from django.test import Client

from maydan.grading import services
from maydan.grading.models import Scoresheet
from maydan.models import Placement

from .test_workbench import Browser
from .xbtools import tr

pytestmark = pytest.mark.usefixtures("workbench_state")

MIDTERM = "/workbench/scenario/maydan_evaluation.0/"
FINAL = "/workbench/scenario/maydan_evaluation.1/"
BEHAVIOURS = [b.id for b in services.form_of("final").framework.behaviours]


def sheet(value, placement):
    fields = {f"value_{b}": str(value) for b in BEHAVIOURS}
    return dict(fields, action="save_sheet", submit="1", placement=placement, comment_overall="Solid.")


def test_the_index_lists_the_evaluation_scenarios():
    page = Client().get("/workbench/").content.decode()
    assert MIDTERM in page and FINAL in page


def test_posts_without_the_csrf_token_are_refused_and_store_nothing():
    Browser("student_1", FINAL).open()
    rami = Browser("agency_1", FINAL)
    rami.open()
    placement = Placement.objects.get(student__subject="student_1").pk
    assert rami.post(rami.endpoint, sheet(4, placement)).status_code == 403
    assert rami.post(rami.endpoint, sheet(4, placement), HTTP_X_CSRFTOKEN="z" * 64).status_code == 403
    assert not Scoresheet.objects.exists()


def test_both_supervisors_score_the_final_and_the_grade_is_in_the_students_gradebook_at_once(caplog, gradebook):
    sara = Browser("student_1", FINAL)
    assert tr("ar", "Your evaluation has not been released yet.") in sara.open()
    placement = Placement.objects.get(student__subject="student_1").pk

    rami = Browser("agency_1", FINAL)
    assert '<div class="maydan" lang="ar" dir="rtl"' in rami.open()
    assert rami.act(**sheet(4, placement)).status_code == 200
    hoda = Browser("academic_1", FINAL)
    hoda.open()
    assert hoda.act(**sheet(5, placement)).status_code == 200
    assert gradebook == []
    released = hoda.act(action="release", placement=placement)
    assert released.status_code == 200 and tr("ar", "Evaluation released to the student.") in released.content.decode()
    # 4.5 of 5 on a 20-point block, in Sara's gradebook before she comes back.
    [score] = gradebook
    assert (score["anonymous_user_id"], score["points_earned"], score["points_possible"]) == ("student_1", 18, 20)

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="workbench.runtime"):
        page = sara.open()
    assert "XBlock event grade" not in caplog.text and len(gradebook) == 1    # nothing sent twice
    assert tr("ar", "Final score: %(percent)s%%") % {"percent": "90"} in page
