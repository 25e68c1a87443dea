"""Readiness documents: the program's list, uploads checked by content, review, who may read, retention, reminders."""
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone, translation

from maydan import people, roles
from maydan.errors import Conflict, Forbidden, Invalid, NotFound
from maydan.models import AuditEvent, Placement
from maydan.notify.models import Notification
from maydan.program import services as program
from maydan.readiness import rules, screens, services, upkeep
from maydan.readiness.models import ReadinessDocument
from maydan.ui import Screen
from tests.conftest import form
from tests.readiness_kit import (EICAR, HOSTILE, document_storage, image, pdf,  # noqa: F401 (fixture)
                                 stored_files)

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def requirement(cohort, title="Police clearance", **extra):
    values = {"title": title, "description": "From the police station of your district.", "required": "1"}
    values.update(extra)
    return services.save_requirement(cohort.coordinator, form(**values))


def upload(actor, wanted, data=None, name="clearance.pdf", issued=None, **dates):
    data = pdf() if data is None else data
    values = {"issued_on": (issued or TODAY - timedelta(days=10)).isoformat(), **dates}
    return services.upload(actor, wanted.pk, SimpleUploadedFile(name, data), form(**values))


@pytest.fixture
def listed(cohort, document_storage):
    """The program asks for a police clearance (valid 180 days), a pledge (no expiry) and optional insurance."""
    cohort.clearance = requirement(cohort, valid_days="180")
    cohort.pledge = requirement(cohort, "Signed confidentiality pledge")
    cohort.insurance = requirement(cohort, "Insurance", required="")
    cohort.root = document_storage
    for student in (cohort.student, cohort.other_student):
        Placement.objects.get_or_create(course=cohort.course, student=student.person)
    return cohort


def ready_of(cohort, actor):
    return services.readiness(program.program_for(cohort.course), [actor.person], TODAY)[actor.person.pk]


# --- rules ------------------------------------------------------------------------------------------


def test_a_document_is_valid_until_the_earlier_of_its_own_expiry_and_the_programs_validity():
    issued = date(2026, 1, 1)
    assert rules.valid_until(issued, None, None) is None
    assert rules.valid_until(issued, None, 180) == date(2026, 6, 30)
    assert rules.valid_until(issued, date(2026, 3, 1), 180) == date(2026, 3, 1)
    assert rules.valid_until(issued, date(2027, 3, 1), 180) == date(2026, 6, 30)


@pytest.mark.parametrize("until, expected", [
    (None, "valid"), (date(2026, 3, 1), "expired"), (date(2026, 3, 2), "expiring"), (date(2026, 4, 1), "expiring"),
    (date(2026, 4, 2), "valid"),
])
def test_expiring_within_30_days_and_expired_are_told_apart(until, expected):
    assert rules.validity(until, date(2026, 3, 2)) == expected


def test_a_renewal_waiting_for_review_keeps_the_valid_approved_document_counting():
    today = date(2026, 3, 2)
    assert rules.state(date(2026, 9, 1), True, "submitted", today) == "valid"
    assert rules.state(date(2026, 1, 1), True, "submitted", today) == "waiting"
    assert rules.state(date(2026, 1, 1), True, None, today) == "expired"
    assert rules.state(None, False, "returned", today) == "returned"
    assert rules.state(None, False, None, today) == "missing"


# --- the coordinator's list --------------------------------------------------------------------------


def test_coordinator_keeps_the_list_and_every_change_is_audited(listed):
    changed = services.save_requirement(listed.coordinator, form(requirement=listed.clearance.pk,
                                                                 title="Police clearance", valid_days="90",
                                                                 required="1"))
    assert changed.valid_days == 90
    retired = services.save_requirement(listed.coordinator, form(requirement=listed.pledge.pk,
                                                                 title="Signed confidentiality pledge", retired="1"))
    assert retired.retired
    assert [r.title for r in services.requirements(program.program_for(listed.course))] == [
        "Police clearance", "Insurance"]
    saves = AuditEvent.objects.filter(action="readiness_requirement_save")
    assert saves.count() == 5 and saves.last().changes["retired"] == [False, True]


@pytest.mark.parametrize("who", ["student", "academic", "agency"])
def test_only_the_coordinator_changes_the_list(listed, who):
    with pytest.raises(Forbidden):
        services.save_requirement(getattr(listed, who), form(title="Vaccination card"))
    assert not services.requirements(program.program_for(listed.course), retired=True)[3:]


@pytest.mark.parametrize("bad, field", [
    (dict(title=""), "title"),
    (dict(title="Police clearance"), "title"),  # already on the list
    (dict(title="X", valid_days="0"), "valid_days"),
    (dict(title="X", valid_days="1.5"), "valid_days"),
    (dict(title="X", valid_days="99999"), "valid_days"),
    (dict(title="X", description="Ask Mona Ahmed Hassan on 0100 123 4567 about it"), "description"),
])
def test_a_wrong_list_entry_is_refused_naming_its_field(listed, bad, field):
    with pytest.raises(Invalid) as refused:
        services.save_requirement(listed.coordinator, form(**bad))
    assert field in refused.value.field_errors
    assert services.requirements(program.program_for(listed.course), retired=True)[3:] == []


# --- uploads ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("data, name, content_type", [
    (pdf(), "clearance.pdf", "application/pdf"),
    (image("PNG"), "scan.png", "image/png"),
    (image("JPEG"), "IMG_2041.JPG", "image/jpeg"),
    (image("WEBP"), "photo", "image/webp"),
    (image("JPEG"), "clearance.pdf", "image/jpeg"),  # a photo with the wrong name: its content decides
])
def test_a_student_uploads_a_pdf_or_an_image_told_by_its_content(listed, data, name, content_type):
    document = upload(listed.student, listed.clearance, data, name)
    assert (document.content_type, document.size, document.status) == (content_type, len(data), "submitted")
    [kept] = stored_files(listed.root)
    assert kept == document.file and name not in kept and "Sara" not in kept  # a random name
    assert (listed.root / kept).read_bytes() == data
    event = AuditEvent.objects.get(action="readiness_upload")
    assert event.changes["sha256"] == document.sha256 and event.actor == listed.student.person


@pytest.mark.parametrize("case", sorted(HOSTILE))
@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_file_that_is_not_a_pdf_or_an_image_is_refused_whole(listed, case, language):
    name, data = HOSTILE[case]
    with translation.override(language), pytest.raises(Invalid) as refused:
        upload(listed.student, listed.clearance, data, name)
    message = refused.value.field_errors["file"][0]
    assert ("PDF" in message or "empty" in message) if language == "en" else ("PDF" in message or "فارغ" in message)
    assert not ReadinessDocument.objects.exists() and stored_files(listed.root) == []
    assert not AuditEvent.objects.filter(action="readiness_upload").exists()


@pytest.mark.parametrize("language, words", [("en", "too large"), ("ar", "كبير")])
def test_an_oversize_file_is_refused_before_it_is_read_whole(listed, settings, language, words):
    settings.MAYDAN_DOCUMENT_MAX_BYTES = 1000
    big = pdf("x" * 2000)

    class Counting(SimpleUploadedFile):
        read_sizes = []

        def read(self, size=-1):
            self.read_sizes.append(size)
            return super().read(size)

    with translation.override(language), pytest.raises(Invalid) as refused:
        services.upload(listed.student, listed.clearance.pk, Counting("big.pdf", big),
                        form(issued_on=TODAY.isoformat()))
    assert words in refused.value.field_errors["file"][0] and Counting.read_sizes == [1001]
    assert not ReadinessDocument.objects.exists() and stored_files(listed.root) == []


def test_the_configured_scanner_refuses_an_infected_file_and_a_scanner_that_fails_refuses_too(listed, settings):
    settings.MAYDAN_UPLOAD_SCANNER = "tests.readiness_kit.scanner_refusing_eicar"
    with pytest.raises(Invalid) as refused:
        upload(listed.student, listed.clearance, pdf("EICAR " + EICAR.decode()))
    assert "virus check" in refused.value.message
    assert upload(listed.student, listed.clearance).status == "submitted"  # a clean one passes
    settings.MAYDAN_UPLOAD_SCANNER = "tests.readiness_kit.broken_scanner"
    with pytest.raises(Invalid):
        upload(listed.student, listed.pledge)
    assert ReadinessDocument.objects.count() == 1 and len(stored_files(listed.root)) == 1


@pytest.mark.parametrize("dates, field", [
    (dict(issued_on=""), "issued_on"),
    (dict(issued_on="yesterday"), "issued_on"),
    (dict(issued_on=(TODAY + timedelta(days=2)).isoformat()), "issued_on"),
    (dict(issued_on=TODAY.isoformat(), expires_on=(TODAY - timedelta(days=1)).isoformat()), "expires_on"),
    (dict(issued_on=(TODAY - timedelta(days=400)).isoformat()), "issued_on"),  # past the 180 days already
])
def test_wrong_dates_are_refused_and_nothing_is_kept(listed, dates, field):
    with pytest.raises(Invalid) as refused:
        services.upload(listed.student, listed.clearance.pk, SimpleUploadedFile("c.pdf", pdf()), form(**dates))
    assert field in refused.value.field_errors
    assert not ReadinessDocument.objects.exists() and stored_files(listed.root) == []


@pytest.mark.parametrize("who", ["coordinator", "academic", "agency"])
def test_only_students_upload(listed, who):
    with pytest.raises(Forbidden):
        upload(getattr(listed, who), listed.clearance)
    assert stored_files(listed.root) == []


def test_a_document_off_the_list_or_of_another_program_cannot_be_uploaded(listed):
    with pytest.raises(NotFound):
        services.upload(listed.student, "999999", SimpleUploadedFile("c.pdf", pdf()),
                        form(issued_on=TODAY.isoformat()))
    services.save_requirement(listed.coordinator, form(requirement=listed.pledge.pk, title=listed.pledge.title,
                                                       retired="1"))
    with pytest.raises(NotFound):
        upload(listed.student, listed.pledge)
    elsewhere = people.enter(listed.issuer, "other-course", "s9", {roles.STUDENT})
    program.join_program(people.enter(listed.issuer, "other-course", "k9", {roles.COORDINATOR}), "msw")
    with pytest.raises(NotFound):
        upload(elsewhere, listed.clearance)


# --- review and readiness ---------------------------------------------------------------------------


def test_ready_to_start_only_when_every_required_document_is_approved_and_valid(listed):
    assert not ready_of(listed, listed.student).ready
    clearance = upload(listed.student, listed.clearance)
    pledge = upload(listed.student, listed.pledge)
    assert [s.state for s in ready_of(listed, listed.student).standings] == ["waiting", "waiting", "missing"]
    services.review(listed.coordinator, clearance.pk, True)
    assert not ready_of(listed, listed.student).ready
    services.review(listed.coordinator, pledge.pk, True)
    found = ready_of(listed, listed.student)
    assert found.ready and [s.state for s in found.standings] == ["valid", "valid", "missing"]  # insurance optional
    assert not ready_of(listed, listed.other_student).ready
    assert AuditEvent.objects.filter(action="readiness_approve").count() == 2


def test_an_expiring_document_is_flagged_and_an_expired_one_stops_the_start(listed):
    clearance = upload(listed.student, listed.clearance, issued=TODAY - timedelta(days=170))  # 10 days left
    services.review(listed.coordinator, clearance.pk, True)
    services.review(listed.coordinator, upload(listed.student, listed.pledge).pk, True)
    found = ready_of(listed, listed.student)
    assert found.ready and [s.requirement.title for s in found.flags] == ["Police clearance"]
    until = (TODAY + timedelta(days=10)).isoformat()
    _screen, html = draw(listed.student)
    assert 'data-flag="expiring"' in html and f"Your Police clearance stops being valid on {until}" in html
    _screen, html = draw(listed.student, "ar")
    assert f"تنتهي صلاحية Police clearance الخاص بك في {until}" in html
    later = services.readiness(program.program_for(listed.course), [listed.student.person],
                               TODAY + timedelta(days=11))[listed.student.person.pk]
    assert not later.ready and later.standings[0].state == "expired"


def test_a_renewal_replaces_the_approved_document_once_approved(listed):
    old = upload(listed.student, listed.clearance, issued=TODAY - timedelta(days=170))
    services.review(listed.coordinator, old.pk, True)
    new = upload(listed.student, listed.clearance, issued=TODAY)
    standing = ready_of(listed, listed.student).standings[0]
    assert (standing.state, standing.approved, standing.pending) == ("expiring", old, new)
    services.review(listed.coordinator, new.pk, True)
    old.refresh_from_db()
    assert old.replaced_at is not None and ready_of(listed, listed.student).standings[0].state == "valid"


@pytest.mark.parametrize("language, words", [("en", "Your Police clearance was returned"), ("ar", "أُعيد إليك")])
def test_a_returned_document_needs_a_comment_and_the_student_hears_of_it(listed, language, words):
    people.enter(listed.issuer, listed.context, "s1", {roles.STUDENT}, email="sara@example.edu")
    listed.course.language = language
    listed.course.save()
    document = upload(listed.student, listed.clearance)
    with pytest.raises(Invalid):
        services.review(listed.coordinator, document.pk, False, "")
    services.review(listed.coordinator, document.pk, False, "The stamp is not readable; scan it again.")
    document.refresh_from_db()
    assert document.status == "returned" and ready_of(listed, listed.student).standings[0].state == "returned"
    mail = Notification.objects.get(kind="document_returned")
    assert mail.address == "sara@example.edu" and words in mail.subject
    assert mail.content["items"][0]["quote"] == "The stamp is not readable; scan it again."
    with pytest.raises(Conflict):
        services.review(listed.coordinator, document.pk, True)


def test_a_comment_naming_a_client_is_refused(listed):
    document = upload(listed.student, listed.clearance)
    with pytest.raises(Invalid) as refused:
        services.review(listed.coordinator, document.pk, False, "Like Mona Ahmed Hassan's, call 0100 123 4567")
    assert "comment" in refused.value.field_errors
    document.refresh_from_db()
    assert document.status == "submitted" and not Notification.objects.exists()


@pytest.mark.parametrize("who", ["student", "academic", "agency"])
def test_only_the_coordinator_reviews(listed, who):
    document = upload(listed.student, listed.clearance)
    with pytest.raises(Forbidden):
        services.review(getattr(listed, who), document.pk, True)
    document.refresh_from_db()
    assert document.status == "submitted"


# --- who may read a file ------------------------------------------------------------------------------


@pytest.fixture
def handed_in(listed):
    listed.document = upload(listed.student, listed.clearance, image("JPEG"), "scan.jpg")
    # Another agency supervisor, of Omar only.
    listed.other_agency = listed.enter("m2", roles.AGENCY, "Agency supervisor Nadia")
    people.assign_agency_supervisor(listed.course, listed.other_agency.person, [listed.other_student.person])
    return listed


@pytest.mark.parametrize("who", ["student", "coordinator", "academic", "agency"])
def test_the_student_the_coordinator_and_the_placements_supervisors_read_the_file(handed_in, who):
    document, stream = services.open_document(getattr(handed_in, who), handed_in.document.pk)
    with stream:
        assert stream.read() == image("JPEG")
    assert AuditEvent.objects.filter(action="readiness_read", changes__document=document.pk).count() == 1


@pytest.mark.parametrize("who", ["other_student", "other_agency"])
def test_another_student_and_another_students_agency_supervisor_are_refused(handed_in, who):
    with pytest.raises(NotFound):
        services.open_document(getattr(handed_in, who), handed_in.document.pk)
    assert not AuditEvent.objects.filter(action="readiness_read").exists()


def test_a_coordinator_of_another_program_is_refused(handed_in):
    stranger = people.enter(handed_in.issuer, "other-course", "k9", {roles.COORDINATOR})
    program.join_program(stranger, "msw")
    with pytest.raises(NotFound):
        services.open_document(stranger, handed_in.document.pk)
    with pytest.raises(NotFound):
        services.open_document(handed_in.coordinator, "not-a-number")


def test_supervisors_follow_only_their_students(handed_in):
    def followed(actor):
        return [p.student.name for p, _found in services.students_in_view(actor)]

    assert followed(handed_in.coordinator) == followed(handed_in.academic) == ["Omar Nabil", "Sara Adel"]
    assert followed(handed_in.agency) == ["Sara Adel"] and followed(handed_in.other_agency) == ["Omar Nabil"]
    with pytest.raises(Forbidden):
        services.students_in_view(handed_in.student)
    with pytest.raises(NotFound):
        services.student_readiness(handed_in.other_agency, handed_in.student.person.pk)


# --- retention and reminders ------------------------------------------------------------------------


def test_documents_that_no_longer_count_are_deleted_after_the_programs_retention_audited(handed_in):
    listed = handed_in
    services.set_retention(listed.coordinator, "30")
    replaced = listed.document
    current = upload(listed.student, listed.clearance)  # the waiting one gives way at once
    returned = upload(listed.other_student, listed.pledge)
    services.review(listed.coordinator, returned.pk, False, "Unsigned.")
    kept_approved = upload(listed.other_student, listed.clearance)
    services.review(listed.coordinator, kept_approved.pk, True)
    assert len(stored_files(listed.root)) == 4
    assert upkeep.purge_expired(timezone.now() + timedelta(days=29)) == 0
    assert upkeep.purge_expired(timezone.now() + timedelta(days=31)) == 2
    assert set(ReadinessDocument.objects.values_list("pk", flat=True)) == {current.pk, kept_approved.pk}
    assert sorted(stored_files(listed.root)) == sorted([current.file, kept_approved.file])
    deleted = AuditEvent.objects.filter(action="readiness_delete", via="retention")
    assert {e.changes["document"] for e in deleted} == {replaced.pk, returned.pk}
    assert all(e.changes["retention_days"] == 30 and e.actor is None for e in deleted)
    # The clearances (valid 180 days from issue, 10 days ago) go 30 days after they expire, not before.
    assert upkeep.purge_expired(timezone.now() + timedelta(days=180 - 10 + 29)) == 0
    assert upkeep.purge_expired(timezone.now() + timedelta(days=180 - 10 + 32)) == 2
    assert stored_files(listed.root) == [] and not ReadinessDocument.objects.exists()


@pytest.mark.parametrize("value", ["0", "-3", "abc", "", "1e9"])
def test_retention_is_a_whole_number_of_days(listed, value):
    with pytest.raises(Invalid):
        services.set_retention(listed.coordinator, value)
    with pytest.raises(Forbidden):
        services.set_retention(listed.academic, "30")


def test_students_are_reminded_once_of_a_document_about_to_expire(listed):
    people.enter(listed.issuer, listed.context, "s1", {roles.STUDENT}, email="sara@example.edu")
    soon = upload(listed.student, listed.clearance, issued=TODAY - timedelta(days=170))
    services.review(listed.coordinator, soon.pk, True)
    services.review(listed.coordinator, upload(listed.student, listed.pledge).pk, True)  # never expires
    assert upkeep.remind_expiring(TODAY) == 1 and upkeep.remind_expiring(TODAY) == 0
    mail = Notification.objects.get(kind="document_expiring")
    assert mail.address == "sara@example.edu" and "Police clearance" in mail.subject
    out = __import__("io").StringIO()
    call_command("readiness_upkeep", stdout=out)
    assert "0 document(s) deleted, 0 reminder(s) written" in out.getvalue()


# --- screens ----------------------------------------------------------------------------------------


def draw(actor, language="en", **attrs):
    screen = Screen(actor=actor, language=language, activity="readiness", endpoint="/x")
    for key, value in attrs.items():
        setattr(screen, key, value)
    return screen, screens.render(screen)


@pytest.mark.parametrize("language, words", [("en", "Not ready to start yet"), ("ar", "ليس جاهزًا")])
def test_the_student_sees_each_document_and_whether_they_may_start(listed, language, words):
    upload(listed.student, listed.clearance)
    _screen, html = draw(listed.student, language)
    assert words in html and 'enctype="multipart/form-data"' in html and html.count("data-requirement=") == 3
    assert 'data-state="waiting"' in html and "readiness_file" in html


def test_the_coordinator_sees_flags_reviews_and_keeps_the_list_in_both_languages(listed):
    clearance = upload(listed.student, listed.clearance, issued=TODAY - timedelta(days=175))
    services.review(listed.coordinator, clearance.pk, True)
    waiting = upload(listed.student, listed.pledge)
    _screen, html = draw(listed.coordinator)
    assert 'data-flagged="1"' in html and f'data-waiting="{waiting.pk}"' in html and "Not ready" in html
    screen = Screen(actor=listed.coordinator, language="ar", activity="readiness", endpoint="/x")
    status, html = screens.handle(screen, form(action="approve", view="person", student=listed.student.person.pk,
                                               document=waiting.pk))
    assert status == 200 and 'dir="rtl"' not in html and "data-ready=" in html
    status, html = screens.handle(screen, form(action="view", view="requirements"))
    assert status == 200 and "Police clearance" in html and 'name="retention"' in html


def test_a_refused_upload_comes_back_with_its_reason_beside_the_field(listed):
    screen = Screen(actor=listed.student, language="ar", activity="readiness", endpoint="/x")
    screen.uploads = {"file": SimpleUploadedFile("clearance.pdf", HOSTILE["an executable renamed .pdf"][1])}
    status, html = screens.handle(screen, form(action="upload", requirement=listed.clearance.pk,
                                               issued_on=TODAY.isoformat()))
    assert status == 400 and 'aria-invalid="true"' in html and "PDF" in html
    assert not ReadinessDocument.objects.exists()


def test_supervisors_read_and_are_not_offered_the_review(handed_in):
    _screen, html = draw(handed_in.agency, view="person", student_id=str(handed_in.student.person.pk))
    assert "readiness_file" in html and 'value="approve"' not in html
    screen = Screen(actor=handed_in.agency, language="en", activity="readiness", endpoint="/x")
    status, _html = screens.handle(screen, form(action="approve", view="person", student=handed_in.student.person.pk,
                                                document=handed_in.document.pk))
    assert status == 403
    _screen, html = draw(handed_in.other_agency, view="person", student_id=str(handed_in.student.person.pk))
    assert "not yours to see" in html


def test_the_coordinator_follows_every_course_of_the_program_and_no_other(listed):
    """A second course of the same platform is in the "main" program too, until it joins another one."""
    second = people.enter(listed.issuer, "field-training-2", "s7", {roles.STUDENT}, name="Mai Hosny")
    Placement.objects.get_or_create(course=second.course, student=second.person)
    names = lambda: [p.student.name for p, _found in services.students_in_view(listed.coordinator)]  # noqa: E731
    assert names() == ["Mai Hosny", "Omar Nabil", "Sara Adel"]
    program.join_program(people.enter(listed.issuer, "field-training-2", "k2", {roles.COORDINATOR}), "msw")
    assert names() == ["Omar Nabil", "Sara Adel"]
