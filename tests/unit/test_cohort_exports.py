"""Exports opened back with their own readers (csv, openpyxl, pyreadstat) and checked cell by cell."""
import csv
import io
from datetime import date

import pytest
import pyreadstat
from django.conf import settings
from openpyxl import load_workbook

from maydan import vocab
from maydan.cohort import exports, rules, screens
from maydan.errors import Forbidden, Invalid
from maydan.models import AuditEvent, LogEntry, Placement, SimulationAttempt
from maydan.ui import Screen
from tests.conftest import form


def export(actor, *args, **kwargs):
    """An export's (name, content type, bytes), its streamed chunks joined."""
    name, content_type, chunks = exports.export(actor, *args, **kwargs)
    return name, content_type, exports.whole(chunks)


@pytest.fixture
def logged(cohort):
    sara = Placement.objects.get(course=cohort.course, student__subject="s1")
    sara.agency = "Hope Family Centre"
    sara.save()
    LogEntry.objects.create(placement=sara, date=date(2025, 3, 2), minutes=150, activity_type="home_visit",
                            modality="remote", time_kind="direct", competencies=[6, 7], status=vocab.APPROVED,
                            description="Visit to family C-014", reflection="I rushed the opening.")
    LogEntry.objects.create(placement=sara, date=date(2025, 3, 1), minutes=60, activity_type="supervision",
                            modality="in_person", time_kind="indirect", status=vocab.SUBMITTED)
    LogEntry.objects.create(placement=sara, date=date(2025, 3, 3), minutes=60, activity_type="other",
                            modality="in_person", time_kind="indirect", status=vocab.WITHDRAWN)
    SimulationAttempt.objects.create(course=cohort.course, student=sara.student, scenario="etherapy-anxious",
                                     number=1, node="end", status="finished", score=0.75, competencies={"6": 0.5})
    cohort.sara = sara
    cohort.code = rules.student_code(settings.SECRET_KEY, cohort.course.pk, sara.student.pk)
    return cohort


def test_logs_as_csv_coded_without_free_text(logged):
    name, content_type, data = export(logged.coordinator, "logs", "csv")
    assert name == "maydan-logs-coded.csv" and content_type.startswith("text/csv")
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:9] == ["student_code", "agency", "date", "minutes", "activity", "modality", "time_kind",
                           "status", "comp1"]
    assert rows[1] == [logged.code, "Hope Family Centre", "2025-03-01", "60", "supervision", "in_person", "indirect",
                       "submitted"] + ["0"] * 9
    assert rows[2][:8] == [logged.code, "Hope Family Centre", "2025-03-02", "150", "home_visit", "remote", "direct",
                           "approved"]
    assert rows[2][8:] == ["0", "0", "0", "0", "0", "1", "1", "0", "0"]
    assert len(rows) == 3  # the withdrawn entry stays out
    for secret in ("Sara Adel", "s1", "C-014", "rushed"):
        assert secret not in text.replace(logged.code, "")


def test_logs_as_xlsx_in_arabic(logged):
    _name, _type, data = export(logged.coordinator, "logs", "xlsx", language="ar")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "logs" and sheet.sheet_view.rightToLeft
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:5] == ["رمز الطالب", "مؤسسة التدريب", "التاريخ", "الدقائق", "النشاط"]
    assert rows[1][:9] == ["student_code", "agency", "date", "minutes", "activity", "modality", "time_kind", "status",
                           "comp1"]
    assert rows[2][:8] == [logged.code, "Hope Family Centre", "2025-03-01", 60, "اجتماع الإشراف", "حضوري",
                           "غير مباشر", "بانتظار الاعتماد"]
    assert rows[3][3] == 150 and rows[3][8:] == [0, 0, 0, 0, 0, 1, 1, 0, 0]
    assert len(rows) == 4


def test_hours_evaluations_and_simulations_as_xlsx(logged):
    sheet = load_workbook(io.BytesIO(export(logged.coordinator, "hours", "xlsx")[2])).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    names = [c.value for c in sheet[2]]
    sara = dict(zip(names, rows[logged.code]))
    assert (sara["target_h"], sara["approved_h"], sara["pending_h"], sara["h_home_visit"], sara["h_direct"]) == (
        400, 2.5, 1, 2.5, 2.5)
    assert len(rows) == 2  # both students, the other with no hours
    sims = load_workbook(io.BytesIO(export(logged.coordinator, "simulations", "xlsx")[2])).active
    values = list(sims.iter_rows(min_row=3, values_only=True))
    assert values == [(logged.code, "etherapy-anxious", 1, 0.75, None, None, None, None, None, 0.5, None, None, None)]
    evaluations = load_workbook(io.BytesIO(export(logged.coordinator, "evaluations", "xlsx")[2])).active
    assert [c.value for c in evaluations[2]] == ["student_code", "agency", "form", "competency", "agency_score",
                                                  "academic_score", "final_score"]
    assert evaluations.max_row == 2  # no evaluations yet: the headers only


def test_spss_file_with_labels_in_both_languages(logged):
    name, content_type, data = export(logged.academic, "logs", "sav")
    assert name.endswith(".sav") and content_type == "application/x-spss-sav"
    values, meta = _read_sav(data)
    assert meta.column_names[:4] == ["student_code", "agency", "date", "minutes"]
    assert meta.column_names_to_labels["student_code"] == "Student code · رمز الطالب"
    assert meta.column_names_to_labels["comp6"] == "Competency 6 · الكفاية 6"
    assert meta.file_label == "Log entries · قيود السجل"
    activity_codes = meta.variable_value_labels["activity"]
    assert activity_codes[1.0] == "Professional interview · المقابلة المهنية"
    assert activity_codes[6.0] == "Supervision conference · اجتماع الإشراف"
    assert values["student_code"] == [logged.code, logged.code]
    assert values["date"] == ["2025-03-01", "2025-03-02"] and list(values["minutes"]) == [60.0, 150.0]
    assert [activity_codes[v] for v in values["activity"]] == [
        "Supervision conference · اجتماع الإشراف", "Home visit · الزيارة المنزلية"]
    assert [meta.variable_value_labels["status"][v] for v in values["status"]] == [
        "Waiting for approval · بانتظار الاعتماد", "Approved by agency · معتمد من مؤسسة التدريب"]
    assert list(values["comp7"]) == [0.0, 1.0]


def _read_sav(data):
    import os
    import tempfile

    handle, path = tempfile.mkstemp(suffix=".sav")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    try:
        values, meta = pyreadstat.read_sav(path, output_format="dict")
    finally:
        os.unlink(path)
    return {k: list(v) for k, v in values.items()}, meta


def test_identified_only_for_a_coordinator_who_asks_and_audited(logged):
    _name, _type, data = export(logged.coordinator, "hours", "sav", identified=True)
    values, meta = _read_sav(data)
    assert meta.column_names[:3] == ["student_code", "student_id", "student_name"]
    assert sorted(values["student_name"]) == ["Omar Nabil", "Sara Adel"]
    event = AuditEvent.objects.get(action="export_identified")
    assert event.actor == logged.coordinator.person and event.changes == {"table": "hours", "rows": 2}
    with pytest.raises(Forbidden):
        export(logged.academic, "hours", "csv", identified=True)
    assert AuditEvent.objects.filter(action="export_identified").count() == 1
    # A coded export is not audited: it carries no one's name.
    export(logged.academic, "hours", "csv")
    assert AuditEvent.objects.filter(action="export_identified").count() == 1


@pytest.mark.parametrize("who", ["agency", "student"])
def test_exports_refused_beyond_course_supervisors(logged, who):
    with pytest.raises(Forbidden):
        export(getattr(logged, who), "logs", "csv")


@pytest.mark.parametrize("table,fmt", [("secrets", "csv"), ("logs", "pdf"), ("", "")])
def test_unknown_table_or_format_refused(logged, table, fmt):
    with pytest.raises(Invalid):
        export(logged.coordinator, table, fmt)


def test_export_screen_hands_over_the_file_as_a_stream(logged):
    screen = Screen(actor=logged.coordinator, language="en", activity="cohort", endpoint="/act")
    name, content_type, chunks = screens.download(screen, form(action="export", table="simulations", format="xlsx"))
    assert name == "maydan-simulations-coded.xlsx" and not isinstance(chunks, (bytes, list))
    sheet = load_workbook(io.BytesIO(exports.whole(chunks))).active
    assert sheet.cell(3, 1).value == logged.code
    assert screens.download(screen, form(action="view", view="exports")) is None  # a screen, not a file
    status, html = screens.handle(screen, form(action="view", view="exports"))
    assert status == 200 and "Include students" in html and "data-leave" in html  # the coordinator may ask for names
    academic = Screen(actor=logged.academic, language="en", activity="cohort", endpoint="/act")
    with pytest.raises(Forbidden, match="Only the field coordinator may export students"):
        screens.download(academic, form(action="export", table="logs", format="csv", identified="1"))
    assert "Include students" not in screens.handle(academic, form(action="view", view="exports"))[1]
