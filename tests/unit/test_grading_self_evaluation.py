"""The student's self-evaluation: who may write it, who may read it and when, what is audited.

The hiding rule: a supervisor sees a submitted self-evaluation only once their own side is
submitted (or the evaluation is released); a draft never; before that, not even whether it exists.
"""
import pytest
from django.utils import translation

from maydan.fieldlog import links
from maydan.errors import Conflict, Forbidden, Invalid
from maydan.grading import screens, selfeval, services
from maydan.grading.models import Evaluation, Scoresheet, SelfEvaluation
from maydan.models import AuditEvent
from maydan.ui import Screen
from tests.unit.test_grading_evaluations import answers, both_submit


@pytest.fixture
def placement(cohort):
    return cohort.student.person.placements.get()


def seen(actor, placement, form="midterm"):
    return selfeval.visible(actor, services.view(actor, placement.pk, form))


def test_the_student_drafts_then_submits_and_a_submitted_self_evaluation_is_locked(cohort, placement):
    draft = selfeval.save(cohort.student, "midterm", answers(3, value_2a=""))
    assert draft.submitted_at is None and "2a" not in draft.values
    with pytest.raises(Invalid) as refusal:
        selfeval.save(cohort.student, "midterm", answers(4, value_1a="NO"), submit=True)
    assert set(refusal.value.field_errors) == {"comment_1"}
    assert SelfEvaluation.objects.get().submitted_at is None
    selfeval.save(cohort.student, "midterm", answers(4, value_1a="NO", comment_1="No chance yet."), submit=True)
    sheet = SelfEvaluation.objects.get()
    assert sheet.submitted_at and sheet.values["1a"] is None and sheet.comments["1"] == "No chance yet."
    with pytest.raises(Conflict):
        selfeval.save(cohort.student, "midterm", answers(5), submit=True)
    assert SelfEvaluation.objects.get().values["1b"] == 4
    # Each form has its own: the final one is still open to write.
    selfeval.save(cohort.student, "final", answers(5))
    assert SelfEvaluation.objects.count() == 2
    # The self-evaluation is not a supervisor's side: it never counts in the reconciliation.
    assert not Scoresheet.objects.exists() and not Evaluation.objects.exists()


def test_only_the_student_writes_it_supervisors_and_links_are_refused(cohort, placement):
    _link, token = links.issue(cohort.academic, placement.pk, days=5)
    for actor in (cohort.agency, cohort.academic, cohort.coordinator, links.open_link(token)):
        with pytest.raises(Forbidden):
            selfeval.save(actor, "midterm", answers(4), submit=True)
    assert not SelfEvaluation.objects.exists()
    # Another student writes their own, never Sara's.
    selfeval.save(cohort.other_student, "midterm", answers(2, **{f"comment_{n}": "Hard." for n in range(1, 10)}),
                  submit=True)
    assert SelfEvaluation.objects.get().placement.student == cohort.other_student.person
    assert seen(cohort.student, placement) is None


def test_bad_input_is_refused_whole_with_a_message_per_field(cohort, placement):
    with pytest.raises(Invalid) as refusal:
        selfeval.save(cohort.student, "midterm", answers(4, value_3a="9", comment_overall="Call 01012345678"))
    assert set(refusal.value.field_errors) == {"value_3a", "comment_overall"}
    assert not SelfEvaluation.objects.exists()


def test_supervisors_see_nothing_before_submitting_their_own_scores(cohort, placement):
    selfeval.save(cohort.student, "midterm", answers(5), submit=True)
    # Nothing filled, then a draft: neither supervisor sees it, nor that it exists.
    assert seen(cohort.agency, placement) is None and seen(cohort.academic, placement) is None
    services.save_sheet(cohort.agency, placement.pk, "midterm", answers(4))
    assert seen(cohort.agency, placement) is None
    services.save_sheet(cohort.agency, placement.pk, "midterm", answers(4), submit=True)
    assert seen(cohort.agency, placement).values["1a"] == 5
    # The academic side has not submitted: the academic supervisor and the coordinator still see nothing.
    assert seen(cohort.academic, placement) is None and seen(cohort.coordinator, placement) is None
    services.save_sheet(cohort.academic, placement.pk, "midterm", answers(3), submit=True)
    assert seen(cohort.academic, placement) is not None and seen(cohort.coordinator, placement) is not None


def test_the_agency_link_follows_the_agency_side(cohort, placement):
    selfeval.save(cohort.student, "midterm", answers(5), submit=True)
    _link, token = links.issue(cohort.academic, placement.pk, days=5)
    visitor = links.open_link(token)
    assert seen(visitor, placement) is None
    services.save_sheet(visitor, placement.pk, "midterm", answers(4), submit=True)
    assert seen(links.open_link(token), placement) is not None


def test_a_draft_is_the_students_alone_even_after_release(cohort, placement):
    selfeval.save(cohort.student, "midterm", answers(5))
    both_submit(cohort, placement, academic=answers(4))
    assert seen(cohort.agency, placement) is None and seen(cohort.academic, placement) is None
    services.release(cohort.academic, placement.pk, "midterm")
    assert seen(cohort.agency, placement) is None
    assert seen(cohort.student, placement).values["1a"] == 5
    with pytest.raises(Conflict):
        selfeval.save(cohort.student, "midterm", answers(5), submit=True)


def test_the_supervisors_screen_hides_it_until_they_submit(cohort, placement):
    selfeval.save(cohort.student, "midterm", answers(2, comment_overall="I doubt my assessments.", **{
        f"comment_{n}": "Still learning this." for n in range(1, 10)}), submit=True)

    def page(actor):
        return screens.render(Screen(actor, "en", view="evaluate", key="midterm", placement_id=str(placement.pk)))

    before = page(cohort.agency)
    assert "maydan-self-value" not in before and "I doubt my assessments" not in before
    assert "shown here once you have submitted your scores" in before
    services.save_sheet(cohort.agency, placement.pk, "midterm", answers(4), submit=True)
    after = page(cohort.agency)
    assert "maydan-self-value" in after and "I doubt my assessments" in after


def test_the_released_result_shows_three_voices_in_a_chart_per_competency(cohort, placement):
    selfeval.save(cohort.student, "midterm", answers(2, **{f"comment_{n}": "Unsure." for n in range(1, 10)}),
                  submit=True)
    both_submit(cohort, placement, academic=answers(3))
    services.release(cohort.academic, placement.pk, "midterm")
    with translation.override("ar"):
        html = screens.render(Screen(cohort.student, "ar", key="midterm"))
    assert html.count('<svg class="maydan-chart"') == 9
    # Each chart's text alternative reads the four voices' means of the competency: 2, 4, 3 and 3.5.
    assert ('aria-label="1. ' in html and "التقييم الذاتي للطالب 2;" in html
            and "المشرف المؤسسي 4;" in html and "المشرف الأكاديمي 3;" in html and "النهائية 3.5" in html)
    # Without both voices, the student's chart holds their own and the final.
    services.configure(cohort.coordinator, rule="weighted_mean", agency_weight=1, academic_weight=1,
                       threshold=1, show_both_voices="")
    cohort.student.course._grading_settings = None
    html = screens.render(Screen(cohort.student, "en", key="midterm"))
    assert "Student&#x27;s self-evaluation 2; Final 3.5" in html and "Agency supervisor 4" not in html


def test_each_change_is_audited(cohort, placement):
    selfeval.save(cohort.student, "midterm", answers(4))
    selfeval.save(cohort.student, "midterm", answers(4), submit=True)
    events = list(AuditEvent.objects.filter(action__startswith="self_evaluation").order_by("pk"))
    assert [e.action for e in events] == ["self_evaluation_save", "self_evaluation_submit"]
    assert all(e.actor == cohort.student.person and e.placement == placement for e in events)
    assert events[0].changes["form"] == "midterm" and "values" in events[0].changes


def test_a_missing_comment_names_its_competency(cohort, placement):
    with translation.override("en"):
        with pytest.raises(Invalid) as refusal:
            selfeval.save(cohort.student, "midterm", answers(4, value_7b="1", value_2a=""), submit=True)
    errors = refusal.value.field_errors
    title = services.form_of("midterm").framework.competencies[6].title["en"]
    assert errors["comment_7"] == [f"Competency 7. {title} needs a comment: please explain N/O and the lower levels."]
    assert errors["value_2a"] == ["Behaviour 2a: choose a level of the scale or N/O."]
