"""The student's evaluation of the placement: a form from its content file, filled once at the end, read by the
coordinator per agency only where at least three students answered; agency supervisors never see it."""
from datetime import date, timedelta

import pytest

from maydan import fieldlog, people, roles
from maydan.fieldlog import links
from maydan.errors import Conflict, Forbidden, Invalid
from maydan.grading import content, screens as grading_screens
from maydan.models import AuditEvent, Course, PlacementFeedback
from maydan.content.validate import validate
from maydan.program import placement_feedback as feedback, screens as program_screens, services as program, survey
from maydan.ui import Screen
from tests.conftest import form
from tests.unit.test_grading_evaluations import both_submit

QUESTIONS = [q.id for q in feedback.survey().questions]


def answers(value=4, **changes):
    return form(**({f"rating_{q}": value for q in QUESTIONS} | {"comment": "Good mentoring at intake."} | changes))


def ending(actor, agency="Hope Family Centre", days_left=3):
    placement = fieldlog.placement_for(actor)
    placement.agency, placement.ends_on = agency, date.today() + timedelta(days=days_left)
    placement.save()
    return placement


def student(cohort, n, agency, value=4, comment=""):
    actor = cohort.enter(f"fs{n}", roles.STUDENT, f"Student {n}")
    ending(actor, agency)
    feedback.submit(actor, answers(value, comment=comment))
    return actor


def grading_screen(actor, language="en", view=""):
    return Screen(actor=actor, language=language, activity="evaluation", key="midterm", endpoint="/act",
                  hidden={"ctx": "T"}, view=view)


def program_screen(actor, language="en", view="feedback"):
    return Screen(actor=actor, language=language, activity="program", key="", endpoint="/act", hidden={},
                  view=view)


def test_the_shipped_form_reads_in_both_languages_and_a_broken_one_is_named_precisely():
    shipped = feedback.survey()
    assert [s.id for s in shipped.sections] == ["agency", "supervision"] and len(QUESTIONS) == 8
    assert all(q.text["ar"] and q.text["en"] for q in shipped.questions)
    with pytest.raises(content.ContentError) as broken:
        survey.parse_survey({"id": "x", "title": {"en": "T"}, "scale": [{"value": 1}, {"value": 1, "label": {"en": "a", "ar": "أ"}}],
                               "sections": [],
                               "comment": {"en": "c", "ar": "ت"}, "opens_days_before_end": -2})
    nodes = {p.node for p in broken.value.problems}
    assert {"title.ar", "sections", "opens_days_before_end", "scale[0].label", "scale[1].value"} <= nodes


def test_maydan_validate_checks_the_survey_files_with_their_lines(tmp_path):
    assert validate(feedback.SURVEY_FILE.parent.parent) == []
    broken = tmp_path / "surveys" / "placement-feedback.yaml"
    broken.parent.mkdir()
    text = feedback.SURVEY_FILE.read_text(encoding="utf-8")
    broken.write_text(text.replace("ar: المؤسسة}", "fr: Agence}"), encoding="utf-8")
    line = text[:text.index("ar: المؤسسة}")].count("\n") + 1
    found = validate(broken)
    assert {(f.node, f.line) for f in found} == {("sections[0].title.ar", line), ("sections[0].title.fr", line)}
    assert {f.node for f in validate(tmp_path)} == {f.node for f in found}  # the folder, as the file


def test_the_form_opens_near_the_end_date_or_after_the_final_evaluation(cohort):
    placement = ending(cohort.student, days_left=30)
    with pytest.raises(Conflict):
        feedback.submit(cohort.student, answers())
    placement.ends_on = None
    placement.save()
    with pytest.raises(Conflict):
        feedback.submit(cohort.student, answers())
    both_submit(cohort, placement)  # the midterm is not the final: still closed
    from maydan.grading import services
    services.release(cohort.academic, placement.pk, "midterm")
    assert not feedback.is_open(placement)
    placement.evaluations.update(form="final")
    assert feedback.is_open(placement)
    assert not PlacementFeedback.objects.exists()


def test_the_student_answers_once_and_the_audit_says_that_not_what(cohort):
    ending(cohort.student)
    feedback.submit(cohort.student, answers(5))
    saved = PlacementFeedback.objects.get()
    assert saved.agency == "Hope Family Centre" and saved.ratings["welcome"] == 5
    event = AuditEvent.objects.get(action="placement_feedback")
    assert event.changes == {"survey": "placement-feedback"} and "Good mentoring" not in str(event.__dict__)
    with pytest.raises(Conflict):
        feedback.submit(cohort.student, answers(1))


@pytest.mark.parametrize("changes, field", [
    ({"rating_welcome": ""}, "rating_welcome"), ({"rating_respect": "6"}, "rating_respect"),
    ({"rating_regular": "0"}, "rating_regular"), ({"rating_safety": "4.5"}, "rating_safety"),
    ({"comment": "The client Mona at 01012345678 was upset"}, "comment"), ({"comment": "x" * 20001}, "comment"),
])
def test_bad_answers_are_refused_by_field_and_nothing_is_written(cohort, changes, field):
    ending(cohort.student)
    with pytest.raises(Invalid) as refusal:
        feedback.submit(cohort.student, answers(**changes))
    assert field in refusal.value.field_errors and not PlacementFeedback.objects.exists()


@pytest.mark.parametrize("who", ["academic", "coordinator", "agency"])
def test_only_students_answer(cohort, who):
    with pytest.raises(Forbidden):
        feedback.submit(getattr(cohort, who), answers())


def test_an_agency_link_cannot_answer_or_read(cohort):
    placement = ending(cohort.student)
    _link, token = links.issue(cohort.academic, placement.pk, days=5)
    visitor = links.open_link(token)
    with pytest.raises(Forbidden):
        feedback.submit(visitor, answers())
    with pytest.raises(Forbidden):
        feedback.results(visitor)


def test_the_coordinator_sees_means_per_agency_only_from_three_answers(cohort):
    for n, value in enumerate((5, 4, 3)):
        student(cohort, n, "Hope Family Centre", value, comment=f"Comment {n}")
    student(cohort, 7, "Nile Care Home", 1, comment="Only one student here")
    student(cohort, 8, "Nile Care Home", 2)
    hope, nile = feedback.results(cohort.coordinator)
    assert (hope.name, hope.responses, hope.shown) == ("Hope Family Centre", 3, True)
    assert hope.questions["welcome"] == 4 and hope.sections["supervision"] == 4
    assert hope.comments == ["Comment 0", "Comment 1", "Comment 2"]
    assert (nile.responses, nile.shown, nile.questions, nile.comments) == (2, False, {}, [])


@pytest.mark.parametrize("who", ["academic", "agency", "student"])
def test_nobody_but_the_coordinator_reads_the_results(cohort, who):
    with pytest.raises(Forbidden):
        feedback.results(getattr(cohort, who))


def test_results_count_the_programs_courses_and_no_other_program(cohort):
    for n in range(2):
        student(cohort, n, "Hope Family Centre", 5)
    other = people.enter(cohort.issuer, "fieldwork-2026", "t1", {roles.STUDENT}, name="Later student")
    ending(other, "Hope Family Centre")
    feedback.submit(other, answers(3))
    [hope] = feedback.results(cohort.coordinator)
    assert hope.responses == 3 and hope.shown and hope.questions["learning"] == pytest.approx(13 / 3)
    program.join_program(people.enter(cohort.issuer, "fieldwork-2026", "k2", {roles.COORDINATOR}), "bsw-alex")
    [hope] = feedback.results(cohort.coordinator)
    assert hope.responses == 2 and not hope.shown
    assert Course.objects.count() == 2


# --- the screens, in both languages -----------------------------------------------------------


@pytest.mark.parametrize("language, thanks, hint", [
    ("en", "your evaluation of the placement is recorded", "at least 3 answers"),
    ("ar", "سُجِّل تقييمك لمكان التدريب", "طلاب على الأقل"),
])
def test_the_student_fills_the_form_on_their_screen(cohort, language, thanks, hint):
    ending(cohort.student)
    html = grading_screens.render(grading_screen(cohort.student, language, view="placement_feedback"))
    assert 'name="rating_welcome"' in html and hint in html
    status, html = grading_screens.handle(grading_screen(cohort.student, language),
                                          form(action="rate_placement", **{f"rating_{q}": 4 for q in QUESTIONS[1:]}))
    assert status == 400 and 'aria-invalid="true"' in html and not PlacementFeedback.objects.exists()
    status, html = grading_screens.handle(grading_screen(cohort.student, language),
                                          answers(action="rate_placement"))
    assert status == 200 and thanks in html and 'name="rating_welcome"' not in html


@pytest.mark.parametrize("language", ["en", "ar"])
def test_agency_supervisors_never_reach_the_form_or_the_results(cohort, language):
    for n in range(3):
        student(cohort, n, "Hope Family Centre", comment="Visible only to the coordinator")
    status, html = grading_screens.handle(grading_screen(cohort.agency, language),
                                          form(action="view", view="placement_feedback"))
    assert "Visible only to the coordinator" not in html and 'name="rating_welcome"' not in html
    status, html = grading_screens.handle(grading_screen(cohort.agency, language), answers(action="rate_placement"))
    assert status == 403
    status, html = program_screens.handle(program_screen(cohort.agency, language), form(action="view", view="feedback"))
    assert "Visible only to the coordinator" not in html
    html = program_screens.render(program_screen(cohort.coordinator, language))
    assert "Visible only to the coordinator" in html and ("Hope Family Centre" in html)


@pytest.mark.parametrize("language, hidden", [("en", "Hidden: fewer than 3 answers."), ("ar", "مخفي: أقل من 3 إجابات.")])
def test_the_coordinator_screen_says_why_a_small_agency_is_hidden(cohort, language, hidden):
    student(cohort, 1, "Nile Care Home", comment="Only one")
    html = program_screens.render(program_screen(cohort.coordinator, language))
    assert hidden in html and "Only one" not in html


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_agencys_own_link_never_shows_the_results(cohort, language):
    from maydan.program import agency_links

    for n in range(3):
        student(cohort, n, "Hope Family Centre", comment="Visible only to the coordinator")
    hope = program.save_agency(cohort.coordinator, form(name="Hope Family Centre"))
    desk = agency_links.open_link(agency_links.issue(cohort.coordinator, hope.pk)[1])
    with pytest.raises(Forbidden):
        feedback.results(desk)
    status, html = program_screens.handle(program_screen(desk, language), form(action="view", view="feedback"))
    assert "Visible only to the coordinator" not in html and "data-feedback-agency" not in html
