"""The learning agreement beside the field log: its state and goals on the student's log and the placement screen."""
import pytest

from maydan import ui
from maydan.fieldlog import screens as fieldlog_screens
from maydan.errors import NotFound
from maydan.grading import agreements
from tests.conftest import form as posted

from .test_grading_agreements import GOALS


def student_log(cohort, language):
    return fieldlog_screens.render(ui.Screen(actor=cohort.student, language=language, endpoint="/log"))


def placement_screen(actor, placement, language):
    return fieldlog_screens.render(ui.Screen(actor=actor, language=language, endpoint="/log", view="placement",
                               placement_id=str(placement.pk)))


def state(page):
    return page.split('data-agreement="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("language, texts", [
    ("en", {"missing": "Not written yet", "drafted": "Drafted, not signed yet",
            "agency_signed": "Signed by the agency supervisor", "signed": "Signed by both supervisors",
            "needs_signatures": "needs new signatures", "academic_signed": "Signed by the academic supervisor",
            "competency": "Demonstrate ethical and professional behavior"}),
    ("ar", {"missing": "لم يُكتب بعد", "drafted": "مسودة لم تُوقَّع بعد", "agency_signed": "وقّعه المشرف المؤسسي",
            "signed": "وقّعه المشرفان كلاهما", "needs_signatures": "يحتاج إلى توقيعات جديدة",
            "academic_signed": "وقّعه المشرف الأكاديمي", "competency": "إظهار السلوك الأخلاقي والمهني"}),
])
def test_the_student_and_the_supervisors_see_the_agreement_state_and_goals_beside_the_log(cohort, language, texts):
    placement = cohort.student.person.placements.get()
    page = student_log(cohort, language)
    assert state(page) == "missing" and texts["missing"] in page
    agreements.save(cohort.student, posted(**GOALS))
    steps = [("drafted", None), ("agency_signed", cohort.agency), ("signed", cohort.academic)]
    for expected, signer in steps:
        if signer:
            agreements.sign(signer, placement.pk)
        for page in (student_log(cohort, language), placement_screen(cohort.academic, placement, language),
                     placement_screen(cohort.agency, placement, language)):
            assert state(page) == expected and texts[expected] in page
    assert "Use supervision every week." in page and texts["competency"] in page
    assert "Weekly conference with the agency supervisor." in page
    agreements.save(cohort.student, posted(**dict(GOALS, goals_1="Prepare each supervision with questions.")))
    page = student_log(cohort, language)
    assert state(page) == "needs_signatures" and texts["needs_signatures"] in page
    assert "Prepare each supervision with questions." in page
    agreements.sign(cohort.academic, placement.pk)
    assert texts["academic_signed"] in placement_screen(cohort.academic, placement, language)


def test_reading_creates_nothing_and_other_placements_are_refused(cohort):
    from maydan.grading.models import Agreement

    other = cohort.other_student.person.placements.get()
    assert agreements.beside_log(cohort.academic, other, "en")["state"] == "missing"
    assert not Agreement.objects.exists()
    with pytest.raises(NotFound):
        agreements.beside_log(cohort.agency, other, "en")  # not their student
    with pytest.raises(NotFound):
        agreements.beside_log(cohort.student, other, "en")
