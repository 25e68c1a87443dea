"""Correcting a released evaluation inside the Open edX block: the corrected grade reaches edx-submissions."""
import pytest

from maydan.grading.correction_models import Correction
from maydan.grading.models import Evaluation
from maydan.models import Placement

from .test_evaluation_block import USAGE, course, sheet  # noqa: F401 (a fixture)
from .xbtools import COURSE_KEY, tr

REASON = "Competency 1 was scored from the log of another student."


def test_a_corrected_evaluation_replaces_the_grade_in_the_students_gradebook(course, gradebook):  # noqa: F811
    sara, hoda, rami = (course.people[k] for k in ("sara", "hoda", "rami"))
    placement = str(Placement.objects.get(student__subject="sara-anon").pk)
    rami.act(**sheet(5), placement=placement)
    hoda.act(**sheet(3), placement=placement)
    hoda.act(action="release", placement=placement)
    refused = rami.act(action="correct_evaluation", placement=placement, reason=REASON, sides="agency")
    assert refused.status_code == 403
    assert tr("ar", "Only the academic supervisor or the field coordinator may correct a released evaluation.") \
        in refused.text
    assert sara.act(action="correct_evaluation", placement=placement, reason=REASON).status_code == 403
    reopened = hoda.act(action="correct_evaluation", placement=placement, reason=REASON, sides="academic")
    assert reopened.status_code == 200 and REASON in reopened.text
    assert len(gradebook) == 1                                   # nothing leaves while it is being corrected
    hoda.act(**sheet(5), placement=placement)
    hoda.act(action="release", placement=placement)
    assert Evaluation.objects.get(placement=placement).score == pytest.approx(1.0)
    assert [(g["anonymous_user_id"], g["item_id"], g["points_earned"]) for g in gradebook] == [
        ("sara-anon", str(USAGE), 16), ("sara-anon", str(USAGE), 20)]
    assert all(g["course_id"] == str(COURSE_KEY) for g in gradebook)
    page = sara.view()
    assert REASON in page and 'value="acknowledge_correction"' in page
    correction = Correction.objects.get()
    assert sara.act(action="acknowledge_correction", correction=str(correction.pk)).status_code == 200
    assert Correction.objects.get().acknowledged_at is not None
