"""Simulation results as evidence of each competency: the service, the evaluation form both supervisors
fill, and the accreditation report, which counts them as simulated practice."""
import re

import pytest

from maydan.grading import screens as grading_screens
from maydan.simulation import library, services as sim
from maydan.simulation.evidence import simulation_evidence
from maydan.ui import Screen
from tests.conftest import form

DEMO = "etherapy-anxious"


def play(actor, key=DEMO, weak=(), mode="assessment"):
    """Play a scenario to its end through the services: the best choice everywhere, but the choice
    ids in `weak` wherever they are offered; every free-text node answered."""
    scenario = library.get(actor.course, key)
    attempt = sim.start(actor, key, mode)
    while attempt.status == "playing":
        node = scenario.nodes[attempt.node]
        if node["type"] == "free_text":
            attempt = sim.answer(actor, attempt.pk, node["id"], "C-27 fears being judged; strengths: insight.")
            continue
        offered = [c["id"] for c in node["choices"]]
        chosen = next((c for c in weak if c in offered), None)
        if chosen is None:
            best = scenario.best(node["id"])
            chosen = min((c for c in node["choices"] if c.get("score", 0) == best),
                         key=lambda c: scenario.distance.get(c["next"], 99))["id"]
        attempt = sim.choose(actor, attempt.pk, node["id"], chosen)
    return sim.reflect(actor, attempt.pk, "I learnt to slow down.")


@pytest.fixture
def played(cohort):
    scenario = library.get(cohort.course, DEMO)
    opening = scenario.nodes[scenario.start]
    weak = next(c for c in opening["choices"] if c.get("score", 0) < scenario.best(opening["id"]))
    play(cohort.student, weak=[weak["id"]])
    play(cohort.student)
    play(cohort.student, weak=[weak["id"]], mode="practice")   # practice is formative: never evidence
    cohort.weak, cohort.opening = weak, opening
    return cohort


def test_each_assessed_competency_lists_the_scenarios_scores_and_weak_choices_with_their_feedback(played):
    found = simulation_evidence(played.course, played.student.person, "en")
    tags = {str(t) for t in played.opening.get("competencies", []) + played.weak.get("competencies", [])}
    assert tags and tags <= set(found)
    for tag in tags:
        attempts = found[tag]["attempts"]
        assert [a["number"] for a in attempts] == [1, 2] and all(a["title"].startswith("E-therapy") for a in attempts)
        assert attempts[0]["score"] < attempts[1]["score"] == 1.0
        weak = [w for w in found[tag]["weak"] if w["choice"] == played.weak["text"]["en"]]
        assert len(weak) == 1 and weak[0]["times"] == 1 and weak[0]["feedback"] == played.weak["feedback"]["en"]
        assert weak[0]["situation"] == played.opening["text"]["en"]
    arabic = simulation_evidence(played.course, played.student.person, "ar")
    assert any(w["choice"] == played.weak["text"]["ar"] for tag in tags for w in arabic[tag]["weak"])


def test_a_student_who_has_not_finished_an_assessed_attempt_has_no_simulation_evidence(cohort):
    sim.start(cohort.other_student, DEMO)
    play(cohort.other_student, mode="practice")
    assert simulation_evidence(cohort.course, cohort.other_student.person) == {}


def test_the_same_weak_choice_in_two_attempts_is_counted_twice_not_listed_twice(played):
    play(played.student, weak=[played.weak["id"]])
    found = simulation_evidence(played.course, played.student.person, "en")
    tag = str((played.opening.get("competencies") or played.weak["competencies"])[0])
    rows = [w for w in found[tag]["weak"] if w["choice"] == played.weak["text"]["en"]]
    assert len(rows) == 1 and rows[0]["times"] == 2


def _evaluation_page(actor, placement, language):
    screen = Screen(actor=actor, language=language, activity="evaluation", key="midterm", endpoint="/act")
    return grading_screens.handle(screen, form(action="view", view="evaluate", placement=placement.pk))


@pytest.mark.parametrize("who", ["agency", "academic"])
@pytest.mark.parametrize("language, heading", [("en", "Simulated practice"), ("ar", "الممارسة بالمحاكاة")])
def test_both_supervisors_see_the_evidence_beside_each_competency_of_the_evaluation_form(played, who, language, heading):
    placement = played.student.person.placements.get()
    status, page = _evaluation_page(getattr(played, who), placement, language)
    assert status == 200
    fieldsets = re.findall(r"<fieldset.*?</fieldset>", page, re.S)
    tags = {str(t) for t in played.opening.get("competencies", []) + played.weak.get("competencies", [])}
    shown = {re.search(r"<legend>(\w+)\.", f).group(1): f for f in fieldsets}
    for tag in tags & set(shown):
        assert heading in shown[tag] and played.weak["text"][language] in shown[tag]
    untouched = [f for tag, f in shown.items() if tag not in simulation_evidence(played.course, played.student.person)]
    assert untouched and all(heading not in f for f in untouched)


def test_the_evaluation_form_of_a_student_without_simulations_shows_none(played):
    placement = played.other_student.person.placements.get()
    status, page = _evaluation_page(played.academic, placement, "en")
    assert status == 200 and "Simulated practice" not in page and 'name="value_1a"' in page


def test_the_accreditation_report_counts_the_same_attempts_as_simulated_practice(played):
    from maydan.cohort import evidence

    student = next(s for s in evidence.report(played.coordinator) if s.student == played.student.person)
    found = simulation_evidence(played.course, played.student.person, "en")
    for cell in student.cells:
        assert [s["number"] for s in cell.simulations] == [a["number"] for a in found.get(cell.competency, {})
                                                           .get("attempts", [])]
