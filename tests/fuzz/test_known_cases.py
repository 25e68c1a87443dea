"""The faults the fuzz suite found, one test per class, so each stays fixed whatever the examples drawn."""
import json

import pytest
import webob
from django.test import Client
from django.utils import translation

from maydan import courses, fieldlog, parse
from maydan.fieldlog import links
from maydan.cohort import placements
from maydan.errors import Invalid, NotFound
from maydan.models import AuditEvent, Course, Placement
from maydan.sessions import report, services as session_services
from tests.conftest import form

@pytest.fixture(autouse=True)
def english():
    """The messages these tests read are the English ones, whatever an earlier test left active."""
    with translation.override("en"):
        yield


HOSTILE_IDS = ["abc", "", "-1", "0", "99999999999999999999999", "1e3", "²", "١٢", ["1", "2"], None, "1\x00"]


@pytest.mark.parametrize("value", HOSTILE_IDS, ids=repr)
def test_an_id_that_is_no_id_is_not_found(value):
    with pytest.raises(NotFound):
        parse.parse_id(value)
    assert parse.parse_id(" 7 ") == 7


@pytest.mark.parametrize("value", ["1e400", "-1e400", "nan", "inf", "²", "abc", "", "1" * 100, ["3"], True])
def test_a_number_that_is_no_number_or_out_of_bounds_is_invalid(value):
    with pytest.raises(Invalid) as refused:
        parse.parse_number(value, low=0, high=5000, message="Give hours from 0 to 5000.", field="hours")
    assert refused.value.field_errors == {"hours": ["Give hours from 0 to 5000."]}


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01", "2025-02-30", "abc", ""])
def test_a_date_outside_1900_to_2200_is_invalid(value):
    with pytest.raises(Invalid):
        parse.parse_date(value, message="date")
    assert parse.parse_date("2200-12-31", message="").year == 2200


def test_json_nested_100000_deep_is_refused_with_a_reason():
    with pytest.raises(Invalid, match="nested too deeply"):
        parse.parse_json("[" * 100_000 + "]" * 100_000)
    with pytest.raises(Invalid, match="too long"):
        parse.parse_json(json.dumps({"a": "x" * 2_000_000}))
    assert parse.parse_json('{"a": "[[[[", "b": [1, {"c": 2}]}') == {"a": "[[[[", "b": [1, {"c": 2}]}


def test_agency_link_page_with_another_placement_or_junk_answers_404(cohort):
    """It used to fall back to the home view, which for a link is this same page again, until RecursionError."""
    mine = fieldlog.placement_for(cohort.student)
    other = fieldlog.placement_for(cohort.other_student)
    _link, token = links.issue(cohort.academic, mine.pk)
    client = Client()
    for placement in ("abc", str(other.pk), "99999999999999999999999", "-1"):
        response = client.post(f"/maydan/agency/{token}/", {"action": "view", "placement": placement, "lang": "en"})
        assert response.status_code == 404, placement
        assert "does not exist or is not yours to see" in response.content.decode()
    assert client.post(f"/maydan/agency/{token}/", {"action": "view", "placement": str(mine.pk)}).status_code == 200


def test_a_refused_agency_link_request_writes_nothing_but_the_use(cohort):
    _link, token = links.issue(cohort.academic, fieldlog.placement_for(cohort.student).pk)
    before = AuditEvent.objects.exclude(action="link_use").count()
    Client().post(f"/maydan/agency/{token}/", {"action": "approve", "entry": "99999999999999999999999"})
    assert AuditEvent.objects.exclude(action="link_use").count() == before


def test_attendance_duration_past_float_range_is_a_row_error():
    text = "Name (original name),User Email,Duration (minutes)\nSara,s@example.edu,1e400\n"
    with pytest.raises(report.FormatError):
        report.read(text)


@pytest.mark.parametrize("day", ["0001-01-07", "9999-12-28", "1-01-01"])
def test_a_session_in_year_1_or_9999_is_refused_with_the_field(cohort, day):
    data = form(title="Group supervision", kind="group_supervision", date=day, time="18:00", minutes="90",
                repeat="weekly", weeks="4")
    with pytest.raises(Invalid) as refused:
        session_services.save_session(cohort.academic, data)
    assert "date" in refused.value.field_errors


@pytest.mark.parametrize("minutes", ["1e400", "nan", "²", "99999999999999999999"])
def test_a_session_length_that_is_no_number_is_refused(cohort, minutes):
    data = form(title="Supervision", kind="group_supervision", date="2026-03-03", time="18:00", minutes=minutes)
    with pytest.raises(Invalid) as refused:
        session_services.save_session(cohort.academic, data)
    assert "minutes" in refused.value.field_errors


@pytest.mark.parametrize("hours", ["²", "½", "1e400", "nan", "-5", "5001", "12.5"])
def test_placement_import_target_hours_that_is_no_whole_number_refuses_the_row(cohort, hours):
    text = f"student_id,agency,target_hours\ns1,Hope Centre,{hours}\n"
    applied, results = placements.import_csv(cohort.coordinator, text, apply=True)
    assert not applied and results[0].errors
    assert Placement.objects.get(student=cohort.student.person).target_hours is None


def test_placement_import_reads_target_hours_in_arabic_digits(cohort):
    applied, _results = placements.import_csv(cohort.coordinator, "student_id,agency,target_hours\ns1,Hope,٤٠٠\n", apply=True)
    assert applied and Placement.objects.get(student=cohort.student.person).target_hours == 400


def test_category_targets_nested_deep_are_refused_with_the_field(cohort):
    with pytest.raises(Invalid) as refused:
        courses.configure(cohort.coordinator, program="BSW", target_hours="400",
                          category_targets="[" * 100_000 + "]" * 100_000, time_zone="Africa/Cairo")
    assert "category_targets" in refused.value.field_errors
    assert Course.objects.get(pk=cohort.course.pk).target_hours != 400


def test_pasted_text_too_long_or_with_nul_is_refused_before_any_action(cohort):
    from maydan import ui
    from maydan.fieldlog import screens as fieldlog_screens

    screen = ui.Screen(actor=cohort.student, language="en")
    for value in ("x" * (parse.MAX_FIELD_CHARS + 1), "C-014\x00"):
        status, html = fieldlog_screens.handle(screen, form(action="save", description=value, date="2026-01-01"))
        assert status == 400
    assert not fieldlog.placement_for(cohort.student).entries.exists()


def test_studio_handler_given_json_100000_deep_answers_400_with_a_message(db):
    from tests.xblocks.xbtools import LmsCourse, lms_user

    course = LmsCourse()
    block, runtime = course.open(lms_user("staff-1", role="instructor", lang="en"))
    request = webob.Request.blank("/", method="POST", body=b"[" * 100_000 + b"]" * 100_000)
    request.content_type = "application/json"
    response = runtime.handle(block, "studio_submit", request)
    assert response.status_code == 400
    assert response.json["result"] == "error" and "nested too deeply" in response.json["error"]


@pytest.mark.parametrize("language, words", [("en", "too large"), ("ar", "أكبر من المسموح")])
def test_block_form_over_djangos_size_limit_is_refused_in_the_persons_language(db, settings, language, words):
    from tests.xblocks.xbtools import LmsCourse, lms_user

    block, runtime = LmsCourse().open(lms_user("student-1", lang=language))
    body = b"action=save&description=" + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    request = webob.Request.blank("/", method="POST", body=body)
    request.content_type = "application/x-www-form-urlencoded"
    response = runtime.handle(block, "act", request)
    assert response.status_code == 400 and words in response.text
