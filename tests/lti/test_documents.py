"""Documents through the LTI tool: the certificate as PDF and print view, signing, and who is refused,
with real launches from the sandbox platform; the signed context is the only credential."""
import io

from django.test import Client
from pypdf import PdfReader

from maydan.documents.models import Signature
from maydan.models import LogEntry

from .flow import ctx_of, launch
from .test_app import ENTRY, app, student_ctx


def _approved_placement():
    student = student_ctx("student_1")
    assert app(student, **ENTRY, submit="1").status_code == 200
    entry = LogEntry.objects.get()
    mentor = ctx_of(launch(Client(), person="mentor", lang="en"))
    assert app(mentor, action="approve", entry=entry.pk, placement=entry.placement_id).status_code == 200
    return student, mentor, entry.placement_id


def _pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())


def test_the_student_their_mentor_and_the_instructor_get_the_certificate(sandbox):
    student, mentor, placement = _approved_placement()
    instructor = ctx_of(launch(Client(), person="instructor", lang="en"))
    for ctx in (student, mentor, instructor):
        answer = app(ctx, action="document", document="certificate", placement=placement, language="en",
                     format="pdf")
        assert answer.status_code == 200, answer.content[:500]
        assert answer["Content-Disposition"] == f'attachment; filename="certificate-{placement}-en.pdf"'
        text = _pdf_text(answer)
        assert "Sara Adel" in text and "2 approved hours of a target of 400 hours" in text and "Rami Fawzy" in text
    arabic = app(student, action="document", document="certificate", placement=placement, language="ar")
    assert "شهادة ساعات التدريب الميداني" in _pdf_text(arabic)
    view = app(student, action="document", document="certificate", placement=placement, language="ar", format="html")
    page = view.content.decode()
    assert view["Content-Disposition"].startswith("inline") and 'dir="rtl"' in page and "@media print" in page


def test_another_student_and_another_course_are_refused(sandbox):
    _student, _mentor, placement = _approved_placement()
    other = student_ctx("student_2")
    answer = app(other, action="document", document="certificate", placement=placement, format="pdf")
    assert answer.status_code == 404 and "Content-Disposition" not in answer
    elsewhere = ctx_of(launch(Client(), person="instructor", course="field-training-2", lang="en"))
    assert app(elsewhere, action="document", document="certificate", placement=placement).status_code == 404
    assert app(None, action="document", document="certificate", placement=placement).status_code in (400, 401, 403)


def test_the_screen_offers_the_documents_and_its_people_sign(sandbox):
    student, mentor, placement = _approved_placement()
    log = app(student, action="view").content.decode()
    # The log offers the documents, which have a screen of their own (each is read to check its signatures).
    assert 'name="view" value="documents"' in log and 'name="typed_name"' not in log
    screen = app(student, action="view", view="documents").content.decode()
    assert 'value="document"' in screen and 'name="typed_name"' in screen and "Back to the field log" in screen
    supervisor = app(mentor, action="view", view="documents", placement=placement).content.decode()
    assert "Documents of Sara Adel" in supervisor and 'name="typed_name"' in supervisor
    assert app(student_ctx("student_2"), action="view", view="documents",
               placement=placement).content.decode().count("Documents of Sara Adel") == 0
    signed = app(student, action="sign_document", document="certificate", placement=placement,
                 typed_name="Sara Adel", agreed="1")
    assert signed.status_code == 200 and "Signed by Sara Adel" in signed.content.decode()
    unticked = app(mentor, action="sign_document", document="certificate", placement=placement,
                   typed_name="Rami Fawzy")
    assert unticked.status_code == 400 and Signature.objects.count() == 1
    outsider = app(student_ctx("student_2"), action="sign_document", document="certificate",
                   placement=placement, typed_name="Omar", agreed="1")
    assert outsider.status_code == 404 and Signature.objects.count() == 1
    text = _pdf_text(app(mentor, action="document", document="certificate", placement=placement, language="en"))
    assert "Signed by Sara Adel (Student)" in text


def _recording(placement_id):
    from datetime import date

    from maydan.grading.models import ProcessRecording

    return ProcessRecording.objects.create(
        placement_id=placement_id, date=date(2026, 3, 2), client_code="C-044", status=ProcessRecording.SUBMITTED,
        purpose="Intake with the family.", rows=[{"worker": "How can I help?", "client": "We need support.",
                                                  "thoughts": "", "skill": "Open question",
                                                  "comment": "A warm start."}])


def test_the_portfolio_for_the_student_their_mentor_and_the_instructor_and_no_one_else(sandbox):
    student, mentor, placement = _approved_placement()
    recording = _recording(placement)
    instructor = ctx_of(launch(Client(), person="instructor", lang="en"))
    screen = app(student, action="view", view="documents").content.decode()
    assert 'data-document="portfolio"' in screen and f'data-document="recording-{recording.pk}"' in screen
    for ctx in (student, mentor, instructor):
        answer = app(ctx, action="document", document="portfolio", placement=placement, language="en")
        assert answer.status_code == 200, answer.content[:300]
        assert answer["Content-Disposition"] == f'attachment; filename="portfolio-{placement}-en.pdf"'
        text = _pdf_text(answer)
        for expected in ("Field portfolio", "Field training hours certificate", "Learning agreement",
                         "Process recording", "C-044", "A warm start.", "Sara Adel"):
            assert expected in text, expected
    single = app(mentor, action="document", document=f"recording-{recording.pk}", placement=placement, language="ar")
    assert "تسجيل العملية" in _pdf_text(single) and "A warm start." in _pdf_text(single)
    for outsider in (student_ctx("student_2"),
                     ctx_of(launch(Client(), person="instructor", course="field-training-2", lang="en"))):
        for kind in ("portfolio", f"recording-{recording.pk}"):
            refused = app(outsider, action="document", document=kind, placement=placement)
            assert refused.status_code == 404 and refused["Content-Type"] != "application/pdf"


def test_the_logo_uploaded_in_the_settings_heads_the_documents(sandbox, settings, tmp_path):
    import io as _io

    from PIL import Image

    from .test_course_settings import GOOD

    settings.MEDIA_ROOT = tmp_path
    student, _mentor, placement = _approved_placement()
    client = Client()
    instructor = ctx_of(launch(client, person="instructor", lang="en"))
    settings_page = client.post("/lti/settings", {"ctx": instructor, "lang": "en"}).content.decode()
    assert 'enctype="multipart/form-data"' in settings_page and 'name="logo"' in settings_page
    picture = _io.BytesIO()
    Image.new("RGB", (400, 160), "navy").save(picture, format="JPEG")
    picture.seek(0)
    picture.name = "crest.jpg"
    saved = client.post("/lti/settings", {"ctx": instructor, "lang": "en", "save": "1", **GOOD, "logo": picture})
    assert saved.status_code == 200 and "data:image/png;base64," in saved.content.decode()
    view = app(student, action="document", document="certificate", placement=placement, language="en", format="html")
    assert 'class="logo" src="data:image/png;base64,' in view.content.decode()
    pdf = app(student, action="document", document="certificate", placement=placement, language="en")
    assert len(PdfReader(io.BytesIO(pdf.content)).pages[0].images) == 1
    fake = io.BytesIO(b"<?php echo 1; ?>")
    fake.name = "crest.png"
    refused = client.post("/lti/settings", {"ctx": instructor, "lang": "en", "save": "1", **GOOD, "logo": fake})
    assert refused.status_code == 400 and "The file is not an image" in refused.content.decode()
    assert "data:image/png;base64," in refused.content.decode()  # the logo kept is still the one shown
