"""Dual competency evaluations: independent scoring, reconciliation, moderation, release."""
import pytest

from maydan import grades
from maydan.fieldlog import links
from maydan.errors import Conflict, Forbidden, Invalid, NotFound
from maydan.grading import services
from maydan.grading.models import Evaluation, Scoresheet
from maydan.models import AuditEvent, GradeOutbox
from tests.conftest import form as posted

BEHAVIOURS = [b.id for b in services.form_of("midterm").framework.behaviours]


def answers(value=4, **changes):
    """A complete sheet: every behaviour at `value`, changed by value_<id>=... and comment_<id>=... keys."""
    fields = {f"value_{b}": value for b in BEHAVIOURS}
    fields["comment_overall"] = "Steady progress."
    fields.update(changes)
    return posted(**fields)


@pytest.fixture
def placement(cohort):
    return cohort.student.person.placements.get()


def both_submit(cohort, placement, agency=None, academic=None):
    services.save_sheet(cohort.agency, placement.pk, "midterm", agency or answers(4), submit=True)
    services.save_sheet(cohort.academic, placement.pk, "midterm", academic or answers(2, **{
        f"comment_{n}": "Needs work." for n in range(1, 10)}), submit=True)


def test_neither_supervisor_sees_the_others_scores_until_both_submit(cohort, placement):
    services.save_sheet(cohort.agency, placement.pk, "midterm", answers(4), submit=True)
    services.save_sheet(cohort.academic, placement.pk, "midterm", answers(3), submit=False)
    seen_by_agency = services.view(cohort.agency, placement.pk, "midterm")
    assert set(seen_by_agency["sheets"]) == {"agency"} and seen_by_agency["outcomes"] is None
    assert set(services.view(cohort.academic, placement.pk, "midterm")["sheets"]) == {"academic"}
    services.save_sheet(cohort.academic, placement.pk, "midterm", answers(3), submit=True)
    after = services.view(cohort.agency, placement.pk, "midterm")
    assert set(after["sheets"]) == {"agency", "academic"}
    assert after["outcomes"]["1a"].value == 3.5  # equal weights by default


def test_student_sees_nothing_before_release_and_both_voices_after(cohort, placement):
    both_submit(cohort, placement, academic=answers(4))
    before = services.view(cohort.student, placement.pk, "midterm")
    assert not before["released"] and before["sheets"] == {} and before["outcomes"] is None
    services.release(cohort.academic, placement.pk, "midterm")
    after = services.view(cohort.student, placement.pk, "midterm")
    assert after["released"] and after["evaluation"].score == pytest.approx(0.8)
    assert set(after["sheets"]) == {"agency", "academic"}
    services.configure(cohort.coordinator, rule="weighted_mean", agency_weight=1, academic_weight=1,
                       threshold=1, show_both_voices="")
    cohort.student.course._grading_settings = None
    assert services.view(cohort.student, placement.pk, "midterm")["sheets"] == {}


def test_other_students_and_other_agency_supervisors_are_refused(cohort, placement):
    with pytest.raises(NotFound):
        services.view(cohort.other_student, placement.pk, "midterm")
    stranger = cohort.enter("m2", "agency_supervisor", "Another agency")
    with pytest.raises(NotFound):
        services.save_sheet(stranger, placement.pk, "midterm", answers(), submit=True)
    with pytest.raises(Forbidden):
        services.save_sheet(cohort.student, placement.pk, "midterm", answers(), submit=True)
    with pytest.raises(NotFound):
        services.view(cohort.academic, placement.pk, "no-such-form")
    assert not Scoresheet.objects.exists()


def test_an_agency_link_fills_the_agency_side_of_its_placement_only(cohort, placement):
    _link, token = links.issue(cohort.academic, placement.pk, days=5)
    visitor = links.open_link(token)
    services.save_sheet(visitor, placement.pk, "midterm", answers(5), submit=True)
    assert Scoresheet.objects.get().side == "agency" and Scoresheet.objects.get().via.startswith("agency link")
    other = cohort.other_student.person.placements.get()
    with pytest.raises(NotFound):
        services.save_sheet(visitor, other.pk, "midterm", answers(5))


def test_submission_needs_every_value_and_comments_for_not_observed_and_low_levels(cohort, placement):
    with pytest.raises(Invalid) as refusal:
        services.save_sheet(cohort.agency, placement.pk, "midterm", answers(4, value_1a="NO", value_2a=""), submit=True)
    assert set(refusal.value.field_errors) == {"comment_1", "value_2a"}
    with pytest.raises(Invalid) as refusal:
        services.save_sheet(cohort.agency, placement.pk, "midterm", answers(4, value_3a="9"))
    assert set(refusal.value.field_errors) == {"value_3a"}
    assert not Scoresheet.objects.exists()
    # A draft may be partial.
    services.save_sheet(cohort.agency, placement.pk, "midterm", answers(4, value_2a=""))
    sheet = Scoresheet.objects.get()
    assert sheet.submitted_at is None and "2a" not in sheet.values


def test_a_client_identifier_in_a_comment_is_refused(cohort, placement):
    with pytest.raises(Invalid) as refusal:
        services.save_sheet(cohort.agency, placement.pk, "midterm", answers(4, comment_overall="Call 01012345678"))
    assert "comment_overall" in refusal.value.field_errors
    assert not Scoresheet.objects.exists()


def test_submitted_scores_are_locked_until_a_course_supervisor_reopens_them(cohort, placement):
    services.save_sheet(cohort.agency, placement.pk, "midterm", answers(4), submit=True)
    with pytest.raises(Conflict):
        services.save_sheet(cohort.agency, placement.pk, "midterm", answers(5))
    with pytest.raises(Forbidden):
        services.reopen_sheet(cohort.agency, placement.pk, "midterm", "agency", "typo")
    with pytest.raises(Invalid):
        services.reopen_sheet(cohort.academic, placement.pk, "midterm", "agency", "")
    services.reopen_sheet(cohort.academic, placement.pk, "midterm", "agency", "The agency asked to fix 3a.")
    services.save_sheet(cohort.agency, placement.pk, "midterm", answers(5), submit=True)
    assert Scoresheet.objects.get().values["1a"] == 5


def test_moderator_decides_with_a_reason_beyond_the_threshold_before_release(cohort, placement):
    services.configure(cohort.academic, rule="moderator", agency_weight=1, academic_weight=1, threshold=1,
                       show_both_voices="1")
    agency = answers(4, value_1a=5)
    academic = answers(4, value_1a=2, comment_1="Late reports.")
    both_submit(cohort, placement, agency, academic)
    with pytest.raises(Conflict):
        services.release(cohort.academic, placement.pk, "midterm")
    with pytest.raises(Conflict):
        services.decide(cohort.academic, placement.pk, "midterm", "1b", 4, "not needed")
    with pytest.raises(Forbidden):
        services.decide(cohort.agency, placement.pk, "midterm", "1a", 4, "mine")
    with pytest.raises(Invalid):
        services.decide(cohort.academic, placement.pk, "midterm", "1a", 4, "  ")
    services.decide(cohort.academic, placement.pk, "midterm", "1a", 3, "Agency saw strong ethics; reports were late.")
    evaluation = services.release(cohort.coordinator, placement.pk, "midterm")
    assert evaluation.final_values["1a"] == 3 and evaluation.final_values["1b"] == 4
    # Both voices stay on record beside the decision.
    sheets = {s.side: s.values["1a"] for s in evaluation.sheets.all()}
    assert sheets == {"agency": 5, "academic": 2}
    decide = AuditEvent.objects.get(action="evaluation_decide")
    assert decide.comment.startswith("Agency saw") and decide.changes["1a"] == [None, 3]


def test_release_queues_the_grade_once_and_locks_the_evaluation(cohort, placement):
    grades.register_destination(cohort.course, "xblock:eval-1", activity="evaluation:midterm")
    both_submit(cohort, placement, academic=answers(3))
    assert not GradeOutbox.objects.exists()  # nothing leaves before release
    with pytest.raises(Forbidden):
        services.release(cohort.agency, placement.pk, "midterm")
    services.release(cohort.academic, placement.pk, "midterm")
    row = grades.pending("xblock:eval-1", cohort.student.person)
    assert row.score == pytest.approx(3.5 / 5)
    with pytest.raises(Conflict):
        services.release(cohort.academic, placement.pk, "midterm")
    with pytest.raises(Conflict):
        services.reopen_sheet(cohort.academic, placement.pk, "midterm", "agency", "too late")
    assert GradeOutbox.objects.count() == 1
    actions = list(AuditEvent.objects.filter(action__startswith="evaluation_").values_list("action", flat=True))
    assert actions == ["evaluation_submit", "evaluation_submit", "evaluation_release"]


def test_release_before_both_submit_is_refused(cohort, placement):
    services.save_sheet(cohort.agency, placement.pk, "midterm", answers(4), submit=True)
    with pytest.raises(Conflict):
        services.release(cohort.academic, placement.pk, "midterm")
    assert Evaluation.objects.get().status == "open"


def test_minimum_rule_and_not_observed_in_the_final_score(cohort, placement):
    services.configure(cohort.academic, rule="minimum", agency_weight=1, academic_weight=1, threshold=0,
                       show_both_voices="1")
    agency = answers(5, value_9a="NO", value_9b="NO", comment_9="No evaluation work yet.")
    academic = answers(3, value_9b="NO", comment_9="Not yet.")
    both_submit(cohort, placement, agency, academic)
    evaluation = services.release(cohort.academic, placement.pk, "midterm")
    assert evaluation.final_values["9a"] == 3 and evaluation.final_values["9b"] is None
    assert evaluation.score == pytest.approx(3 / 5)


def test_settings_are_checked_and_only_supervisors_or_authors_change_them(cohort):
    with pytest.raises(Forbidden):
        services.configure(cohort.agency, rule="minimum", agency_weight=1, academic_weight=1, threshold=1,
                           show_both_voices="")
    with pytest.raises(Invalid) as refusal:
        services.configure(cohort.academic, rule="best", agency_weight=0, academic_weight="0", threshold="x",
                           show_both_voices="")
    assert set(refusal.value.field_errors) == {"rule", "weights", "threshold"}
    settings = services.configure(cohort.academic, rule="weighted_mean", agency_weight="2", academic_weight="1",
                                  threshold="1", show_both_voices="1")
    assert settings.agency_weight == 2
    assert AuditEvent.objects.get(action="grading_settings").changes["agency_weight"] == [1.0, 2.0]


def test_grading_list_shows_each_forms_state(cohort, placement):
    both_submit(cohort, placement, academic=answers(3))
    rows = services.grading_list(cohort.academic)
    by_student = {r["placement"].student.subject: {c["form"].id: c for c in r["cells"]} for r in rows}
    assert by_student["s1"]["midterm"]["state"] == "ready"
    assert by_student["s2"]["midterm"]["state"] == "not_started"
    assert [r["placement"].student.subject for r in services.grading_list(cohort.agency)] == ["s1"]
    with pytest.raises(Forbidden):
        services.grading_list(cohort.student)


def test_a_course_may_release_automatically_once_nothing_is_left_to_decide(cohort, placement):
    grades.register_destination(cohort.course, "xblock:eval-1", activity="evaluation:midterm")
    services.configure(cohort.academic, rule="moderator", agency_weight=1, academic_weight=1, threshold=1,
                       show_both_voices="1", auto_release="1")
    services.save_sheet(cohort.agency, placement.pk, "midterm", answers(5), submit=True)
    assert Evaluation.objects.get().status == "open"
    services.save_sheet(cohort.academic, placement.pk, "midterm", answers(4, value_1a=2, comment_1="Late."),
                        submit=True)
    assert Evaluation.objects.get().status == "open"   # 5 against 2: the moderator decides first
    services.decide(cohort.academic, placement.pk, "midterm", "1a", 4, "Agreed after a call with the agency.")
    evaluation = Evaluation.objects.get()
    assert evaluation.status == "released" and grades.pending("xblock:eval-1", cohort.student.person)
    release = AuditEvent.objects.get(action="evaluation_release")
    assert release.changes["automatic"] is True
