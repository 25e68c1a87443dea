"""Practice and assessment: hints on request and recorded, retries, no grade from practice, assessment unchanged."""
import pytest
import yaml

from maydan import grades, roles
from maydan.errors import Forbidden, NotFound
from maydan.models import GradeDestination, GradeOutbox
from maydan.simulation import services as sim
from maydan.simulation.validate import check

from .test_simulation_services import mini_source


def hinted_source():
    data = yaml.safe_load(mini_source())
    data["nodes"][0]["hint"] = {"en": "Start with warmth", "ar": "ابدأ بالدفء"}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture
def mini(cohort):
    author = cohort.enter("w1", roles.AUTHOR, "Author")
    sim.save_scenario(author, hinted_source())
    grades.register_destination(cohort.course, "xblock:sim-1", activity=sim.activity("mini"))
    return "mini"


def finish(actor, key, mode):
    attempt = sim.start(actor, key, mode)
    attempt = sim.choose(actor, attempt.pk, "a", "cold")
    attempt = sim.answer(actor, attempt.pk, "write", "C-27 fears evaluation.")
    return sim.reflect(actor, attempt.pk, "I learnt to slow down.")


def test_a_hint_is_shown_on_request_in_practice_and_noted_in_the_attempt_and_analytics(cohort, mini):
    attempt = sim.start(cohort.student, mini, "practice")
    assert sim.hint(cohort.student, attempt.pk, "a")["ar"] == "ابدأ بالدفء"
    sim.hint(cohort.student, attempt.pk, "a")                       # asked twice at one step: noted once
    attempt.refresh_from_db()
    assert attempt.mode == "practice" and attempt.hints == [{"node": "a", "step": 0}]
    node = next(n for n in sim.analytics(cohort.academic, mini)["nodes"] if n["id"] == "a")
    assert node["hints"] == 1


def test_no_hint_in_assessment_nor_where_the_author_wrote_none(cohort, mini):
    attempt = sim.start(cohort.student, mini)
    with pytest.raises(Forbidden):
        sim.hint(cohort.student, attempt.pk, "a")
    practice = sim.start(cohort.student, mini, "practice")
    practice = sim.choose(cohort.student, practice.pk, "a", "warm")
    with pytest.raises(NotFound):
        sim.hint(cohort.student, practice.pk, "write")


def test_practice_sends_no_grade_and_leaves_the_assessment_attempts(cohort, mini):
    sim.set_policy(cohort.academic, mini, max_attempts=1, undo_allowed=False)
    practice = sim.start(cohort.student, mini, "practice")
    practice = sim.choose(cohort.student, practice.pk, "a", "cold")
    assert sim.undo(cohort.student, practice.pk).node == "a"          # retry a step, whatever the policy
    assert not GradeOutbox.objects.exists() and sim.published_grade(cohort.course, cohort.student.person, mini) is None
    assert sim.attempts_left(cohort.student, mini) == 1 and sim.attempts_left(cohort.student, mini, "practice") is None
    graded = finish(cohort.student, mini, "assessment")               # assessment: policy and grade as before
    assert graded.mode == "assessment" and GradeOutbox.objects.get().score == graded.score
    with pytest.raises(Forbidden):
        sim.start(cohort.student, mini)


def test_a_practice_placement_receives_no_grade_of_an_assessment_elsewhere(cohort, mini):
    sim.place(cohort.course, "xblock:practice-1", mini, "practice")
    sim.place(cohort.course, "xblock:sim-1", mini, "assessment")
    finish(cohort.student, mini, "assessment")
    assert set(GradeOutbox.objects.values_list("destination", flat=True)) == {"xblock:sim-1"}
    sim.place(cohort.course, "xblock:sim-1", mini, "practice")           # switched to practice: destination forgotten
    assert not GradeDestination.objects.filter(address="xblock:sim-1").exists()


def test_the_validator_checks_hints():
    data = yaml.safe_load(hinted_source())
    data["nodes"][0]["hint"] = {"en": "only English"}
    assert [p.kind for p in check(data)] == ["missing_translation"]
    data["nodes"][0]["hint"] = {"en": "x", "ar": "س"}
    ending = next(n for n in data["nodes"] if n["type"] == "ending")
    ending["hint"] = {"en": "x", "ar": "س"}
    assert [p.kind for p in check(data)] == ["structure"]


def test_the_play_screen_offers_the_hint_in_practice_shows_it_and_staff_see_it_counted(cohort, mini):
    from maydan.simulation import screens
    from maydan.ui import Screen
    from tests.conftest import form

    def screen(actor, mode="practice", language="ar"):
        return Screen(actor=actor, language=language, activity="simulation", key=mini, endpoint="/sim", mode=mode)

    status, page = screens.handle(screen(cohort.student), form(action="start"))
    assert status == 200 and 'value="hint"' in page
    attempt = sim.open_attempt(cohort.student, mini, "practice")
    status, page = screens.handle(screen(cohort.student), form(action="hint", attempt=attempt.pk, node="a"))
    assert status == 200 and "ابدأ بالدفء" in page
    assert 'value="hint"' not in screens.render(screen(cohort.student, mode="assessment"))  # its intro: no attempt yet
    status, _page = screens.handle(screen(cohort.student, mode="assessment"), form(action="start"))
    assigned = sim.open_attempt(cohort.student, mini)
    status, page = screens.handle(screen(cohort.student, mode="assessment"),
                                  form(action="hint", attempt=assigned.pk, node="a"))
    assert status == 403 and 'value="hint"' not in page
    staff = screens.render(screen(cohort.academic, language="en"))
    assert "1 hint asked" in staff and "(practice)" in staff


def test_the_debrief_notes_where_a_hint_was_used(cohort, mini):
    from maydan.simulation import screens
    from maydan.ui import Screen

    attempt = sim.start(cohort.student, mini, "practice")
    sim.hint(cohort.student, attempt.pk, "a")
    attempt = sim.choose(cohort.student, attempt.pk, "a", "warm")
    sim.answer(cohort.student, attempt.pk, "write", "C-27 fears evaluation.")
    page = screens.render(Screen(actor=cohort.student, language="ar", activity="simulation", key=mini,
                                 endpoint="/sim", mode="practice"))
    assert page.count("استُخدم تلميح") == 1
