"""The field log block's handler serves the placement's documents (PDF and print view) and their signing,
on XBlock's TestRuntime as the LMS runs it for each person."""
import io

from pypdf import PdfReader

from maydan.documents.models import Signature
from maydan.models import Placement

from .test_fieldlog_block import STUDENT, hoda, rami, sara, submitted_entry  # noqa: F401 (fixtures)
from .xbtools import Person, lms_user


def _text(response):
    assert response.status_code == 200, response.body[:300]
    assert response.content_type == "application/pdf"
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body)).pages).split())


def _approved(sara, rami):
    entry = submitted_entry(sara)
    placement = Placement.objects.get().pk
    assert rami.act(action="approve", entry=entry, placement=placement).status_code == 200
    return placement


def test_student_agency_and_staff_get_the_certificate_from_the_block(sara, rami, hoda):
    placement = _approved(sara, rami)
    for person, language, expected in ((sara, "ar", "شهادة ساعات التدريب الميداني"),
                                       (rami, "en", "Field training hours certificate"),
                                       (hoda, "en", "Rami Fathy")):
        answer = person.act(action="document", document="certificate", placement=placement, language=language)
        assert expected in _text(answer) and "Sara Adel" in _text(answer)
    view = sara.act(action="document", document="certificate", placement=placement, format="html", language="en")
    assert view.content_disposition.startswith("inline") and "Field training hours certificate" in view.text


def test_another_student_and_another_agency_supervisor_are_refused(lms, sara, rami):
    placement = _approved(sara, rami)
    omar = Person(lms, lms_user("anon-omar", name="Omar Nabil", lang="en"))
    stranger = Person(lms, lms_user("anon-agency-other", role="maydan:agency_supervisor", name="Other", lang="en"))
    for person in (omar, stranger):
        answer = person.act(action="document", document="certificate", placement=placement)
        assert answer.status_code == 404 and answer.content_type != "application/pdf"
        signed = person.act(action="sign_document", document="certificate", placement=placement,
                            typed_name="Someone", agreed="1")
        assert signed.status_code in (403, 404)
    assert not Signature.objects.exists()


def test_the_agency_supervisor_signs_in_the_block(sara, rami):
    placement = _approved(sara, rami)
    answer = rami.act(action="sign_document", document="certificate", placement=placement, typed_name="Rami Fathy",
                      agreed="1")
    assert answer.status_code == 200 and "Signed by Rami Fathy" in answer.text
    assert "Signed by Rami Fathy (Agency supervisor)" in _text(
        sara.act(action="document", document="certificate", placement=placement, language="en"))


def test_the_block_serves_the_portfolio_to_the_placements_people_only(lms, sara, rami, hoda):
    from datetime import date

    from maydan.grading.models import ProcessRecording

    placement = _approved(sara, rami)
    ProcessRecording.objects.create(placement_id=placement, date=date(2026, 3, 2), client_code="C-061",
                                    status=ProcessRecording.SUBMITTED, rows=[{"worker": "How are you today?",
                                                                             "client": "Tired.", "comment": "Good."}])
    for person, language, expected in ((sara, "ar", "ملف التدريب الميداني"), (rami, "en", "Field portfolio"),
                                       (hoda, "en", "Process recording")):
        text = _text(person.act(action="document", document="portfolio", placement=placement, language=language))
        assert expected in text and "C-061" in text and "Sara Adel" in text
    omar = Person(lms, lms_user("anon-omar", name="Omar Nabil", lang="en"))
    stranger = Person(lms, lms_user("anon-agency-other", role="maydan:agency_supervisor", name="Other", lang="en"))
    for person in (omar, stranger):
        answer = person.act(action="document", document="portfolio", placement=placement)
        assert answer.status_code == 404 and answer.content_type != "application/pdf"
    signed = sara.act(action="sign_document", document="portfolio", placement=placement, typed_name="Sara Adel",
                      agreed="1")
    assert signed.status_code == 400 and not Signature.objects.exists()
