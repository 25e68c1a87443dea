"""Readiness documents through real LTI launches: the coordinator's list, a student's upload, the review, and
who may download a file (the student, the coordinator, the placement's supervisors; nobody else, nor anyone
without a launch)."""
import re
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lti_tool.sandbox.models import SandboxLink
from maydan.models import AuditEvent
from maydan.readiness.models import ReadinessDocument
from tests.readiness_kit import EXECUTABLE, document_storage, image, pdf, stored_files  # noqa: F401 (fixture)

from .flow import ctx_of, launch, place

ISSUED = (date.today() - timedelta(days=5)).isoformat()


def act(client, response, **values):
    return client.post("/lti/app/", {"ctx": ctx_of(response), **values})


def hand_in(client, page, requirement, data, name):
    return act(client, page, action="upload", view="mine", requirement=requirement, issued_on=ISSUED,
               file=SimpleUploadedFile(name, data))


def download(client, page, document):
    return act(client, page, action="readiness_file", document=document)


def test_the_term_of_a_document_from_list_to_download(sandbox, document_storage):
    client = Client()
    place(client, "readiness")
    link = SandboxLink.objects.get()
    assert (link.title, link.custom, link.score_maximum) == ("Readiness documents", {"maydan_activity": "readiness"},
                                                            None)
    admin = launch(client, person="admin", link=link.pk, lang="ar")
    assert 'dir="rtl"' in admin.content.decode() and "مستندات الاستعداد" in admin.content.decode()
    saved = act(client, admin, action="save_requirement", view="requirements", title="Police clearance",
                valid_days="180", required="1")
    assert saved.status_code == 200
    requirement = re.search(r'data-requirement="(\d+)"', saved.content.decode()).group(1)

    sara = launch(client, person="student_1", link=link.pk, lang="ar")
    assert "ليس جاهزًا للبدء بعد" in sara.content.decode() and 'enctype="multipart/form-data"' in sara.content.decode()
    refused = hand_in(client, sara, requirement, EXECUTABLE, "police_clearance.pdf")
    assert refused.status_code == 400 and "الملف ليس PDF ولا صورة" in refused.content.decode()
    assert not ReadinessDocument.objects.exists() and stored_files(document_storage) == []
    answer = hand_in(client, sara, requirement, pdf(), "police_clearance.pdf")
    assert answer.status_code == 200 and "رُفع المستند" in answer.content.decode()
    document = ReadinessDocument.objects.get()

    own = download(client, sara, document.pk)
    assert own.status_code == 200 and b"".join(own.streaming_content) == pdf()
    assert own["Content-Type"] == "application/pdf" and own["Cache-Control"] == "private, no-store"
    assert own["Content-Disposition"] == f'attachment; filename="readiness-{document.pk}.pdf"'
    assert own["X-Content-Type-Options"] == "nosniff"

    admin = launch(client, person="admin", link=link.pk, lang="en")
    review = act(client, admin, action="view", view="person", student=document.student_id)
    assert review.status_code == 200 and 'value="approve"' in review.content.decode()
    assert download(client, admin, document.pk).status_code == 200
    approved = act(client, admin, action="approve", view="person", student=document.student_id, document=document.pk)
    assert approved.status_code == 200 and "Ready to start" in approved.content.decode()
    sara = launch(client, person="student_1", link=link.pk, lang="en")
    assert 'data-ready="yes"' in sara.content.decode()
    assert AuditEvent.objects.filter(action="readiness_read").count() == 2


def test_downloads_are_refused_to_everyone_else_and_files_have_no_address(sandbox, document_storage):
    client = Client()
    place(client, "readiness")
    link = SandboxLink.objects.get()
    admin = launch(client, person="admin", link=link.pk, lang="en")
    saved = act(client, admin, action="save_requirement", view="requirements", title="Health certificate",
                required="1")
    requirement = re.search(r'data-requirement="(\d+)"', saved.content.decode()).group(1)
    for person in ("student_1", "student_2"):
        page = launch(client, person=person, link=link.pk, lang="en")
        assert hand_in(client, page, requirement, image("JPEG"), "scan.jpg").status_code == 200
    sara_doc = ReadinessDocument.objects.get(student__subject="student_1")
    omar_doc = ReadinessDocument.objects.get(student__subject="student_2")

    omar = launch(client, person="student_2", link=link.pk, lang="ar")
    refused = download(client, omar, sara_doc.pk)
    assert refused.status_code == 404 and "ليس لك أن تراه" in refused.content.decode()
    assert download(client, omar, omar_doc.pk).status_code == 200
    # The mentor supervises student_1 only.
    mentor = launch(client, person="mentor", link=link.pk, lang="en")
    assert download(client, mentor, sara_doc.pk).status_code == 200
    refused = download(client, mentor, omar_doc.pk)
    assert refused.status_code == 404 and "not yours to see" in refused.content.decode()
    assert 'data-student="%d"' % omar_doc.student_id not in mentor.content.decode()
    instructor = launch(client, person="instructor", link=link.pk, lang="en")
    assert download(client, instructor, omar_doc.pk).status_code == 200
    # Neither a student nor a supervisor reviews.
    assert act(client, mentor, action="approve", view="person", student=sara_doc.student_id,
               document=sara_doc.pk).status_code == 403
    assert act(client, omar, action="approve", document=omar_doc.pk).status_code == 403
    assert ReadinessDocument.objects.filter(status="approved").count() == 0

    # Anyone without a launch, with a forged or no context: nothing.
    anonymous = Client()
    for ctx in ("", "forged"):
        answer = anonymous.post("/lti/app/", {"ctx": ctx, "action": "readiness_file", "document": sara_doc.pk})
        assert answer.status_code in (400, 401, 403) and pdf()[:8] not in answer.content
        assert answer["Content-Type"].startswith("text/html")
    for name in stored_files(document_storage):
        assert anonymous.get("/media/" + name).status_code == 404
        assert anonymous.get("/" + name).status_code == 404
    assert AuditEvent.objects.filter(action="readiness_read").count() == 3
