"""Streamed exports hold what the whole files held: each table, format and language is compared, cell by cell
and label by label, with the same table written whole by openpyxl and pyreadstat (as the product wrote it
before it streamed); and every export leaves as chunks, never as one body."""
import csv
import io
import os
import tempfile
from datetime import date

import polars
import pyreadstat
import pytest
from openpyxl import Workbook, load_workbook

from maydan import spreadsheets
from maydan.cohort import exports
from maydan.models import LogEntry, Person, Placement
from maydan.program import history
from tests.unit.cohort_seed import seed
from tests.unit.test_cohort_exports import _read_sav
from tests.unit.test_program import agency, issued, market, opening, rank  # noqa: F401 (fixtures)
from tests.unit.test_program_term import two_terms  # noqa: F401 (a fixture)

ISSUER = "https://lms.example.edu"


@pytest.fixture
def course(db):
    """Six students with log entries, evaluations and simulation attempts; names and agencies typed in Arabic,
    with a formula, with spaces around, one entry tagged with no competency."""
    coordinator, academic, _agency = seed(ISSUER, "stream-1", 6, entries=12)
    placements = list(Placement.objects.filter(course=coordinator.course).order_by("student__subject"))
    placements[0].agency = "مؤسسة الأمل للأسرة"
    placements[1].agency = '=HYPERLINK("http://evil.example","x")'
    placements[2].agency = "  Nile\tElder & <Care>  "
    for placement in placements[:3]:
        placement.save()
    Person.objects.filter(pk=placements[0].student_id).update(name="سارة عادل")
    Person.objects.filter(pk=placements[1].student_id).update(name="+cmd|' /C calc'!A0")
    LogEntry.objects.create(placement=placements[3], date=date(2025, 2, 1), minutes=45, activity_type="other",
                            modality="remote", time_kind="indirect", competencies=[], status="approved")
    return coordinator


# --- the whole-file writers the streamed ones replace ---------------------------------------------------


def whole_csv(built):
    return ("\ufeff" + spreadsheets.csv_text([[c.name for c in built.columns], *built.rows])).encode()


def whole_xlsx(built, language):
    from django.utils import translation
    from openpyxl.cell import WriteOnlyCell

    def shown(column, value):
        if column.kind != exports.CODED or value not in column.values:
            return value
        with translation.override(language):
            return str(column.values[value])

    with translation.override(language):
        headers = [c.text() for c in built.columns]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(built.name)
    sheet.sheet_view.rightToLeft = language == "ar"
    for row in [headers, [c.name for c in built.columns],
                *([shown(c, v) for c, v in zip(built.columns, row)] for row in built.rows)]:
        cells = []
        for value in row:
            if isinstance(value, str):
                value = WriteOnlyCell(sheet, value=spreadsheets._NOT_XML.sub("", value))
                value.data_type = "s"
            cells.append(value)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def whole_sav(built):
    rows = list(built.rows)
    data, value_labels = {}, {}
    for index, column in enumerate(built.columns):
        cells = [row[index] for row in rows]
        if column.kind == exports.CODED:
            codes = {key: number for number, key in enumerate(column.values, start=1)}
            data[column.name] = polars.Series(column.name, [codes.get(v) for v in cells], dtype=polars.Int64)
            value_labels[column.name] = {codes[k]: spreadsheets.label(exports.both(label), 120)
                                         for k, label in column.values.items()}
        elif column.kind == exports.NUMBER:
            data[column.name] = polars.Series(column.name, [None if v is None else float(v) for v in cells],
                                              dtype=polars.Float64)
        else:
            data[column.name] = polars.Series(column.name, ["" if v is None else spreadsheets.inert(str(v))
                                                            for v in cells], dtype=polars.Utf8)
    handle, path = tempfile.mkstemp(suffix=".sav")
    os.close(handle)
    try:
        pyreadstat.write_sav(
            polars.DataFrame(data), path,
            file_label=spreadsheets.label(exports.both(built.title or exports.TABLES[built.name]), 64),
            column_labels={c.name: spreadsheets.label(exports.both(c), 255) for c in built.columns},
            variable_value_labels=value_labels,
            variable_measure={c.name: "nominal" for c in built.columns if c.kind != exports.NUMBER})
        with open(path, "rb") as written:
            return written.read()
    finally:
        os.unlink(path)


# --- how files are compared ------------------------------------------------------------------------------


def xlsx_cells(data):
    sheet = load_workbook(io.BytesIO(data)).active
    return (sheet.title, bool(sheet.sheet_view.rightToLeft),
            [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()])


def sav_content(data):
    values, meta = _read_sav(data)
    kinds = {name: "text" if kind.startswith("A") else kind for name, kind in meta.original_variable_types.items()}
    return (values, meta.number_rows, meta.column_names, meta.column_names_to_labels,
            meta.file_label, meta.variable_value_labels, meta.variable_measure, kinds)


def assert_same(build, fmt, language):
    """The streamed file of a fresh `build()` holds what the whole file of another fresh one held."""
    _name, _type, chunks = exports.as_file(build(), fmt, language)
    assert not isinstance(chunks, (bytes, str, list)), "a file given whole, not streamed"
    streamed = exports.whole(chunks)
    if fmt == "csv":
        assert streamed == whole_csv(build())
    elif fmt == "xlsx":
        assert xlsx_cells(streamed) == xlsx_cells(whole_xlsx(build(), language))
    else:
        assert sav_content(streamed) == sav_content(whole_sav(build()))


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("fmt", list(exports.FORMATS))
@pytest.mark.parametrize("table", list(exports.TABLES))
def test_each_cohort_table_streams_what_the_whole_file_held(course, table, fmt, language):
    assert_same(lambda: exports.table(course, table, identified=True), fmt, language)


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("fmt", list(exports.FORMATS))
def test_the_program_history_streams_what_the_whole_file_held(two_terms, fmt, language):  # noqa: F811
    assert_same(lambda: history.table(two_terms.coordinator), fmt, language)


def test_a_coded_table_read_whole_has_every_row(course):
    built = exports.table(course, "logs")
    rows = list(built.rows)
    assert len(rows) == built.size() == LogEntry.objects.filter(placement__course=course.course).exclude(
        status="withdrawn").count()
    text = exports.whole(exports.as_file(exports.table(course, "logs"), "csv", "en")[2]).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == len(rows) + 1
    assert "سارة عادل" not in text and "مؤسسة الأمل للأسرة" in text  # coded: agencies, never names


def test_an_empty_table_is_still_a_whole_file(course):
    LogEntry.objects.all().delete()
    for fmt in exports.FORMATS:
        assert_same(lambda: exports.table(course, "logs"), fmt, "ar")


def test_large_files_leave_in_many_chunks_before_the_last_row_is_read(course):
    """The first chunk of each format is handed over while most rows are still unread."""
    read = []

    def rows():
        for number in range(30_000):
            read.append(number)
            yield [f"S-{number:08d}", "مؤسسة", "2025-03-01", number, "home_visit", "remote", "direct", "approved",
                   *[number % 2] * 9]

    columns = exports.table(course, "logs").columns
    for fmt in exports.FORMATS:
        read.clear()
        chunks = iter(exports.as_file(exports.Table("logs", columns, rows()), fmt, "ar")[2])
        first = next(chunks)
        assert first and len(read) < 5_000, f"{fmt}: {len(read)} rows read before the first chunk"
        assert sum(1 for _ in chunks) > 3 and len(read) == 30_000


def test_an_identified_export_is_audited_before_its_first_row_leaves(course):
    from maydan.models import AuditEvent

    chunks = iter(exports.export(course, "logs", "csv", identified=True)[2])
    assert next(chunks).decode("utf-8-sig").startswith("student_code,student_id,student_name")  # names no one
    assert not AuditEvent.objects.filter(action="export_identified").exists()
    assert "سارة عادل" in next(chunks).decode()
    event = AuditEvent.objects.get(action="export_identified")
    assert event.actor == course.person and event.changes == {
        "table": "logs", "rows": LogEntry.objects.filter(placement__course=course.course).exclude(
            status="withdrawn").count()}


@pytest.mark.parametrize("fmt", list(exports.FORMATS))
@pytest.mark.parametrize("table", ["hours", "evaluations", "simulations"])
def test_a_courses_small_tables_are_made_after_the_first_bytes_leave(course, table, fmt):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    chunks = iter(exports.export(course, table, fmt, language="ar")[2])
    with CaptureQueriesContext(connection) as queries:
        assert next(chunks)
        assert len(queries) == 0, "the first bytes waited for the table's rows"
        assert exports.whole(chunks) and len(queries) > 0
