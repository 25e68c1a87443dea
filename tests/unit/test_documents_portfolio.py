"""A process recording as a document, and a student's field portfolio (every document in one PDF): what they
hold, in both languages; who may download them and who is refused; the portfolio's parts verify on their own."""
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from maydan import roles
from maydan.fieldlog import links
from maydan.documents import content, render, screens, services
from maydan.documents.models import IssuedDocument
from maydan.errors import Forbidden, Invalid, NotFound
from maydan.grading import agreements, recordings, services as grading
from maydan.grading.models import ProcessRecording
from tests.conftest import form
from tests.unit.test_documents import _text, placed  # noqa: F401 (fixture)
from tests.unit.test_grading_evaluations import answers
from tests.unit.test_grading_recordings import recording_form


def _recording(cohort, days_ago=2, **changes):
    written = recordings.save(cohort.student, recording_form(
        date=(timezone.localdate() - timedelta(days=days_ago)).isoformat(), **changes), submit=True)
    recordings.comment(cohort.agency, written.pk, form(comment_0="Good opening; slow down before reassuring."))
    recordings.comment(cohort.academic, written.pk, form(comment_1="Feeling reflected well."))
    return written


def _release(cohort, placement, form_id):
    grading.save_sheet(cohort.agency, placement.pk, form_id, answers(4, comment_overall="Warm with families."),
                       submit=True)
    grading.save_sheet(cohort.academic, placement.pk, form_id, answers(3), submit=True)
    grading.release(cohort.academic, placement.pk, form_id)


@pytest.fixture
def record(cohort, placed):
    """Sara's whole record: hours, an agreement, both evaluations released, two recordings and a draft."""
    competency = agreements.competencies()[0].id
    agreements.save(cohort.student, {f"goals_{competency}": "Practise confidentiality with clients",
                                     f"activities_{competency}": "Two supervised intake interviews"})
    _release(cohort, placed, "midterm")
    _release(cohort, placed, "final")
    first = _recording(cohort, days_ago=5)
    second = _recording(cohort, days_ago=3, client_code="C-207", purpose="Home visit with the grandmother.")
    draft = recordings.save(cohort.student, recording_form(client_code="C-999", purpose="Not yet submitted."))
    return {"first": first, "second": second, "draft": draft}


def test_a_process_recording_as_a_pdf_with_its_rows_and_comments(cohort, placed, record):
    kind = f"recording-{record['first'].pk}"
    document = services.issue(cohort.academic, services.document_for(cohort.academic, kind, placed.pk))
    english = _text(render.pdf(document, "en"))
    for expected in ("Process recording", "Sara Adel", "C-031", "First interview with the mother.",
                     "Good morning, what brings you here today?", "My son stopped going to school.",
                     "Open question", "Reflection of feeling", "Good opening; slow down before reassuring.",
                     "Feeling reflected well.", "Supervisor's comment", document.code):
        assert expected in english, expected
    arabic = _text(render.pdf(document, "ar"))
    assert "تسجيل العملية" in arabic and "تعليق المشرف" in arabic
    # English rows in an Arabic document keep their own direction: the full stop ends the sentence.
    assert "Feeling reflected well." in arabic and "what brings you here today?" in arabic


def test_a_draft_or_anothers_recording_is_no_document(cohort, placed, record):
    for actor in (cohort.student, cohort.academic):
        with pytest.raises(NotFound):
            services.document_for(actor, f"recording-{record['draft'].pk}", placed.pk)
    other = recordings.save(cohort.other_student, recording_form(client_code="C-500"), submit=True)
    with pytest.raises(NotFound):  # Omar's recording, asked for through Sara's placement
        services.document_for(cohort.academic, f"recording-{other.pk}", placed.pk)
    with pytest.raises(NotFound):
        services.document_for(cohort.other_student, f"recording-{record['first'].pk}", placed.pk)


def test_the_portfolio_holds_every_document_in_order_in_one_pdf(cohort, placed, record):
    document = services.issue(cohort.student, services.document_for(cohort.student, "portfolio"))
    kinds = [part.kind for part in document.parts]
    assert kinds == ["certificate", "agreement", "evaluation-midterm", "evaluation-final",
                     f"recording-{record['first'].pk}", f"recording-{record['second'].pk}"]
    pdf = render.pdf(document, "en")
    reader = PdfReader(__import__("io").BytesIO(pdf))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    text = " ".join(pages)
    midterm, final = grading.form_of("midterm").title["en"], grading.form_of("final").title["en"]
    order = ["Field portfolio", "Field training hours certificate", "Learning agreement", midterm, final,
             "C-031", "C-207"]
    positions = [text.index(expected, text.index("Contents") + 1 if i else 0) for i, expected in enumerate(order)]
    assert positions[1:] == sorted(positions[1:]), order
    for expected in ("Practise confidentiality", "Warm with families.", "Home visit with the grandmother."):
        assert expected in text, expected
    assert "Not yet submitted." not in text and "C-999" not in text  # the draft stays the student's
    # Each document starts on a page of its own, and its code is on the cover and on its own page.
    assert len(pages) >= 7
    for part in document.parts:
        assert part.code and text.count(part.code) >= 2, part.kind
    assert document.code in pages[0]
    # Every document was issued with the portfolio: each code verifies the page it is printed on.
    assert IssuedDocument.objects.count() == len(document.parts) + 1


def test_the_arabic_portfolio_is_shaped_in_logical_order_with_the_courses_digits(cohort, placed, record):
    cohort.course.digits = "arab"
    cohort.course.save()
    document = services.issue(cohort.coordinator, services.document_for(cohort.coordinator, "portfolio", placed.pk))
    page = render.html(document, "ar", for_print_view=True)
    assert 'dir="rtl"' in page and "٢٫٥" in page and page.count("<article") == 7
    text = _text(render.pdf(document, "ar"))
    for expected in ("ملف التدريب الميداني", "شهادة ساعات التدريب الميداني", "اتفاق التعلم", "تسجيل العملية",
                     grading.form_of("final").title["ar"], "Sara Adel", document.code):
        assert expected in text, expected
    assert "٠٠٤" in text  # the 400-hour target in Arabic-Indic digits (pypdf reads a digit run right to left)


@pytest.mark.parametrize("who", ["student", "agency", "agency_link", "academic", "coordinator"])
def test_the_student_their_supervisors_and_the_coordinator_download_the_portfolio(cohort, placed, record, who):
    actor = links.open_link(links.issue(cohort.academic, placed.pk, days=7)[1]) if who == "agency_link" \
        else getattr(cohort, who)
    document = services.document_for(actor, "portfolio", None if who == "student" else placed.pk)
    assert len(document.parts) == 6
    assert screens.beside_log(actor, placed)["portfolio"] is True


@pytest.mark.parametrize("who", ["other_student", "other_agency", "author", "other_academic"])
def test_anyone_else_is_refused_the_portfolio_and_nothing_is_issued(cohort, placed, record, who):
    actor = {"other_student": lambda: cohort.other_student,
             "other_agency": lambda: cohort.enter("m2", roles.AGENCY, "Another agency supervisor"),
             "author": lambda: cohort.enter("au", roles.AUTHOR, "Author"),
             "other_academic": lambda: cohort.enter("a2", roles.ACADEMIC, "Dr. Other")}[who]()
    with pytest.raises((NotFound, Forbidden)):
        services.document_for(actor, "portfolio", placed.pk)
    assert not IssuedDocument.objects.exists()
    if who == "other_academic":  # a course supervisor still sees the placement, but not the whole record
        assert screens.beside_log(actor, placed)["portfolio"] is False


def test_the_portfolio_is_signed_in_its_parts_not_as_a_whole(cohort, placed, record):
    with pytest.raises(Invalid):
        services.sign(cohort.student, "portfolio", placed.pk, typed_name="Sara Adel", agreed=True)
    services.sign(cohort.student, f"recording-{record['first'].pk}", placed.pk, typed_name="Sara Adel", agreed=True)
    document = services.document_for(cohort.student, "portfolio")
    assert [s.role for s in document.parts[4].signatures] == [roles.STUDENT]
    assert "Signed by Sara Adel (Student)" in _text(render.pdf(services.issue(cohort.student, document), "en"))


def test_a_new_comment_changes_the_recording_and_the_portfolio_and_verification_says_so(cohort, placed, record):
    client = Client()
    document = services.issue(cohort.student, services.document_for(cohort.student, "portfolio"))
    recording_code = document.parts[4].code
    for code in (document.code, recording_code):
        assert 'data-verified="unchanged"' in client.get(f"/maydan/verify/{code}?lang=en").content.decode()
    recordings.comment(cohort.academic, record["first"].pk, form(comment_0="Now also: name the feeling."))
    for code in (document.code, recording_code):
        assert 'data-verified="changed"' in client.get(f"/maydan/verify/{code}?lang=en").content.decode()
    assert services.document_for(cohort.student, "portfolio").content_hash != document.content_hash


def test_a_recording_past_its_retention_leaves_the_portfolio_and_its_code_reads_changed(cohort, placed, record):
    document = services.issue(cohort.student, services.document_for(cohort.student, "portfolio"))
    recording_code = document.parts[4].code
    ProcessRecording.objects.filter(pk=record["first"].pk).update(created_at=timezone.now() - timedelta(days=3650))
    later = services.document_for(cohort.student, "portfolio")
    assert f"recording-{record['first'].pk}" not in [part.kind for part in later.parts]
    assert not ProcessRecording.objects.filter(pk=record["first"].pk).exists()
    page = Client().get(f"/maydan/verify/{recording_code}?lang=en")
    assert page.status_code == 200 and 'data-verified="changed"' in page.content.decode()


def test_the_field_log_offers_each_recording_and_the_portfolio(cohort, placed, record):
    shown = screens.beside_log(cohort.student, placed)
    kinds = [doc["kind"] for doc in shown["documents"]]
    assert f"recording-{record['second'].pk}" in kinds and f"recording-{record['draft'].pk}" not in kinds
    assert content.PORTFOLIO not in kinds and shown["portfolio"] is True
