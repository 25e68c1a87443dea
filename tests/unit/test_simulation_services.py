"""Case simulation services: attempts, undo, grades by policy, privacy, roles, analytics."""
import csv
import io

import pytest
import yaml
from django.utils import translation

from maydan import grades, roles
from maydan.errors import Conflict, Forbidden, Invalid, NotFound
from maydan.models import AuditEvent, GradeOutbox
from maydan.simulation import library, services as sim
from maydan.simulation.models import CourseScenario, SimulationAnswer, SimulationAttempt

from .test_simulation_engine import small

DEMO = "etherapy-anxious"


def mini_source():
    data = small()
    data["nodes"].insert(1, {"id": "write", "type": "free_text", "phase": "diagnosis", "text": {
        "en": "Write your diagnosis", "ar": "اكتب تشخيصك"}, "next": "b"})
    for choice in data["nodes"][0]["choices"]:
        choice["next"] = "write"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture
def mini(cohort):
    author = cohort.enter("w1", roles.AUTHOR, "Author")
    assert sim.save_scenario(author, mini_source()) == "mini"
    grades.register_destination(cohort.course, "xblock:sim-1", activity=sim.activity("mini"))
    return "mini"


def play(actor, key, choice, text="C-27 fears evaluation; strengths: insight.", reflection="I learnt to slow down."):
    attempt = sim.start(actor, key)
    attempt = sim.choose(actor, attempt.pk, "a", choice)
    attempt = sim.answer(actor, attempt.pk, "write", text)
    assert attempt.status == "debrief"
    return sim.reflect(actor, attempt.pk, reflection)


def published(cohort):
    row = GradeOutbox.objects.filter(student=cohort.student.person).first()
    return row and row.score


def test_the_library_offers_the_demo_and_the_course_s_own_scenarios(cohort, mini):
    items = {item.key: item for item in library.items(cohort.course)}
    assert items[DEMO].title("ar").startswith("العلاج الإلكتروني") and items["mini"].title("en") == "Mini"
    assert "mini" not in {i.key for i in library.items(cohort.enter("x", roles.STUDENT).course.__class__.objects
                                                         .create(issuer="other", context_id="c2"))}


def test_a_student_plays_to_the_end_and_the_grade_is_queued_once_finished(cohort, mini):
    attempt = sim.start(cohort.student, "mini")
    attempt = sim.choose(cohort.student, attempt.pk, "a", "warm")
    assert attempt.variables == {"rapport": 2} and attempt.node == "write"
    assert published(cohort) is None
    attempt = sim.answer(cohort.student, attempt.pk, "write", "C-27 avoids interviews.")
    assert attempt.status == "debrief" and attempt.ending == "good" and published(cohort) is None
    with pytest.raises(Invalid):
        sim.reflect(cohort.student, attempt.pk, "   ")           # the reflection is required
    attempt = sim.reflect(cohort.student, attempt.pk, "I began with the contract.")
    assert attempt.status == "finished" and attempt.score == 1.0 and attempt.competencies == {"6": 1.0}
    assert published(cohort) == 1.0
    actions = list(AuditEvent.objects.filter(action__startswith="simulation_").values_list("action", flat=True))
    assert actions[-2:] == ["simulation_finish", "simulation_grade"]
    assert SimulationAnswer.objects.get(attempt=attempt).text == "C-27 avoids interviews."


def test_save_and_resume_gives_back_the_same_attempt(cohort, mini):
    first = sim.start(cohort.student, "mini")
    sim.choose(cohort.student, first.pk, "a", "cold")
    again = sim.start(cohort.student, "mini")
    assert again.pk == first.pk and again.node == "write" and again.variables == {"rapport": -1}


def test_a_stale_form_or_an_unknown_choice_changes_nothing(cohort, mini):
    attempt = sim.start(cohort.student, "mini")
    sim.choose(cohort.student, attempt.pk, "a", "warm")
    with pytest.raises(Conflict):
        sim.choose(cohort.student, attempt.pk, "a", "cold")      # the same page posted twice
    with pytest.raises(Invalid):
        sim.answer(cohort.student, attempt.pk, "write", "")
    attempt.refresh_from_db()
    assert attempt.path == [{"node": "a", "choice": "warm"}]
    other = sim.start(cohort.other_student, "mini")
    with pytest.raises(Invalid):
        sim.choose(cohort.other_student, other.pk, "a", "nope")
    with pytest.raises(NotFound):
        sim.choose(cohort.other_student, attempt.pk, "write", "warm")  # not hers


def test_free_text_with_a_client_identifier_is_refused_and_nothing_is_stored(cohort, mini):
    attempt = sim.start(cohort.student, "mini")
    sim.choose(cohort.student, attempt.pk, "a", "warm")
    for text in ("The client Ahmed avoids interviews", "call her on 01012345678", "الحالة فاطمة قلقة"):
        with pytest.raises(Invalid) as refused:
            sim.answer(cohort.student, attempt.pk, "write", text)
        assert "C-014" in str(refused.value.message)
    assert not SimulationAnswer.objects.exists()
    attempt.refresh_from_db()
    assert attempt.node == "write"


def test_undo_never_raises_the_grade(cohort, mini):
    attempt = sim.start(cohort.student, "mini")
    sim.choose(cohort.student, attempt.pk, "a", "cold")
    attempt = sim.undo(cohort.student, attempt.pk)
    assert attempt.node == "a" and attempt.variables == {"rapport": 0}
    sim.choose(cohort.student, attempt.pk, "a", "warm")
    attempt = sim.answer(cohort.student, attempt.pk, "write", "C-27 fears judgement.")
    assert attempt.ending == "good"                                   # the story follows the new choice...
    attempt = sim.reflect(cohort.student, attempt.pk, "Warmth first.")
    assert attempt.score == 0.0 and published(cohort) == 0.0          # ...the credit stays with the first one


def test_undo_from_the_debrief_takes_back_the_written_answer(cohort, mini):
    attempt = sim.start(cohort.student, "mini")
    sim.choose(cohort.student, attempt.pk, "a", "warm")
    sim.answer(cohort.student, attempt.pk, "write", "C-27 text")
    attempt = sim.undo(cohort.student, attempt.pk)
    assert attempt.status == "playing" and attempt.node == "write" and not SimulationAnswer.objects.exists()


def test_undo_is_refused_when_the_policy_forbids_it(cohort, mini):
    sim.set_policy(cohort.academic, "mini", undo_allowed=False)
    attempt = sim.start(cohort.student, "mini")
    sim.choose(cohort.student, attempt.pk, "a", "cold")
    with pytest.raises(Forbidden):
        sim.undo(cohort.student, attempt.pk)
    attempt.refresh_from_db()
    assert attempt.node == "write"


@pytest.mark.parametrize("rule, expected", [("best", [0.0, 1.0, 1.0]), ("last", [0.0, 1.0, 0.0]),
                                            ("first", [0.0, 0.0, 0.0])])
def test_replays_move_the_grade_only_as_the_policy_says(cohort, mini, rule, expected):
    sim.set_policy(cohort.coordinator, "mini", grade_rule=rule, max_attempts=3)
    seen = []
    for choice in ("cold", "warm", "cold"):
        play(cohort.student, "mini", choice)
        seen.append(published(cohort))
    assert seen == expected
    with pytest.raises(Forbidden):
        sim.start(cohort.student, "mini")                              # three attempts used
    grade_rows = AuditEvent.objects.filter(action="simulation_grade").count()
    assert grade_rows == len({None, *expected}) - 1 + (rule == "last")


def test_an_unfinished_attempt_cannot_be_dropped_to_start_over(cohort, mini):
    sim.set_policy(cohort.academic, "mini", max_attempts=1, grade_rule="first")
    attempt = sim.start(cohort.student, "mini")
    sim.choose(cohort.student, attempt.pk, "a", "cold")
    assert sim.start(cohort.student, "mini").pk == attempt.pk           # resumes, never a fresh start
    assert SimulationAttempt.objects.count() == 1


def test_policy_is_set_by_authors_and_supervisors_only_and_checked(cohort, mini):
    for actor in (cohort.student, cohort.agency):
        with pytest.raises(Forbidden):
            sim.set_policy(actor, "mini", max_attempts=2)
    for bad in ({"max_attempts": "0"}, {"max_attempts": "x"}, {"grade_rule": "average"}):
        with pytest.raises(Invalid):
            sim.set_policy(cohort.academic, "mini", **bad)
    with pytest.raises(NotFound):
        sim.set_policy(cohort.academic, "no-such", max_attempts=2)
    assert sim.policy(cohort.course, "mini").max_attempts is None


def test_only_students_play(cohort, mini):
    for actor in (cohort.academic, cohort.agency, cohort.coordinator):
        with pytest.raises(Forbidden):
            sim.start(actor, "mini")


def test_who_sees_whose_attempts(cohort, mini):
    play(cohort.student, "mini", "warm")
    play(cohort.other_student, "mini", "cold")
    both = {cohort.student.person.pk, cohort.other_student.person.pk}
    for actor in (cohort.academic, cohort.coordinator):
        assert {a.student_id for a in sim.attempts(actor, "mini")} == both
    assert {a.student_id for a in sim.attempts(cohort.agency, "mini")} == {cohort.student.person.pk}
    assert {a.student_id for a in sim.attempts(cohort.student, "mini")} == {cohort.student.person.pk}
    other = sim.attempts(cohort.other_student, "mini").get()
    with pytest.raises(NotFound):
        sim.attempt_for(cohort.agency, "mini", other.pk)
    with pytest.raises(Forbidden):
        sim.attempts(cohort.enter("w2", roles.AUTHOR), "mini")


def test_analytics_count_choices_show_failures_and_competencies(cohort, mini):
    play(cohort.student, "mini", "warm")
    play(cohort.other_student, "mini", "cold")
    report = sim.analytics(cohort.academic, "mini")
    node = report["nodes"][0]
    assert report["finished"] == 2 and report["average"] == 0.5
    assert {c["id"]: c["count"] for c in node["choices"]} == {"warm": 1, "cold": 1}
    assert node["weak_share"] == 0.5 and report["failed"][0]["id"] == "a"
    assert report["competencies"] == [{"tag": "6", "name": "6. Engage with individuals, families, groups, organizations, and communities", "average": 0.5, "count": 2}]
    assert sim.analytics(cohort.agency, "mini")["finished"] == 1           # only their student
    author = cohort.enter("w3", roles.AUTHOR)
    assert sim.analytics(author, "mini")["finished"] == 2
    with pytest.raises(Forbidden):
        sim.analytics(cohort.student, "mini")
    rows = list(csv.reader(io.StringIO(sim.analytics_csv(cohort.academic, "mini"))))
    assert rows[0][:3] == ["node", "phase", "node_text"] and ["a", "study", "a", "2", "warm", "warm", "1", "2", "0", "0"] in rows


def test_a_pasted_scenario_is_validated_and_refused_with_reasons(cohort):
    broken = mini_source().replace("next: poor", "next: nowhere")
    with translation.override("en"), pytest.raises(Invalid) as refused:
        sim.save_scenario(cohort.academic, broken)
    assert any("nowhere" in m and "node b" in m for m in refused.value.field_errors["scenario"])
    with translation.override("ar"), pytest.raises(Invalid) as refused:
        sim.save_scenario(cohort.academic, broken)
    assert "تؤدي إلى عقدة غير موجودة" in refused.value.field_errors["scenario"][0]
    with pytest.raises(Forbidden):
        sim.save_scenario(cohort.student, mini_source())
    library_copy = mini_source().replace("id: mini", f"id: {DEMO}", 1)
    with pytest.raises(Conflict):
        sim.save_scenario(cohort.academic, library_copy)
    assert not CourseScenario.objects.exists()


def test_a_replaced_scenario_is_what_the_next_look_up_finds_even_in_the_same_request(cohort, mini):
    author = cohort.enter("w1", roles.AUTHOR, "Author")
    assert library.get(author.course, "mini").title["en"] == "Mini"      # looked up, and kept by this course object
    data = yaml.safe_load(mini_source())
    data["title"] = {"en": "Mini, second version", "ar": "مصغّر، النسخة الثانية"}
    sim.save_scenario(author, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert library.get(author.course, "mini").title["en"] == "Mini, second version"
    assert library.get(cohort.student.course, "mini").title["ar"] == "مصغّر، النسخة الثانية"
