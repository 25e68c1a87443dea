"""What a student's view and step read with their attempt: the scenario by the digest of its text (kept right
when a course replaces the scenario), and the course's undo rule; and what every arrival reads of the course."""
import pytest
import yaml

from maydan import people, roles
from maydan.models import Course, Person
from maydan.simulation import library, screens, services as sim
from maydan.simulation.models import SimulationAttempt
from maydan.ui import Screen
from tests.conftest import form

from .test_simulation_services import mini, mini_source  # noqa: F401  (a fixture)

UNDO = "Take back the last step"


def shown(cohort, subject="s1", language="en"):
    """The student's screen as a new request draws it: a fresh arrival, so nothing is remembered from before."""
    actor = cohort.enter(subject, roles.STUDENT)
    return screens.render(Screen(actor=actor, language=language, activity="simulation", key="mini", endpoint="/sim"))


def replaced(ending_text):
    data = yaml.safe_load(mini_source())
    for node in data["nodes"]:
        if node["id"] == "good":
            node["text"] = {"en": ending_text, "ar": "نهاية جديدة"}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_an_attempt_shows_the_scenario_its_course_holds_now_even_after_the_text_is_replaced(cohort, mini):
    attempt = sim.start(cohort.student, mini)
    assert attempt.scenario_digest == library.digest_of(mini_source())
    sim.choose(cohort.student, attempt.pk, "a", "warm")
    sim.answer(cohort.student, attempt.pk, "write", "C-27 fears evaluation.")
    before = shown(cohort)
    assert "Take back" in before and "A new ending" not in before          # at the debrief
    author = cohort.enter("w1", roles.AUTHOR, "Author")
    sim.save_scenario(author, replaced("A new ending, written later."))
    attempt.refresh_from_db()
    assert attempt.scenario_digest == library.digest_of(replaced("A new ending, written later."))
    assert "A new ending, written later." in shown(cohort)
    # A process that never compiled the new text finds it by the scenario's id, as before.
    library._COMPILED.clear()
    assert "A new ending, written later." in shown(cohort)
    finished = sim.reflect(cohort.enter("s1", roles.STUDENT), attempt.pk, "I learnt to slow down.")
    assert finished.status == "finished" and finished.scenario_digest == attempt.scenario_digest


def test_a_digest_naming_another_scenario_is_not_trusted(cohort, mini):
    attempt = sim.start(cohort.student, mini)
    other = library.get(cohort.course, "etherapy-anxious")
    SimulationAttempt.objects.filter(pk=attempt.pk).update(scenario_digest=other.digest)
    assert library.get(cohort.enter("s1", roles.STUDENT).course, "mini", other.digest).id == "mini"
    assert 'data-node="a"' in shown(cohort)


@pytest.mark.parametrize("rule", [None, True, False])
def test_a_returning_student_is_offered_a_step_back_as_the_policy_says_now(cohort, mini, rule):
    attempt = sim.start(cohort.student, mini)
    sim.choose(cohort.student, attempt.pk, "a", "warm")
    if rule is not None:                      # set after the attempt began: the rule of the moment counts
        sim.set_policy(cohort.academic, mini, undo_allowed=rule)
    assert (UNDO in shown(cohort)) == (rule is not False)
    other = sim.start(cohort.other_student, mini)      # and for the screen a step draws
    status, html = screens.handle(
        Screen(actor=cohort.other_student, language="en", activity="simulation", key="mini", endpoint="/sim"),
        form(action="choose", attempt=other.pk, node="a", choice="cold"))
    assert status == 200 and 'data-node="write"' in html and (UNDO in html) == (rule is not False)


def test_an_arrival_reads_the_course_and_the_person_as_the_database_holds_them(cohort):
    Course.objects.filter(pk=cohort.course.pk).update(category_targets={"direct": 200, "indirect": 40},
                                                       language_chosen=True, target_hours=450, school_name="مدرسة")
    arrived = cohort.enter("s1", roles.STUDENT, "Sara Adel")
    stored = Course.objects.get(pk=cohort.course.pk)
    for field in Course._meta.concrete_fields:
        assert getattr(arrived.course, field.attname) == getattr(stored, field.attname), field.name
    assert arrived.course.language_chosen is True and arrived.course.category_targets["direct"] == 200
    assert {f.attname: getattr(arrived.person, f.attname) for f in Person._meta.concrete_fields} == \
        {f.attname: getattr(Person.objects.get(pk=arrived.person.pk), f.attname) for f in Person._meta.concrete_fields}
    assert arrived.roles == {roles.STUDENT}
    # Roles held are read together; a student not yet placed is recorded by `enter` (then placed).
    both = people.enter(cohort.issuer, cohort.context, "a1", {roles.ACADEMIC, roles.AUTHOR})
    assert people.as_recorded(cohort.issuer, cohort.context, "a1", {roles.ACADEMIC, roles.AUTHOR}) == both
    assert people.as_recorded(cohort.issuer, cohort.context, "a1", {roles.STUDENT}) is None
    assert people.as_recorded(cohort.issuer, cohort.context, "nobody", {roles.STUDENT}) is None
