"""Documents: the hours certificate and the learning agreement as PDFs (read back with pypdf), electronic
signatures bound to content, verification codes, and who may read and sign."""
import io
from datetime import date, timedelta

import pytest
from django.test import Client
from pypdf import PdfReader

from maydan import courses, fieldlog, roles
from maydan.fieldlog import links
from maydan.documents import content, render, screens, services
from maydan.documents.models import IssuedDocument, Signature
from maydan.errors import Conflict, Forbidden, Invalid, NotFound
from maydan.grading import agreements
from maydan.models import AuditEvent, Placement
from tests.conftest import entry_form, form


def _text(pdf):
    assert pdf.startswith(b"%PDF")
    """The PDF's text, its line breaks (a table cell wraps) read as spaces."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _log(cohort, days_ago, start, end, **extra):
    day = (date.today() - timedelta(days=days_ago)).isoformat()
    entry = fieldlog.save_entry(cohort.student, entry_form(date=day, start_time=start, end_time=end, **extra),
                                submit=True)
    return entry


@pytest.fixture
def placed(cohort):
    """Sara's placement: 2.5 h home visit (competency 6), 1.5 h indirect supervision (competencies 1 and 6),
    both approved by the agency, one countersigned; a third entry still waiting does not count."""
    cohort.course.school_name = "Helwan University — Faculty of Social Work"
    cohort.course.save()
    first = _log(cohort, 8, "09:00", "11:30", competencies=["6"])
    second = _log(cohort, 7, "12:00", "13:30", activity_type="supervision", time_kind="indirect",
                  competencies=["1", "6"])
    _log(cohort, 6, "09:00", "10:00")
    fieldlog.approve_entry(cohort.agency, first.pk)
    fieldlog.approve_entry(cohort.agency, second.pk)
    fieldlog.countersign_entry(cohort.academic, first.pk)
    placement = Placement.objects.get(course=cohort.course, student=cohort.student.person)
    placement.agency, placement.starts_on, placement.ends_on = "Hope Family Centre", date(2026, 2, 1), date(2026, 6, 30)
    placement.academic_supervisor = cohort.academic.person
    placement.save()
    return placement


def test_the_certificate_counts_approved_hours_by_kind_activity_and_competency(cohort, placed):
    data = content.certificate(placed)
    assert data["approved_minutes"] == 240 and data["entries"] == 2 and data["countersigned_entries"] == 1
    assert dict(data["by_time_kind"]) == {"direct": 150, "indirect": 90}
    assert dict(data["by_activity_type"]) == {"home_visit": 150, "supervision": 90}
    assert dict(data["by_competency"]) == {"1": 90, "6": 240}
    assert set(data["sign_offs"]) == {"approve", "countersign"}


def test_the_english_pdf_carries_names_hours_school_and_code(cohort, placed):
    document = services.issue(cohort.academic, services.document_for(cohort.academic, "certificate", placed.pk))
    text = _text(render.pdf(document, "en"))
    for expected in ("Field training hours certificate", "Helwan University", "Sara Adel", "Hope Family Centre",
                     "Dr. Hoda Samir", "Agency supervisor Rami", "4 approved hours of a target of 400 hours",
                     "Home visit", "2.5", "1.5", "Engage with individuals", "2026-02-01", "2026-06-30",
                     document.code, f"/maydan/verify/{document.code}", document.content_hash):
        assert expected in text, expected


def test_the_arabic_pdf_extracts_shaped_text_in_logical_order(cohort, placed):
    cohort.course.digits = "latn"
    cohort.course.save()
    document = services.issue(cohort.student, services.document_for(cohort.student, "certificate"))
    text = _text(render.pdf(document, "ar"))
    for expected in ("شهادة ساعات التدريب الميداني", "الساعات المعتمدة", "الزيارة المنزلية", "المشرف الأكاديمي",
                     "Sara Adel", "Helwan University", document.code):
        assert expected in text, expected


def test_arabic_indic_digits_when_the_course_asks_for_them(cohort, placed):
    cohort.course.digits = "arab"
    cohort.course.save()
    document = services.document_for(cohort.student, "certificate")
    page = render.html(document, "ar")
    assert "٢٫٥" in page and "٤٠٠" in page and "2.5" not in page
    # pypdf reads runs of Arabic-block characters right to left, digits too: ٤٠٠ comes back as ٠٠٤.
    assert "٠٠٤" in _text(render.pdf(document, "ar"))
    assert "2.5" in render.html(document, "en")


def test_one_content_one_hash_in_both_languages_and_one_code(cohort, placed):
    first = services.issue(cohort.academic, services.document_for(cohort.academic, "certificate", placed.pk))
    again = services.issue(cohort.student, services.document_for(cohort.student, "certificate"))
    assert first.code == again.code and first.content_hash == again.content_hash
    assert len(first.content_hash) == 64
    assert IssuedDocument.objects.count() == 1
    assert AuditEvent.objects.filter(action="document_issue").count() == 1


def _sign(actor, placement, name="Sara Adel", kind="certificate", agreed=True, **extra):
    return services.sign(actor, kind, placement.pk, typed_name=name, agreed=agreed, **extra)


def test_the_placements_people_sign_and_the_pdf_shows_their_signatures(cohort, placed):
    _sign(cohort.student, placed)
    _sign(cohort.agency, placed, name="Rami Fathy")
    document = _sign(cohort.academic, placed, name="Hoda Samir")
    assert [s.role for s in document.signatures] == [roles.STUDENT, roles.AGENCY, roles.ACADEMIC]
    english = _text(render.pdf(services.issue(cohort.academic, document), "en"))
    assert "Signed by Sara Adel (Student)" in english and "Signed by Rami Fathy (Agency supervisor)" in english
    arabic = _text(render.pdf(services.issue(cohort.academic, document), "ar"))
    assert "Hoda Samir" in arabic and "المشرف الأكاديمي" in arabic
    rows = AuditEvent.objects.filter(action="document_sign")
    assert rows.count() == 3 and all(len(row.changes["sha256"]) == 64 for row in rows)


def test_an_agency_supervisor_signs_through_their_link(cohort, placed):
    _link, token = links.issue(cohort.academic, placed.pk, days=7)
    link_actor = links.open_link(token)
    document = _sign(link_actor, placed, name="Rami Fathy")
    assert document.signatures[0].role == roles.AGENCY and document.signatures[0].via.startswith("agency link")


def test_signing_needs_a_name_and_the_ticked_statement_and_writes_nothing_otherwise(cohort, placed):
    with pytest.raises(Invalid) as refused:
        _sign(cohort.student, placed, name="   ", agreed=False)
    assert set(refused.value.field_errors) == {"typed_name", "agreed"}
    with pytest.raises(Invalid):
        _sign(cohort.student, placed, name="x" * 256)
    assert not Signature.objects.exists() and not AuditEvent.objects.filter(action="document_sign").exists()


def test_signing_twice_or_a_document_changed_since_it_was_read_is_refused(cohort, placed):
    read = services.document_for(cohort.student, "certificate")
    _sign(cohort.student, placed)
    with pytest.raises(Conflict):
        _sign(cohort.student, placed)
    _log(cohort, 3, "14:00", "15:00")
    fieldlog.approve_entry(cohort.agency, fieldlog.entries(cohort.agency, placed, status="submitted")[0].pk)
    with pytest.raises(Conflict):
        _sign(cohort.agency, placed, name="Rami", content_hash=read.content_hash)


@pytest.mark.parametrize("who", ["other_student", "coordinator", "other_agency", "author", "other_academic"])
def test_only_the_people_of_the_placement_sign(cohort, placed, who):
    if who == "other_agency":
        actor = cohort.enter("m2", roles.AGENCY, "Another agency supervisor")
    elif who == "author":
        actor = cohort.enter("au", roles.AUTHOR, "Author")
    elif who == "other_academic":
        actor = cohort.enter("a2", roles.ACADEMIC, "Dr. Other")  # the placement names Dr. Hoda
    else:
        actor = getattr(cohort, who)
    with pytest.raises((Forbidden, NotFound)):
        _sign(actor, placed)
    assert not Signature.objects.exists()


@pytest.mark.parametrize("who", ["other_student", "other_agency", "author"])
def test_others_cannot_read_the_placements_documents(cohort, placed, who):
    actor = {"other_student": lambda: cohort.other_student,
             "other_agency": lambda: cohort.enter("m2", roles.AGENCY, "Another agency supervisor"),
             "author": lambda: cohort.enter("au", roles.AUTHOR, "Author")}[who]()
    with pytest.raises(NotFound):
        services.document_for(actor, "certificate", placed.pk)


def test_a_changed_document_loses_its_signatures(cohort, placed):
    signed = _sign(cohort.student, placed)
    assert signed.signatures
    extra = _log(cohort, 2, "16:00", "17:00")
    fieldlog.approve_entry(cohort.agency, extra.pk)
    changed = services.document_for(cohort.student, "certificate")
    assert changed.content_hash != signed.content_hash and changed.signatures == []
    assert "Not signed yet." in render.html(changed, "en")
    assert Signature.objects.count() == 1  # kept on record, bound to the old content


def test_the_agreement_document_and_its_signatures_follow_its_goals(cohort, placed):
    competency = agreements.competencies()[0].id
    agreements.save(cohort.student, {f"goals_{competency}": "Practise confidentiality with clients",
                                     f"activities_{competency}": "Two supervised intake interviews"})
    document = _sign(cohort.student, placed, kind="agreement")
    text = _text(render.pdf(services.issue(cohort.student, document), "en"))
    assert "Learning agreement" in text and "Practise confidentiality" in text and "intake interviews" in text
    assert "Signed by Sara Adel" in text
    agreements.save(cohort.student, {f"goals_{competency}": "Practise confidentiality and consent"})
    assert services.document_for(cohort.student, "agreement").signatures == []


def test_the_verification_page_says_unchanged_changed_or_unknown(cohort, placed, client=None):
    client = Client()
    _sign(cohort.student, placed)
    document = services.issue(cohort.student, services.document_for(cohort.student, "certificate"))
    answer = client.get(f"/maydan/verify/{document.code}?lang=en")
    page = answer.content.decode()
    assert answer.status_code == 200 and 'data-verified="unchanged"' in page
    assert "Sara Adel" in page and document.content_hash in page and "Signed by Sara Adel (Student)" in page
    # nothing else of the record: no agency, no hours, no supervisor
    assert "Hope Family Centre" not in page and "Hoda" not in page and "2.5" not in page
    spaced = client.get(f"/maydan/verify/{document.code[:4]}-{document.code[4:].lower()}?lang=ar")
    assert spaced.status_code == 200 and "التحقق" in spaced.content.decode()

    extra = _log(cohort, 2, "16:00", "17:00")
    fieldlog.approve_entry(cohort.agency, extra.pk)
    changed = client.get(f"/maydan/verify/{document.code}?lang=en").content.decode()
    assert 'data-verified="changed"' in changed and 'data-verified="unchanged"' not in changed

    tampered = document.code[:-1] + ("A" if document.code[-1] != "A" else "B")
    for code in (tampered, "nothing", "x" * 200):
        unknown = client.get(f"/maydan/verify/{code}?lang=en")
        assert unknown.status_code == 404 and "No document has this verification code." in unknown.content.decode()
    assert client.post(f"/maydan/verify/{document.code}").status_code == 405


def test_the_school_name_is_a_course_setting(cohort):
    courses.configure_from(cohort.academic, {"school_name": "  Cairo University  "})
    cohort.course.refresh_from_db()
    assert cohort.course.school_name == "Cairo University"
    assert AuditEvent.objects.filter(action="course_settings", changes__has_key="school_name").exists()
    with pytest.raises(Invalid) as refused:
        courses.configure_from(cohort.academic, {"school_name": "x" * 256})
    assert "school_name" in refused.value.field_errors


def test_an_unknown_document_kind_is_refused(cohort, placed):
    with pytest.raises(NotFound):
        services.document_for(cohort.academic, "diploma", placed.pk)
    for kind in ("recording-", "recording-x1", "recording-" + "9" * 30, "recording-01", "recording-١", "evaluation-"):
        with pytest.raises(NotFound):
            services.document_for(cohort.academic, kind, placed.pk)


def test_a_released_evaluation_as_a_document_with_both_voices(cohort, placed):
    from tests.unit.test_grading_evaluations import answers, both_submit
    from maydan.grading import services as grading

    assert not services.document_for(cohort.student, "evaluation-midterm").data["released_at"]
    assert "has not been released yet" in render.html(services.document_for(cohort.student, "evaluation-midterm"), "en")
    both_submit(cohort, placed, agency=answers(4, comment_overall="Warm with families."))
    grading.release(cohort.academic, placed.pk, "midterm")
    document = services.issue(cohort.student, services.document_for(cohort.student, "evaluation-midterm"))
    english = _text(render.pdf(document, "en"))
    form = grading.form_of("midterm")
    assert form.title["en"] in english and "Sara Adel" in english and "Warm with families." in english
    assert "Needs work." in english and "60%" in english  # agency 4, academic 2: mean 3 of 5
    arabic = _text(render.pdf(document, "ar"))
    assert form.title["ar"] in arabic and "المشرف المؤسسي" in arabic
    assert any(d["kind"] == "evaluation-midterm" for d in screens.beside_log(cohort.student, placed)["documents"])
    with pytest.raises(NotFound):
        services.document_for(cohort.student, "evaluation-no-such-form")
