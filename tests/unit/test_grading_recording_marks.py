"""Process recordings graded with the process-recording rubric through the marking workflow."""
import pytest

from maydan import grades, ui
from maydan.errors import Forbidden, Invalid, NotFound
from maydan.grading import markings, recordings, screens
from maydan.grading.models import Marking
from tests.conftest import form

from .test_grading_recordings import recording_form

FULL = {"crit_purpose": 2, "crit_skills": 4, "crit_self_awareness": 2, "crit_ethics": 2}       # 10 of 10
PARTLY = {"crit_purpose": 1, "crit_skills": 2, "crit_self_awareness": 1, "crit_ethics": 1}     # 5 of 10


def submitted(actor):
    return recordings.save(actor, recording_form(), submit=True)


def walk(actor, target, levels):
    markings.grade(actor, target, "process-recording", form(**levels))
    markings.move(actor, target, "process-recording", Marking.IN_REVIEW)
    markings.move(actor, target, "process-recording", Marking.READY)
    return markings.release(actor, target, "process-recording")


def test_only_course_supervisors_grade_submitted_recordings(cohort):
    draft = recordings.save(cohort.student, recording_form())
    with pytest.raises(NotFound):  # a draft is not handed in
        markings.grade(cohort.academic, f"recording:{draft.pk}", "process-recording", form(**FULL))
    recording = submitted(cohort.student)
    target = f"recording:{recording.pk}"
    for refused in (cohort.student, cohort.agency):
        with pytest.raises(Forbidden):
            markings.grade(refused, target, "process-recording", form(**FULL))
    with pytest.raises(Invalid):  # the reflection rubric is not for recordings
        markings.grade(cohort.academic, target, "reflection", form(**FULL))
    assert not Marking.objects.exists()
    assert markings.grade(cohort.academic, target, "process-recording", form(**FULL)).score == 1.0


def test_released_grades_reach_the_outbox_as_the_mean_and_overrides_undo(cohort):
    grades.register_destination(cohort.course, "lti:recordings", activity="rubric:process-recording")
    first, second = submitted(cohort.student), submitted(cohort.student)
    markings.grade(cohort.academic, f"recording:{first.pk}", "process-recording", form(**FULL))
    assert grades.pending("lti:recordings", cohort.student.person) is None  # nothing before release
    walk(cohort.academic, f"recording:{first.pk}", FULL)
    walk(cohort.coordinator, f"recording:{second.pk}", PARTLY)
    assert grades.pending("lti:recordings", cohort.student.person).score == pytest.approx(0.75)
    markings.override(cohort.academic, f"recording:{second.pk}", "process-recording", "0.9", "Skills misread.")
    assert grades.pending("lti:recordings", cohort.student.person).score == pytest.approx(0.95)
    markings.undo_override(cohort.academic, f"recording:{second.pk}", "process-recording")
    assert grades.pending("lti:recordings", cohort.student.person).score == pytest.approx(0.75)
    assert grades.pending("lti:recordings", cohort.other_student.person) is None


def screen(actor, language):
    return ui.Screen(actor=actor, language=language, activity="evaluation", key="midterm", endpoint="/act")


@pytest.mark.parametrize("language, criterion, released", [
    ("ar", "استخدام المهارات وتسميتها تسمية صحيحة", "درجة المشرف"),
    ("en", "Skills used and named correctly", "Supervisor's grade"),
])
def test_the_recordings_screen_marks_and_the_student_sees_the_released_grade(cohort, language, criterion, released):
    recording = submitted(cohort.student)
    placement = recording.placement.pk
    target = f"recording:{recording.pk}"
    page = screens.render(ui.Screen(actor=cohort.academic, language=language, activity="evaluation", key="midterm",
                                    endpoint="/act", view="recordings", placement_id=str(placement)))
    assert criterion in page and f'data-target="{target}"' in page
    common = {"view": "recordings", "placement": placement, "target": target, "rubric": "process-recording"}
    status, page = screens.handle(screen(cohort.academic, language), form(action="grade", **common,
                                                                          **dict(FULL, crit_skills=3)))
    assert status == 400
    for action in ({"action": "grade", **FULL, "comment": "Clear purpose, good skills"},
                   {"action": "move", "status": Marking.IN_REVIEW}, {"action": "move", "status": Marking.READY},
                   {"action": "release_marking"}):
        status, page = screens.handle(screen(cohort.academic, language), form(**common, **action))
        assert status == 200, page
    for reader in (cohort.student, cohort.agency):
        status, page = screens.handle(screen(reader, language), form(action="view", view="recordings",
                                                                     placement=placement))
        assert released in page and "100%" in page and "Clear purpose, good skills" in page and 'name="crit_skills"' not in page
    status, _page = screens.handle(screen(cohort.student, language), form(action="override", score="1", reason="x",
                                                                          **common))
    assert status == 403


def test_the_export_lists_recording_grades_with_their_criteria(cohort):
    import csv
    import io

    from maydan.grading import bulk

    recording = submitted(cohort.student)
    walk(cohort.academic, f"recording:{recording.pk}", PARTLY)
    [row] = csv.DictReader(io.StringIO(bulk.export_markings_csv(cohort.coordinator, "process-recording")))
    assert (row["student"], row["writing"], row["date"], row["status"], row["score"]) == (
        "s1", f"recording:{recording.pk}", recording.date.isoformat(), "released", "0.5")
    assert (row["purpose"], row["skills"], row["self_awareness"], row["ethics"]) == ("1", "2", "1", "1")
    name, _type, chunks = screens.download(screen(cohort.academic, "ar"), form(action="export", view="bulk",
                                                                               what="process-recording"))
    assert name == "process-recording-grades.csv" and f"recording:{recording.pk}" in b"".join(chunks).decode()
