"""The evidence report's kept evaluation means (maydan.tallies.scores): every write to the evaluations and their
scoresheets keeps them, and the paged report's summary and cells equal a plain recomputation over everyone."""
from datetime import datetime, timezone as tz
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maydan import vocab
from maydan.cohort import evidence
from maydan.grading import corrections, services as grading
from maydan.models import (EvidenceTally, Evaluation, LogEntry, Placement, Scoresheet, SimulationAttempt)
from maydan.tallies import scores
from tests.conftest import form
from tests.unit.cohort_seed import seed

SENT = datetime(2025, 2, 1, 9, tzinfo=tz.utc)


def answers(form_id, value):
    behaviours = [b.id for b in grading.form_of(form_id).framework.behaviours]
    return form(comment_overall="Steady progress.", **{f"value_{b}": value for b in behaviours})


def kept(placement):
    return EvidenceTally.objects.filter(placement=placement).values_list("finals", flat=True).first()


def vary(actor):
    """Turn a seeded cohort's uniform evaluations and attempts into every case the report meets, one per student
    index: sheets missing or still drafts, unreleased evaluations, N/O scores, no evaluation at all, attempts with
    no score, practice and unfinished attempts, tags of no competency, and scores whose means fall on a tie."""
    placements = list(Placement.objects.filter(course=actor.course).order_by("student__subject"))
    for i, placement in enumerate(placements):
        evaluations = list(Evaluation.objects.filter(placement=placement).order_by("form"))
        first = evaluations[0]
        behaviours = sorted(first.final_values)
        case = i % 8
        if case == 1:  # the academic side never came: nothing released
            first.sheets.filter(side="academic").delete()
            Evaluation.objects.filter(pk=first.pk).update(status=Evaluation.OPEN, final_values={}, released_at=None)
        elif case == 2:  # the agency side is a draft; the academic side submitted
            first.sheets.filter(side="agency").update(submitted_at=None)
            Evaluation.objects.filter(pk=first.pk).update(status=Evaluation.OPEN, released_at=None)
        elif case == 3:  # N/O for half the behaviours, everywhere; scores on a tie (3 and 4, mean 3.5 then 3.25)
            values = {b: (None if n % 2 else 3 + n % 4 // 2) for n, b in enumerate(behaviours)}
            for sheet in first.sheets.all():
                sheet.values = values
                sheet.save()
            first.final_values = values
            first.save()
        elif case == 4:  # no evaluation at all
            Scoresheet.objects.filter(evaluation__placement=placement).delete()
            Evaluation.objects.filter(placement=placement).delete()
        elif case == 5:  # N/O for every behaviour of the released final values; sheets scored
            first.final_values = dict.fromkeys(behaviours)
            first.save(update_fields=["final_values"])
        elif case == 6:  # released but both sheets reopened for a correction
            first.sheets.update(submitted_at=None)
        student = placement.student
        SimulationAttempt.objects.filter(course=actor.course, student=student).delete()
        tags = [[{"1": 0.5, "6": 0.75}, {"1": 0.75, "6": 0.5}], [{"1": 0.75, "6": None, "12": 1.0}, {"1": 0.125}],
                [{"3": 0.125, "6": 0.5}, {"3": 0.5}], [{}, {}]][i % 4]
        attempts = [
            SimulationAttempt(course=actor.course, student=student, scenario="etherapy-anxious", number=n + 1,
                              status="finished", node="end", score=0.5, competencies=tags[n], finished_at=SENT)
            for n in range(i % 3)]
        attempts.append(SimulationAttempt(course=actor.course, student=student, scenario="etherapy-anxious",
                                          number=9, status="finished", node="end", mode="practice",
                                          competencies={"2": 1.0}, finished_at=SENT))  # formative: not evidence
        attempts.append(SimulationAttempt(course=actor.course, student=student, scenario="etherapy-anxious",
                                          number=10, node="start", competencies={"4": 1.0}))  # unfinished
        SimulationAttempt.objects.bulk_create(attempts)
        if i % 5 == 0:
            LogEntry.objects.filter(placement=placement).update(status=vocab.SUBMITTED)  # no approved hours
    return placements


@pytest.fixture
def varied(db):
    actor = seed("https://lms.example.edu", "varied", 16, entries=6)[0]
    vary(actor)
    return actor


def plain(actor, **filters):
    """Everyone's evidence and summary as the report computes it from the sheets (no kept means)."""
    everyone = evidence.report(actor, **filters)
    return everyone, evidence.cohort_summary(everyone)


@pytest.mark.parametrize("filters", [{}, {"agency": "Agency 1"}, {"student": "Student 001"}])
def test_each_page_and_the_summary_equal_a_plain_recomputation(varied, filters):
    if "agency" in filters:
        filters = {"agency": str(varied.course.agencies.get(name=filters["agency"]).pk)}
    assert scores.differences() == []
    everyone, summary = plain(varied, **filters)
    assert everyone and any(c.evaluations for s in everyone for c in s.cells)
    if not filters:  # the data holds the cases it means to
        assert any(e["final"] is None for s in everyone for c in s.cells for e in c.evaluations)  # unreleased
        assert any(not c.evaluations for s in everyone for c in s.cells)
        assert any(c.simulation_mean == 0.62 for s in everyone for c in s.cells)  # (0.5 + 0.75) / 2, on a tie
    shown = []
    for number in range(1, 1 + (len(everyone) + 4) // 5):
        page, page_summary, supervisors = evidence.page(varied, number, size=5, **filters)
        assert page_summary == summary
        assert supervisors == {pk for s in everyone for pk in (s.placement.academic_supervisor_id,
                                                                s.placement.agency_supervisor_id)} - {None}
        shown += page.object_list
    assert [(s.placement.pk, s.cells, s.visits) for s in shown] == [(s.placement.pk, s.cells, s.visits)
                                                                    for s in everyone]


def test_an_empty_cohort_has_an_empty_summary(varied):
    page, summary, supervisors = evidence.page(varied, 1, student="nobody by this name")
    assert list(page.object_list) == [] and supervisors == set()
    assert summary == evidence.cohort_summary([])
    assert [s["flagged"] for s in summary] == [0] * 9 and {s["final"] for s in summary} == {None}


def test_queries_do_not_grow_with_the_cohort(db):
    counts = []
    for n, name in ((3, "small"), (12, "large")):
        actor = seed("https://lms.example.edu", name, n, entries=4)[0]
        evidence.page(actor, 1, size=2)
        with CaptureQueriesContext(connection) as captured:
            page, _summary, _supervisors = evidence.page(actor, 1, size=2)
        assert len(page.object_list) == 2
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_grading_keeps_the_means_as_sheets_are_submitted_reopened_released_and_corrected(cohort):
    sara = Placement.objects.get(course=cohort.course, student__subject="s1")
    sara.academic_supervisor = cohort.academic.person
    sara.save()
    assert kept(sara) is None  # no evaluation yet
    grading.save_sheet(cohort.agency, sara.pk, "midterm", answers("midterm", 4))  # a draft is no evidence
    assert kept(sara) == {}
    grading.save_sheet(cohort.agency, sara.pk, "midterm", answers("midterm", 4), submit=True)
    assert kept(sara)["6"] == [1, None]  # scored by the agency side; no final before release
    grading.reopen_sheet(cohort.academic, sara.pk, "midterm", "agency", "Please look again at the interviews.")
    assert kept(sara) == {}
    grading.save_sheet(cohort.agency, sara.pk, "midterm", answers("midterm", 4), submit=True)
    grading.save_sheet(cohort.academic, sara.pk, "midterm", answers("midterm", 3), submit=True)
    grading.release(cohort.academic, sara.pk, "midterm")
    assert kept(sara)["6"] == [1, 3.5] and scores.differences() == []
    corrections.reopen(cohort.academic, sara.pk, "midterm", "The academic scores were entered wrong.",
                       sides=["academic"])
    assert kept(sara)["6"] == [1, 3.5]  # what the student was shown stands until the corrected release
    grading.save_sheet(cohort.academic, sara.pk, "midterm", answers("midterm", 4), submit=True)
    grading.release(cohort.academic, sara.pk, "midterm")
    assert kept(sara)["6"] == [1, 4.0] and scores.differences() == []
    grading.save_sheet(cohort.agency, sara.pk, "final", answers("final", 3), submit=True)
    assert kept(sara)["6"] == [2, 4.0] and scores.differences() == []


def test_writes_in_bulk_and_moves_keep_the_means(cohort):
    sara, omar = (Placement.objects.get(course=cohort.course, student__subject=s) for s in ("s1", "s2"))
    values = {b.id: 4 for b in grading.form_of("midterm").framework.behaviours}
    evaluation = Evaluation.objects.create(placement=sara, form="midterm", final_values=values, released_at=SENT)
    Scoresheet.objects.bulk_create([Scoresheet(evaluation=evaluation, side="agency", values=values, submitted_at=SENT)])
    assert kept(sara)["6"] == [1, 4.0]
    Scoresheet.objects.filter(evaluation=evaluation).update(values={k: 2 for k in values})
    Evaluation.objects.filter(pk=evaluation.pk).update(final_values={k: 3 for k in values})
    assert kept(sara)["6"] == [1, 3.0]
    evaluation.refresh_from_db()
    evaluation.placement = omar
    evaluation.save()
    assert kept(sara) == {} and kept(omar)["6"] == [1, 3.0]
    Evaluation.objects.filter(pk=evaluation.pk).update(placement=sara)
    assert kept(sara)["6"] == [1, 3.0] and kept(omar) == {}
    assert scores.differences() == []


def test_the_command_finds_drift_in_the_means_and_rebuilds_them(varied):
    placement = Placement.objects.filter(course=varied.course, evidence_tally__isnull=False).order_by("pk").first()
    EvidenceTally.objects.filter(placement=placement).update(finals={"6": [9, 1.0]})
    out = StringIO()
    with pytest.raises(CommandError, match="1 tallied value"):
        call_command("rebuild_tallies", "--check", stdout=out)
    assert f"placement {placement.pk}: finals is {{'6': [9, 1.0]}}, the evaluations say" in out.getvalue()
    EvidenceTally.objects.all().delete()
    call_command("rebuild_tallies", stdout=out)
    assert scores.differences() == [] and EvidenceTally.objects.count() == Placement.objects.count()
    assert evidence.page(varied, 1)[1] == plain(varied)[1]


def test_the_report_counts_an_evaluation_once_per_competency_it_scored(cohort):
    """A form whose behaviours are all N/O for a competency gives no evidence of it, on the page and in the sums."""
    sara = Placement.objects.get(course=cohort.course, student__subject="s1")
    behaviours = grading.form_of("midterm").framework.behaviours
    values = {b.id: (None if str(b.competency) == "6" else 4) for b in behaviours}
    evaluation = Evaluation.objects.create(placement=sara, form="midterm", final_values=values, released_at=SENT)
    Scoresheet.objects.create(evaluation=evaluation, side="agency", values=values, submitted_at=SENT)
    assert "6" not in kept(sara) and kept(sara)["1"] == [1, 4.0]
    page, summary, _supervisors = evidence.page(cohort.coordinator, 1)
    six = {s["competency"]: s for s in summary}["6"]
    assert six["final"] is None and six["flagged"] == 2 and summary == plain(cohort.coordinator)[1]
