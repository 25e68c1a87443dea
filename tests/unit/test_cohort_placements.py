"""Placements admin: agencies and the CSV import with its dry run, for the field coordinator only."""
from datetime import date

import pytest
from django.utils import translation

from maydan.cohort import placements, screens
from maydan.errors import Forbidden, Invalid
from maydan.models import Agency, AuditEvent, Person, Placement
from maydan.ui import Screen
from tests.conftest import form

HEADER = ",".join(placements.COLUMNS)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def csv(*rows):
    return "\n".join([HEADER, *rows]) + "\n"


GOOD = csv(
    "s1,Sara Adel,Hope Family Centre,NGO,Giza,02-555,2025-02-01,2025-05-31,400,a1,m1",
    "new7,Mona Fathy,Cairo University Hospital,hospital,Cairo,,2025-02-01,2025-05-31,,a1,",
)


def test_dry_run_shows_every_row_and_writes_nothing(cohort):
    applied, results = placements.import_csv(cohort.coordinator, GOOD)
    assert not applied
    assert [(r.line, r.student, r.outcome, r.errors) for r in results] == [
        (2, "s1", "update", []), (3, "new7", "create", [])]
    assert not Agency.objects.exists()
    assert not Person.objects.filter(subject="new7").exists()
    assert Placement.objects.get(student__subject="s1").host_agency is None


def test_import_applies_every_row_with_its_audit(cohort):
    applied, _results = placements.import_csv(cohort.coordinator, GOOD, apply=True)
    assert applied
    sara = Placement.objects.select_related("host_agency").get(course=cohort.course, student__subject="s1")
    assert (sara.host_agency.name, sara.host_agency.kind, sara.host_agency.contact) == (
        "Hope Family Centre", "NGO", "02-555")
    assert (sara.agency, sara.starts_on, sara.ends_on, sara.target_hours) == (
        "Hope Family Centre", date(2025, 2, 1), date(2025, 5, 31), 400)
    assert sara.academic_supervisor == cohort.academic.person and sara.agency_supervisor == cohort.agency.person
    mona = Placement.objects.get(course=cohort.course, student__subject="new7")
    assert mona.student.name == "Mona Fathy" and mona.target_hours is None and mona.agency_supervisor is None
    assert AuditEvent.objects.filter(action="placement_import").count() == 2
    assert AuditEvent.objects.filter(action="agency_save").count() == 2
    # The same file again changes nothing.
    applied, results = placements.import_csv(cohort.coordinator, GOOD, apply=True)
    assert applied and [r.outcome for r in results] == ["unchanged", "unchanged"]
    assert AuditEvent.objects.filter(action="placement_import").count() == 2


def test_one_bad_row_and_nothing_is_imported(cohort):
    text = csv(
        "s1,,Hope,,,,2025-02-01,2025-05-31,400,a1,",
        "s2,,Hope,,,,2025-06-01,2025-05-31,abc,s1,k1",
        ",,,,,,31/05/2025,,,,",
        "s1,,Hope,,,,,,,,",
    )
    applied, results = placements.import_csv(cohort.coordinator, text, apply=True)
    assert not applied
    assert results[0].errors == []
    assert len(results[1].errors) == 4  # end before start, target, a student as academic, a coordinator as agency
    assert len(results[2].errors) == 3  # no student, no agency, a date not in YYYY-MM-DD
    assert results[3].errors == ["This student is already on an earlier row."]
    assert not Agency.objects.exists()
    assert Placement.objects.get(student__subject="s1").target_hours is None
    assert not AuditEvent.objects.filter(action__in=["placement_import", "agency_save"]).exists()


@pytest.mark.parametrize("text", ["", "name,agency\nx,y\n", HEADER + "\n"])
def test_a_file_without_the_columns_or_rows_is_refused(cohort, text):
    with pytest.raises(Invalid):
        placements.import_csv(cohort.coordinator, text)


@pytest.mark.parametrize("who", ["academic", "agency", "student"])
def test_only_the_coordinator_changes_placements(cohort, who):
    actor = getattr(cohort, who)
    with pytest.raises(Forbidden):
        placements.import_csv(actor, GOOD, apply=True)
    with pytest.raises(Forbidden):
        placements.save_agency(actor, {"name": "Hope"})
    assert not Agency.objects.exists()


def test_agency_saved_and_changed(cohort):
    placements.save_agency(cohort.coordinator, {"name": " Hope ", "kind": "NGO", "address": "Giza"})
    placements.save_agency(cohort.coordinator, {"name": "Hope", "kind": "NGO", "contact": "02-555"})
    agency = Agency.objects.get()
    assert (agency.name, agency.kind, agency.address, agency.contact) == ("Hope", "NGO", "", "02-555")
    assert AuditEvent.objects.filter(action="agency_save").count() == 2
    with pytest.raises(Invalid):
        placements.save_agency(cohort.coordinator, {"name": "  "})


def _screen(actor, language="en"):
    return Screen(actor=actor, language=language, activity="cohort", endpoint="/act", view="placements")


def test_import_screen_shows_the_dry_run_then_imports(cohort):
    status, html = screens.handle(_screen(cohort.coordinator), form(action="import", csv=GOOD, apply="0"))
    assert status == 200 and "Dry run: every row is right" in html
    assert 'data-outcome="create"' in html and 'data-outcome="update"' in html
    status, html = screens.handle(_screen(cohort.coordinator, "ar"), form(action="import", csv=GOOD, apply="1"))
    assert status == 200
    assert "Cairo University Hospital" in html and Placement.objects.filter(host_agency__isnull=False).count() == 2
    bad = csv("s1,,,,,,,,,,")
    status, html = screens.handle(_screen(cohort.coordinator), form(action="import", csv=bad, apply="1"))
    assert status == 400 and "nothing was imported" in html and "agency is empty." in html


def test_placements_screen_refused_to_an_academic_supervisor(cohort):
    status, html = screens.handle(_screen(cohort.academic), form(action="save_agency", name="Hope"))
    assert status == 403 and "Only the field coordinator may change agencies" in html
    assert not Agency.objects.exists()


def test_agencies_and_placements_in_the_django_admin(cohort, admin_client):
    placements.import_csv(cohort.coordinator, GOOD, apply=True)
    agencies = admin_client.get("/admin/maydan/agency/")
    assert agencies.status_code == 200 and "Cairo University Hospital" in agencies.content.decode()
    listed = admin_client.get("/admin/maydan/placement/", {"host_agency__id__exact": Agency.objects.get(
        name="Hope Family Centre").pk})
    page = listed.content.decode()
    assert listed.status_code == 200 and "Sara Adel" in page and "Mona Fathy" not in page
    sara = Placement.objects.get(student__subject="s1")
    assert admin_client.get(f"/admin/maydan/placement/{sara.pk}/change/").status_code == 200


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_placement_dates_outside_plausible_years_are_refused(cohort, day):
    text = f"student_id,agency,starts_on,ends_on\ns1,Hope,{day},2026-06-01\n"
    applied, [result] = placements.import_csv(cohort.coordinator, text, apply=True)
    assert not applied and any("starts_on" in e for e in result.errors)
