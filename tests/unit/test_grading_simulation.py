"""A simulation's written answers and debrief reflection, graded with a rubric through the marking workflow;
the released grades join the choices in the simulation's grade."""
import pytest

from maydan import grades
from maydan.errors import Forbidden, Invalid, NotFound
from maydan.grading import markings
from maydan.grading.models import Marking
from maydan.simulation import screens, services as sim
from maydan.ui import Screen
from tests.conftest import form as posted

from .test_simulation_services import mini, play  # noqa: F401 (fixture)

ANSWER_FULL = {"crit_facts": 2, "crit_reasoning": 4, "crit_client": 2, "crit_clarity": 2}       # 10 of 10
REFLECTION = {"crit_description": 2, "crit_analysis": 4, "crit_self_awareness": 1, "crit_next_steps": 1}  # 8 of 10


def release(actor, target, rubric, levels):
    markings.grade(actor, target, rubric, posted(**levels, comment="Clear and grounded."))
    markings.move(actor, target, rubric, Marking.IN_REVIEW)
    markings.move(actor, target, rubric, Marking.READY)
    return markings.release(actor, target, rubric)


def targets(attempt):
    return f"answer:{attempt.answers.get().pk}", f"attempt:{attempt.pk}"


def published(cohort):
    return grades.pending("xblock:sim-1", cohort.student.person).score


def test_only_the_academic_supervisor_grades_and_not_before_the_attempt_is_finished(cohort, mini):
    attempt = sim.start(cohort.student, mini)
    attempt = sim.choose(cohort.student, attempt.pk, "a", "warm")
    attempt = sim.answer(cohort.student, attempt.pk, "write", "C-27 fears evaluation.")
    answer = f"answer:{attempt.answers.get().pk}"
    with pytest.raises(NotFound):  # at the debrief: not handed in yet
        markings.grade(cohort.academic, answer, "simulation-answer", posted(**ANSWER_FULL))
    attempt = sim.reflect(cohort.student, attempt.pk, "I learnt to slow down.")
    for refused in (cohort.student, cohort.agency):
        with pytest.raises(Forbidden):
            markings.grade(refused, answer, "simulation-answer", posted(**ANSWER_FULL))
    with pytest.raises(Invalid):  # the answer rubric is not for reflections
        markings.grade(cohort.academic, f"attempt:{attempt.pk}", "simulation-answer", posted(**ANSWER_FULL))
    with pytest.raises(NotFound):
        markings.grade(cohort.academic, "answer:9999", "simulation-answer", posted(**ANSWER_FULL))
    assert not Marking.objects.exists()
    marking = markings.grade(cohort.coordinator, answer, "simulation-answer", posted(**ANSWER_FULL))
    assert marking.score == 1.0 and marking.placement.student == cohort.student.person


def test_released_rubric_grades_join_the_choices_in_the_grade_sent_to_the_outbox(cohort, mini):
    attempt = play(cohort.student, mini, "cold")  # the choices earn 0
    assert published(cohort) == 0.0
    answer, reflection = targets(attempt)
    release(cohort.academic, answer, "simulation-answer", ANSWER_FULL)
    assert published(cohort) == 0.0  # the reflection is not released yet: the choices alone
    release(cohort.academic, reflection, "reflection", REFLECTION)
    assert published(cohort) == pytest.approx(0.3 * 0.9)  # 70 % choices, 30 % the mean of the written work
    markings.override(cohort.academic, reflection, "reflection", "0.6", "Second reading.")
    assert published(cohort) == pytest.approx(0.3 * 0.8)
    markings.undo_override(cohort.academic, reflection, "reflection", "The first grade stands.")
    assert published(cohort) == pytest.approx(0.27)
    actions = [e.action for e in markings.history(Marking.objects.get(attempt=attempt))]
    assert actions[-2:] == ["marking_override", "marking_override_undo"]
    # A reflection graded in the log makes its own rubric grade; a simulation's does not count there.
    grades.register_destination(cohort.course, "lti:reflections", activity="rubric:reflection")
    assert grades.pending("lti:reflections", cohort.student.person) is None


def sim_screen(actor, language):
    return Screen(actor=actor, language=language, activity="simulation", key="mini", endpoint="/sim")


def test_arabic_debrief_the_supervisor_marks_and_the_student_sees_only_the_released_grade(cohort, mini):
    attempt = play(cohort.student, mini, "warm")
    answer, reflection = targets(attempt)
    view = {"action": "view", "view": "attempt", "attempt": attempt.pk}
    status, page = screens.handle(sim_screen(cohort.academic, "ar"), posted(**view))
    assert status == 200 and sim_screen(cohort.academic, "ar").direction == "rtl" and "الاستناد إلى وقائع الحالة" in page
    assert f'data-target="{answer}"' in page and f'data-target="{reflection}"' in page
    status, page = screens.handle(sim_screen(cohort.academic, "ar"), posted(
        action="grade", target=answer, rubric="simulation-answer", view="attempt", attempt=attempt.pk,
        **dict(ANSWER_FULL, crit_facts=3)))
    assert status == 400 and "اختر أحد مستويات هذا المعيار" in page
    for action in ({"action": "grade", **ANSWER_FULL, "comment": "تحليل واضح"},
                   {"action": "move", "status": Marking.IN_REVIEW}, {"action": "move", "status": Marking.READY}):
        status, page = screens.handle(sim_screen(cohort.academic, "ar"), posted(
            target=answer, rubric="simulation-answer", view="attempt", attempt=attempt.pk, **action))
        assert status == 200, page
    status, page = screens.handle(sim_screen(cohort.student, "ar"), posted(**view))
    assert "تحليل واضح" not in page  # ready, not released
    screens.handle(sim_screen(cohort.academic, "ar"), posted(
        action="release_marking", target=answer, rubric="simulation-answer", view="attempt", attempt=attempt.pk))
    for reader in (cohort.student, cohort.agency):
        status, page = screens.handle(sim_screen(reader, "ar"), posted(**view))
        assert "درجة المشرف" in page and "100%" in page and "تحليل واضح" in page
        assert 'name="crit_facts"' not in page
    status, page = screens.handle(sim_screen(cohort.student, "ar"), posted(
        action="grade", target=reflection, rubric="reflection", view="attempt", attempt=attempt.pk, **REFLECTION))
    assert status == 403
    other = play(cohort.other_student, mini, "warm")
    status, page = screens.handle(sim_screen(cohort.agency, "en"), posted(action="view", view="attempt",
                                                                          attempt=other.pk))
    assert status == 404  # not their student


def test_the_export_lists_simulation_answer_grades(cohort, mini):
    import csv
    import io

    from maydan.grading import bulk

    attempt = play(cohort.student, mini, "warm")
    answer, _reflection = targets(attempt)
    release(cohort.academic, answer, "simulation-answer", ANSWER_FULL)
    [row] = csv.DictReader(io.StringIO(bulk.export_markings_csv(cohort.academic, "simulation-answer")))
    assert (row["writing"], row["date"], row["score"], row["reasoning"]) == (
        answer, attempt.finished_at.date().isoformat(), "1.0", "4")
