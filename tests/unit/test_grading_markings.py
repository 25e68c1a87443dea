"""Rubric grading of reflections: workflow, history, release to student and gradebook, undoable override."""
import pytest

from maydan import fieldlog, grades
from maydan.errors import Conflict, Forbidden, Invalid, NotFound
from maydan.grading import markings
from maydan.grading.models import Marking
from maydan.models import GradeOutbox
from tests.conftest import entry_form, form as posted

FULL = {"crit_description": 2, "crit_analysis": 4, "crit_self_awareness": 1, "crit_next_steps": 1}


@pytest.fixture
def entry(cohort):
    return fieldlog.save_entry(cohort.student, entry_form(), submit=True)


def walk_to_release(actor, entry):
    markings.grade(actor, entry.pk, "reflection", posted(**FULL))
    markings.move(actor, entry.pk, "reflection", Marking.IN_REVIEW)
    markings.move(actor, entry.pk, "reflection", Marking.READY)
    return markings.release(actor, entry.pk, "reflection")


def test_a_released_grade_reaches_the_student_and_the_gradebook_only_at_release(cohort, entry):
    grades.register_destination(cohort.course, "lti:reflections", activity="rubric:reflection")
    markings.grade(cohort.academic, entry.pk, "reflection", posted(**FULL, comment="Good link to the code of ethics."))
    markings.move(cohort.academic, entry.pk, "reflection", Marking.IN_REVIEW)
    markings.move(cohort.academic, entry.pk, "reflection", Marking.READY)
    assert markings.for_student(cohort.student) == [] and not GradeOutbox.objects.exists()
    markings.release(cohort.coordinator, entry.pk, "reflection")
    [shown] = markings.for_student(cohort.student)
    assert shown.final_score == pytest.approx(0.8) and shown.comment.startswith("Good link")
    assert grades.pending("lti:reflections", cohort.student.person).score == pytest.approx(0.8)
    assert markings.for_student(cohort.other_student) == []


def test_workflow_refuses_skipping_and_sending_back_needs_a_reason(cohort, entry):
    markings.grade(cohort.academic, entry.pk, "reflection", posted(crit_description=2))
    with pytest.raises(Invalid):  # not every criterion chosen
        markings.move(cohort.academic, entry.pk, "reflection", Marking.IN_REVIEW)
    markings.grade(cohort.academic, entry.pk, "reflection", posted(**FULL))
    with pytest.raises(Conflict):
        markings.move(cohort.academic, entry.pk, "reflection", Marking.READY)
    with pytest.raises(Conflict):
        markings.release(cohort.academic, entry.pk, "reflection")
    markings.move(cohort.academic, entry.pk, "reflection", Marking.IN_REVIEW)
    with pytest.raises(Invalid):
        markings.move(cohort.academic, entry.pk, "reflection", Marking.DRAFT, "")
    markings.move(cohort.academic, entry.pk, "reflection", Marking.DRAFT, "Recheck the analysis level.")
    assert Marking.objects.get().status == Marking.DRAFT


def test_bad_levels_and_identifiers_are_refused_and_nothing_is_written(cohort, entry):
    with pytest.raises(Invalid) as refusal:
        markings.grade(cohort.academic, entry.pk, "reflection", posted(crit_analysis=3))
    assert "crit_analysis" in refusal.value.field_errors
    with pytest.raises(Invalid):
        markings.grade(cohort.academic, entry.pk, "reflection", posted(**FULL, comment="Call her on 01012345678"))
    assert not Marking.objects.exclude(choices={}).exists()
    with pytest.raises(NotFound):
        markings.grade(cohort.academic, entry.pk, "no-rubric", posted(**FULL))


def test_only_course_supervisors_grade(cohort, entry):
    for actor in (cohort.agency, cohort.student, cohort.other_student):
        with pytest.raises((Forbidden, NotFound)):
            markings.grade(actor, entry.pk, "reflection", posted(**FULL))
    draft = fieldlog.save_entry(cohort.student, entry_form(start_time="13:00", end_time="14:00"))
    with pytest.raises(NotFound):  # a draft is not handed in
        markings.grade(cohort.academic, draft.pk, "reflection", posted(**FULL))
    assert not Marking.objects.exists()


def test_override_after_release_changes_the_grade_and_can_be_undone_with_history(cohort, entry):
    grades.register_destination(cohort.course, "lti:reflections", activity="rubric:reflection")
    walk_to_release(cohort.academic, entry)
    with pytest.raises(Conflict):
        markings.grade(cohort.academic, entry.pk, "reflection", posted(**FULL))
    with pytest.raises(Invalid):
        markings.override(cohort.academic, entry.pk, "reflection", "1.5", "too generous")
    with pytest.raises(Invalid):
        markings.override(cohort.academic, entry.pk, "reflection", "0.9", "")
    markings.override(cohort.academic, entry.pk, "reflection", "0.9", "Second reader agreed on a higher mark.")
    assert grades.pending("lti:reflections", cohort.student.person).score == pytest.approx(0.9)
    markings.undo_override(cohort.coordinator, entry.pk, "reflection", "Override was on the wrong entry.")
    marking = Marking.objects.get()
    assert marking.final_score == pytest.approx(0.8)
    assert grades.pending("lti:reflections", cohort.student.person).score == pytest.approx(0.8)
    with pytest.raises(Conflict):
        markings.undo_override(cohort.academic, entry.pk, "reflection")
    steps = [(e.action, e.actor.subject, e.comment) for e in markings.history(marking)]
    assert [s[0] for s in steps] == ["marking_edit", "marking_status", "marking_status", "marking_status",
                                     "marking_override", "marking_override_undo"]
    assert steps[-1] == ("marking_override_undo", "k1", "Override was on the wrong entry.")


def test_reflections_list_pairs_entries_with_their_markings(cohort, entry):
    markings.grade(cohort.academic, entry.pk, "reflection", posted(**FULL))
    [(listed, marking)] = markings.reflections(cohort.academic, entry.placement)
    assert listed == entry and marking.score == pytest.approx(0.8)


def test_export_lists_every_rubric_grade_with_its_criteria(cohort, entry):
    import csv
    import io

    from maydan.grading import bulk

    walk_to_release(cohort.academic, entry)
    markings.override(cohort.academic, entry.pk, "reflection", "0.9", "Second reader.")
    [row] = list(csv.DictReader(io.StringIO(bulk.export_markings_csv(cohort.coordinator))))
    assert (row["student"], row["status"], row["score"], row["override"]) == ("s1", "released", "0.8", "0.9")
    assert (row["description"], row["analysis"], row["self_awareness"], row["next_steps"]) == ("2", "4", "1", "1")
    with pytest.raises(Forbidden):
        bulk.export_markings_csv(cohort.agency)
