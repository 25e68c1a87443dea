"""CSV export with per-behaviour scores; CSV import with a dry run, applied whole or not at all."""
import csv
import io

import pytest

from maydan.errors import Forbidden
from maydan.grading import bulk, services
from maydan.grading.models import Scoresheet
from tests.unit.test_grading_evaluations import answers, both_submit


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def filled(text, student, side, value="4", **extra):
    """The exported CSV with one side of one student filled in."""
    table = rows(text)
    header = list(table[0])
    for row in table:
        if row["student"] == student and row["side"] == side:
            row.update({b: value for b in header[6:26]}, comment_overall="From the paper form.", **extra)
    out = io.StringIO()
    writer = csv.DictWriter(out, header)
    writer.writeheader()
    writer.writerows(table)
    return out.getvalue()


def test_export_has_both_sides_and_the_released_final_values_per_behaviour(cohort):
    placement = cohort.student.person.placements.get()
    both_submit(cohort, placement, academic=answers(3))
    services.release(cohort.academic, placement.pk, "midterm")
    table = rows(bulk.export_csv(cohort.coordinator, "midterm"))
    sara = {r["side"]: r for r in table if r["student"] == "s1"}
    assert sara["agency"]["1a"] == "4" and sara["academic"]["1a"] == "3" and sara["final"]["1a"] == "3.5"
    assert float(sara["final"]["score"]) == pytest.approx(0.7) and sara["final"]["status"] == "released"
    assert {r["side"] for r in table if r["student"] == "s2"} == {"agency", "academic", "final"}
    with pytest.raises(Forbidden):
        bulk.export_csv(cohort.agency, "midterm")


def test_dry_run_shows_every_row_and_writes_nothing(cohort):
    text = filled(bulk.export_csv(cohort.academic, "midterm"), "s1", "agency")
    applied, results = bulk.import_csv(cohort.academic, text)
    assert not applied and not Scoresheet.objects.exists()
    outcomes = {(r["student"], r["side"]): r["outcome"] for r in results}
    assert outcomes[("s1", "agency")] == "ok" and outcomes[("s1", "final")] == "skipped"
    assert outcomes[("s2", "academic")] == "skipped" and len(results) == 6


def test_one_bad_row_refuses_the_whole_file(cohort):
    text = filled(bulk.export_csv(cohort.academic, "midterm"), "s1", "agency")
    text = filled(text, "s2", "academic", value="7")
    applied, results = bulk.import_csv(cohort.academic, text, apply=True)
    assert not applied and not Scoresheet.objects.exists()
    [bad] = [r for r in results if r["outcome"] == "error"]
    assert bad["student"] == "s2" and bad["line"] == 6 and "value_1a" in bad["message"]
    applied, _results = bulk.import_csv(cohort.academic, text.replace("s2,", "nobody,"), apply=True)
    assert not applied and not Scoresheet.objects.exists()


def test_a_good_file_is_applied_and_a_second_import_changes_nothing(cohort):
    text = filled(bulk.export_csv(cohort.academic, "midterm"), "s1", "agency")
    applied, _results = bulk.import_csv(cohort.academic, text, apply=True)
    sheet = Scoresheet.objects.get()
    assert applied and sheet.side == "agency" and sheet.submitted_at and sheet.via == "csv import"
    from maydan.models import AuditEvent

    submitted = AuditEvent.objects.get(action="evaluation_submit")
    assert submitted.actor.subject == "a1" and submitted.changes["via"] == "csv import"
    again = bulk.export_csv(cohort.academic, "midterm")
    applied, results = bulk.import_csv(cohort.academic, again, apply=True)
    assert applied and {r["outcome"] for r in results} == {"skipped"}


def test_import_refuses_empty_files_and_other_roles(cohort):
    assert bulk.import_csv(cohort.academic, "student,form,side\n")[1][0]["outcome"] == "error"
    with pytest.raises(Forbidden):
        bulk.import_csv(cohort.agency, "student,form,side\ns1,midterm,agency\n")


def test_text_that_a_spreadsheet_would_run_is_neutralised_and_read_back_unchanged(cohort):
    placement = cohort.student.person.placements.get()
    formula = "=HYPERLINK(\"http://evil.example\")"
    services.save_sheet(cohort.agency, placement.pk, "midterm", answers(4, comment_overall=formula), submit=True)
    text = bulk.export_csv(cohort.academic, "midterm")
    [row] = [r for r in rows(text) if r["student"] == "s1" and r["side"] == "agency"]
    assert row["comment_overall"] == "'" + formula
    Scoresheet.objects.all().update(submitted_at=None, comments={})
    applied, _results = bulk.import_csv(cohort.academic, text, apply=True)
    assert applied and Scoresheet.objects.get(side="agency").comments["overall"] == formula
