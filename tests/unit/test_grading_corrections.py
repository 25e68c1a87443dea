"""Correcting a released evaluation: who may reopen, both versions kept, the student told and acknowledging,
the corrected grade queued again; each refusal in the reader's language."""
import pytest

from maydan import grades
from maydan.fieldlog import links
from maydan.errors import Conflict, Forbidden, Invalid, NotFound
from maydan.grading import corrections, services
from maydan.grading.correction_models import Correction, EvaluationVersion
from maydan.grading.models import Evaluation, Scoresheet
from maydan.models import AuditEvent, GradeOutbox, Notification
from maydan.notify import services as notify
from tests.mailserver import parts, smtp  # noqa: F401 (a fixture)
from tests.unit.test_grading_evaluations import answers, both_submit
from tests.unit.test_grading_screens import post

REASON = "The academic scores of competency 1 were entered for another student."


@pytest.fixture
def placement(cohort):
    return cohort.student.person.placements.get()


@pytest.fixture
def released(cohort, placement):
    """The midterm released at 60 % (agency 4s, academic 2s), with an LTI column and an Open edX block waiting."""
    grades.register_destination(cohort.course, "https://lms.example.edu/lineitems/9", activity="evaluation:midterm")
    grades.register_destination(cohort.course, "xblock:eval-1", activity="evaluation:midterm")
    both_submit(cohort, placement)
    evaluation = services.release(cohort.academic, placement.pk, "midterm")
    GradeOutbox.objects.update(delivered_at=evaluation.released_at)  # both platforms have the first grade
    return evaluation


def correct_academic_side(cohort, placement, value=4, who=None):
    corrections.reopen(who or cohort.academic, placement.pk, "midterm", REASON, ["academic"])
    services.save_sheet(cohort.academic, placement.pk, "midterm", answers(value), submit=True)
    return services.release(who or cohort.academic, placement.pk, "midterm")


@pytest.mark.parametrize("who", ["academic", "coordinator"])
def test_a_course_supervisor_corrects_and_both_versions_stay_with_the_reason(cohort, placement, released, who):
    actor = getattr(cohort, who)
    evaluation = correct_academic_side(cohort, placement, 4, actor)
    assert evaluation.score == pytest.approx(0.8) and evaluation.status == Evaluation.RELEASED
    correction = Correction.objects.get()
    assert correction.reason == REASON and correction.reopened_by == actor.person and correction.sides == ["academic"]
    before, after = correction.before, correction.after
    assert (before.number, after.number) == (1, 2)
    assert before.score == pytest.approx(0.6) and after.score == pytest.approx(0.8)
    assert before.sheets["academic"]["values"]["1a"] == 2 and after.sheets["academic"]["values"]["1a"] == 4
    assert before.final_values["1a"] == 3 and after.final_values["1a"] == 4
    actions = list(AuditEvent.objects.filter(action__startswith="evaluation_correct").values_list("action", "comment"))
    assert actions == [("evaluation_correction_open", REASON), ("evaluation_corrected", REASON)]
    corrected = AuditEvent.objects.get(action="evaluation_corrected")
    assert corrected.changes["versions"] == [1, 2] and corrected.changes["values"]["1a"] == [3, 4]


def test_the_corrected_grade_is_queued_again_for_every_gradebook(cohort, placement, released):
    correct_academic_side(cohort, placement, 4)
    waiting = GradeOutbox.objects.filter(delivered_at__isnull=True)
    assert sorted(waiting.values_list("destination", "score")) == [
        ("https://lms.example.edu/lineitems/9", pytest.approx(0.8)), ("xblock:eval-1", pytest.approx(0.8))]
    assert [score for score in GradeOutbox.objects.filter(delivered_at__isnull=False).values_list("score", flat=True)
            ] == [pytest.approx(0.6)] * 2


def test_while_reopened_nothing_leaves_and_the_handed_back_side_can_be_changed(cohort, placement, released):
    corrections.reopen(cohort.coordinator, placement.pk, "midterm", REASON, ["academic"])
    assert not GradeOutbox.objects.filter(delivered_at__isnull=True).exists()
    with pytest.raises(Conflict):  # the agency side was not handed back
        services.save_sheet(cohort.agency, placement.pk, "midterm", answers(5), submit=True)
    services.save_sheet(cohort.academic, placement.pk, "midterm", answers(3))
    assert Scoresheet.objects.get(side="academic").submitted_at is None
    assert EvaluationVersion.objects.get().final_values["1a"] == 3  # what the student was shown, kept whole


def test_reopening_with_no_side_corrects_under_the_rule_now_in_force(cohort, placement, released):
    services.configure(cohort.coordinator, rule="minimum", agency_weight=1, academic_weight=1, threshold=1,
                       show_both_voices="1")
    cohort.academic.course._grading_settings = None
    corrections.reopen(cohort.academic, placement.pk, "midterm", "The course's rule is the lower value.", [])
    assert services.release(cohort.academic, placement.pk, "midterm").score == pytest.approx(0.4)
    assert Correction.objects.get().after.rule["rule"] == "minimum"


@pytest.mark.parametrize("who", ["agency", "student", "other_student"])
def test_agency_supervisors_and_students_may_not_reopen(cohort, placement, released, who):
    with pytest.raises(Forbidden):
        corrections.reopen(getattr(cohort, who), placement.pk, "midterm", REASON, ["academic"])
    assert Evaluation.objects.get().status == Evaluation.RELEASED and not Correction.objects.exists()


def test_an_agency_link_may_not_reopen(cohort, placement, released):
    _link, token = links.issue(cohort.academic, placement.pk, days=5)
    with pytest.raises(Forbidden):
        corrections.reopen(links.open_link(token), placement.pk, "midterm", REASON, ["agency"])
    assert not Correction.objects.exists()


@pytest.mark.parametrize("reason, sides", [
    ("", ["academic"]), ("   ", []), ("Call the client on 01012345678 to check", ["academic"]),
    (REASON, ["student"]), (REASON, ["academic", "nobody"]), ("x" * 20001, ["academic"]),
])
def test_a_missing_or_identifying_reason_or_an_unknown_side_is_refused_and_nothing_written(
        cohort, placement, released, reason, sides):
    with pytest.raises(Invalid):
        corrections.reopen(cohort.academic, placement.pk, "midterm", reason, sides)
    assert Evaluation.objects.get().status == Evaluation.RELEASED
    assert not Correction.objects.exists() and not EvaluationVersion.objects.exists()
    assert Scoresheet.objects.filter(submitted_at__isnull=True).count() == 0


def test_only_a_released_evaluation_is_corrected(cohort, placement):
    with pytest.raises(Conflict):  # never started
        corrections.reopen(cohort.academic, placement.pk, "midterm", REASON, [])
    both_submit(cohort, placement)
    with pytest.raises(Conflict):  # submitted, not released
        corrections.reopen(cohort.academic, placement.pk, "midterm", REASON, [])
    with pytest.raises(NotFound):
        corrections.reopen(cohort.academic, placement.pk, "annual", REASON, [])
    with pytest.raises(NotFound):
        corrections.reopen(cohort.academic, "99999", "midterm", REASON, [])
    assert not Correction.objects.exists()


def test_a_second_correction_keeps_all_three_versions(cohort, placement, released):
    correct_academic_side(cohort, placement, 4)
    correct_academic_side(cohort, placement, 5)
    assert list(EvaluationVersion.objects.values_list("number", flat=True)) == [1, 2, 3]
    first, second = Correction.objects.all()
    assert first.after == second.before and second.after.number == 3


def test_the_student_is_told_in_the_courses_language_and_acknowledges_once(cohort, placement, released, smtp):
    cohort.student.person.email = "sara@student.example"
    cohort.student.person.save()
    Notification.objects.all().delete()
    cohort.course.language = "ar"
    cohort.course.save()
    correct_academic_side(cohort, placement, 4)
    notify.send_due()
    [message] = smtp.messages  # one message: the corrected release, not a second "released"
    assert "تصحيح" in message["Subject"] and REASON in parts(message)[0]
    correction = Correction.objects.get()
    with pytest.raises(Forbidden):
        corrections.acknowledge(cohort.other_student, correction.pk)
    with pytest.raises(Forbidden):
        corrections.acknowledge(cohort.academic, correction.pk)
    corrections.acknowledge(cohort.student, correction.pk)
    assert Correction.objects.get().acknowledged_at is not None
    assert AuditEvent.objects.filter(action="evaluation_correction_ack").count() == 1
    with pytest.raises(Conflict):
        corrections.acknowledge(cohort.student, correction.pk)
    with pytest.raises(NotFound):
        corrections.acknowledge(cohort.student, "not-a-number")


def test_a_correction_still_open_cannot_be_acknowledged(cohort, placement, released):
    correction = corrections.reopen(cohort.academic, placement.pk, "midterm", REASON, ["academic"])
    with pytest.raises(Conflict):
        corrections.acknowledge(cohort.student, correction.pk)


# --- the screens, in both languages ------------------------------------------------------------


@pytest.mark.parametrize("language, refused", [
    ("en", "Only the academic supervisor or the field coordinator may correct"),
    ("ar", "لا يصحّح التقييم بعد إعلانه إلا"),
])
def test_the_screens_refuse_agency_supervisors_and_students_with_403_in_their_language(
        cohort, placement, released, language, refused):
    for actor in (cohort.agency, cohort.student):
        status, html = post(actor, language, action="correct_evaluation", placement=placement.pk, reason=REASON,
                            sides="academic")
        assert status == 403 and refused in html
    assert not Correction.objects.exists()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_screens_carry_a_correction_from_reopening_to_acknowledgement(cohort, placement, released, language):
    status, html = post(cohort.academic, language, action="view", view="evaluate", placement=placement.pk)
    assert status == 200 and 'value="correct_evaluation"' in html
    status, html = post(cohort.academic, language, action="correct_evaluation", placement=placement.pk, reason="")
    assert status == 400 and 'aria-invalid="true"' in html and not Correction.objects.exists()
    status, html = post(cohort.academic, language, action="correct_evaluation", placement=placement.pk,
                        reason=REASON, sides="academic")
    assert status == 200 and REASON in html and 'value="correct_evaluation"' not in html
    status, html = post(cohort.student, language, action="view", view="results")
    assert status == 200 and REASON in html and "acknowledge_correction" not in html
    services.save_sheet(cohort.academic, placement.pk, "midterm", answers(4), submit=True)
    status, html = post(cohort.academic, language, action="release", placement=placement.pk)
    assert status == 200
    status, html = post(cohort.student, language, action="view", view="results")
    assert "acknowledge_correction" in html and ("80" in html or "٨٠" in html)
    correction = Correction.objects.get()
    status, html = post(cohort.student, language, action="acknowledge_correction", correction=correction.pk)
    assert status == 200 and "acknowledge_correction" not in html
    status, html = post(cohort.agency, language, action="view", view="evaluate", placement=placement.pk)
    assert REASON in html and 'value="correct_evaluation"' not in html  # the history, not the form
