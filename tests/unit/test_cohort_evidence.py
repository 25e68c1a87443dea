"""The accreditation evidence report: per student and competency, evaluations, simulations, hours, flags."""
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maydan import vocab
from maydan.cohort import evidence, rules, screens
from maydan.errors import Forbidden
from maydan.grading import services as grading
from maydan.models import LogEntry, Placement, SimulationAttempt
from maydan.ui import Screen
from tests.conftest import form
from tests.unit.cohort_seed import seed

BEHAVIOURS = [b.id for b in grading.form_of("midterm").framework.behaviours]


def answers(value):
    return form(comment_overall="Steady progress.", **{f"value_{b}": value for b in BEHAVIOURS})


@pytest.fixture
def assessed(cohort):
    """Sara: a released mid-term (agency 4, academic 3), two simulation attempts and field hours in 6 and 7."""
    sara = Placement.objects.get(course=cohort.course, student__subject="s1")
    sara.academic_supervisor = cohort.academic.person
    sara.save()
    grading.save_sheet(cohort.agency, sara.pk, "midterm", answers(4), submit=True)
    grading.save_sheet(cohort.academic, sara.pk, "midterm", answers(3), submit=True)
    grading.release(cohort.academic, sara.pk, "midterm")
    for number, tags in ((1, {"6": 0.5, "1": 1.0}), (2, {"6": 1.0})):
        SimulationAttempt.objects.create(course=cohort.course, student=sara.student, scenario="etherapy-anxious",
                                         number=number, node="end", status="finished", score=0.8, competencies=tags)
    SimulationAttempt.objects.create(course=cohort.course, student=sara.student, scenario="etherapy-anxious",
                                     number=3, node="start", competencies={"9": 1.0})  # unfinished: not evidence
    for competencies, status in (([6, 7], vocab.APPROVED), ([7], vocab.COUNTERSIGNED), ([9], vocab.SUBMITTED)):
        LogEntry.objects.create(placement=sara, date=date(2025, 3, 1), minutes=90, activity_type="interview",
                                modality="remote", time_kind="direct", competencies=competencies, status=status)
    cohort.sara = sara
    return cohort


def cells_of(actor, subject="s1"):
    student = next(s for s in evidence.report(actor) if s.student.subject == subject)
    return {cell.competency: cell for cell in student.cells}


def test_each_competency_with_both_voices_simulations_hours_and_flags(assessed):
    cells = cells_of(assessed.coordinator)
    six = cells["6"]
    assert six.evaluations == [{"form": "midterm", "agency": 4.0, "academic": 3.0, "final": 3.5}]
    assert [s["score"] for s in six.simulations] == [0.5, 1.0] and six.simulation_mean == 0.75
    assert six.hours == 1.5 and six.flags == []
    assert cells["7"].hours == 3.0 and cells["7"].flags == [rules.FEW_ASSESSMENTS, rules.NO_SIMULATION]
    assert cells["1"].flags == []  # one evaluation and one simulation make two assessments
    assert cells["9"].hours == 0 and [s for s in cells["9"].simulations] == []  # waiting hours, unfinished play
    other = cells_of(assessed.coordinator, "s2")
    assert other["6"].flags == [rules.FEW_ASSESSMENTS, rules.NO_REAL_PRACTICE, rules.NO_SIMULATION]


def test_scores_before_release_show_both_sides_without_a_final(cohort):
    sara = Placement.objects.get(course=cohort.course, student__subject="s1")
    grading.save_sheet(cohort.agency, sara.pk, "midterm", answers(5), submit=True)
    grading.save_sheet(cohort.academic, sara.pk, "midterm", answers(4), submit=False)  # a draft: not evidence yet
    assert cells_of(cohort.coordinator)["2"].evaluations == [
        {"form": "midterm", "agency": 5.0, "academic": None, "final": None}]


def test_cohort_summary(assessed):
    summary = {s["competency"]: s for s in evidence.cohort_summary(evidence.report(assessed.coordinator))}
    assert summary["6"]["flagged"] == 1 and summary["6"]["final"] == 3.5 and summary["6"]["hours"] == 1.5
    assert summary["5"]["flagged"] == 2 and summary["5"]["simulation"] is None


@pytest.mark.parametrize("who", ["agency", "student"])
def test_evidence_refused_beyond_course_supervisors(assessed, who):
    actor = getattr(assessed, who)
    html = screens.render(Screen(actor=actor, language="en", activity="cohort", endpoint="/act", view="evidence"))
    assert "Only the field coordinator and academic supervisors may see this." in html and "3.5" not in html
    if who == "student":
        with pytest.raises(Forbidden):
            evidence.report(actor)


def test_printable_page_with_charts_and_flags(assessed):
    status, html = screens.handle(Screen(actor=assessed.academic, language="ar", activity="cohort", endpoint="/a"),
                                  form(action="view", view="evidence"))
    assert status == 200 and "window.print()" in html
    assert "شواهد الاعتماد" in html and html.count("<svg") == 2
    assert 'data-flag="no_simulation"' in html
    # Titles, not keys; numbers written as on every other screen (no "4,0" beside "18.5")
    midterm = grading.form_of("midterm").title["ar"]
    assert f"<bdi>{midterm}</bdi>: 4 / 3 / 3.5" in html and "midterm:" not in html
    assert "#1: 50%" in html and "#2: 100%" in html and "etherapy-anxious" not in html


def test_a_form_the_course_no_longer_uses_is_still_named_by_its_title(assessed):
    grading.configure_forms(assessed.coordinator, forms_in_use=["final"], due_dates={})
    status, html = screens.handle(Screen(actor=assessed.academic, language="en", activity="cohort", endpoint="/a"),
                                  form(action="view", view="evidence"))
    assert status == 200 and "<bdi>Mid-term competency evaluation</bdi>: 4 / 3 / 3.5" in html
    assert "<bdi>midterm</bdi>" not in html


def test_query_count_does_not_grow_with_the_cohort(db):
    counts = []
    for n, name in ((3, "small"), (10, "large")):
        actor = seed("https://lms.example.edu", name, n, entries=10)[0]
        evidence.report(actor)
        with CaptureQueriesContext(connection) as captured:
            students = evidence.report(actor)
        assert len(students) == n and all(s.cells[0].evaluations for s in students)
        counts.append(len(captured))
    assert counts[0] == counts[1] and counts[0] <= 8, counts


def test_long_cohorts_come_in_pages_with_charts_for_everyone(db, monkeypatch):
    monkeypatch.setattr(screens, "EVIDENCE_PAGE", 2)
    actor = seed("https://lms.example.edu", "paged", 5, entries=3)[0]
    screen = Screen(actor=actor, language="en", activity="cohort", endpoint="/act")
    status, html = screens.handle(screen, form(action="view", view="evidence"))
    assert status == 200 and html.count("class=\"maydan-evidence-student\"") == 2 and "Page 1 of 3" in html
    assert "Student 0000" in html and "Student 0002" not in html
    status, html = screens.handle(screen, form(action="view", view="evidence", page="3"))
    assert html.count("class=\"maydan-evidence-student\"") == 1 and "Student 0004" in html and "Page 3 of 3" in html
    status, html = screens.handle(screen, form(action="view", view="evidence", page="99"))
    assert "Page 3 of 3" in html  # past the end: the last page
    agency = str(actor.course.agencies.get(name="Agency 1").pk)
    status, html = screens.handle(screen, form(action="view", view="evidence", agency=agency))
    assert "Student 0001" in html and "Student 0000" not in html and "Page 1 of 1" not in html
