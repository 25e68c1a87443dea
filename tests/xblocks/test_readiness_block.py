"""Readiness documents as an Open edX block: uploads posted as multipart reach the core, files leave only to
those who may read them, and the coordinator reviews."""
from datetime import date, timedelta

import pytest
import webob
from opaque_keys.edx.locator import BlockUsageLocator
from xblock.fields import ScopeIds
from xblock.runtime import KvsFieldData

from maydan.models import AuditEvent
from maydan.readiness.models import ReadinessDocument, ReadinessRequirement
from tests.readiness_kit import EXECUTABLE, document_storage, image, pdf, stored_files  # noqa: F401 (fixture)
from xblocks.readiness import ReadinessXBlock

from .xbtools import COURSE_KEY, LmsCourse, Person, RecordingRuntime, StaticUserService, lms_user

USAGE = BlockUsageLocator(COURSE_KEY, block_type="maydan_readiness", block_id="readiness1")
ISSUED = (date.today() - timedelta(days=3)).isoformat()


class ReadinessCourse(LmsCourse):
    def open(self, user):
        runtime = RecordingRuntime(services={"field-data": KvsFieldData(self.kvs), "user": StaticUserService(user)})
        ids = ScopeIds(user.opt_attrs["edx-platform.anonymous_user_id"], "maydan_readiness", USAGE, USAGE)
        return runtime.construct_xblock_from_class(ReadinessXBlock, ids), runtime


def send(person, **form):
    """A form posted as the block's script posts one with a file: multipart, the file a (name, bytes) pair."""
    block, runtime = person.course.open(person.user)
    request = webob.Request.blank("/", POST=form)
    assert request.content_type.startswith("multipart/") or "file" not in form
    return runtime.handle(block, "act", request)


@pytest.fixture
def course(db, document_storage):
    course = ReadinessCourse(USAGE)
    course.root = document_storage
    return course


def test_a_student_uploads_through_the_block_and_the_coordinator_approves(course):
    amal = Person(course, lms_user("anon-amal", role="maydan:coordinator", name="Amal Mahmoud", lang="en"))
    assert "Readiness documents" in amal.view()
    assert amal.act(action="save_requirement", view="requirements", title="Police clearance", valid_days="180",
                    required="1").status_code == 200
    requirement = ReadinessRequirement.objects.get()
    sara = Person(course, lms_user("anon-sara", name="Sara Adel"))
    page = sara.view()
    assert 'dir="rtl"' in page and "مستندات الاستعداد" in page and "ليس جاهزًا للبدء بعد" in page
    refused = send(sara, action="upload", requirement=str(requirement.pk), issued_on=ISSUED,
                   file=("clearance.pdf", EXECUTABLE))
    assert refused.status_code == 400 and "الملف ليس PDF ولا صورة" in refused.text
    assert not ReadinessDocument.objects.exists() and stored_files(course.root) == []
    answer = send(sara, action="upload", requirement=str(requirement.pk), issued_on=ISSUED,
                  file=("scan.png", image("PNG")))
    assert answer.status_code == 200 and "رُفع المستند" in answer.text
    document = ReadinessDocument.objects.get()
    assert document.content_type == "image/png" and len(stored_files(course.root)) == 1

    own = sara.act(action="readiness_file", document=str(document.pk))
    assert own.status_code == 200 and own.body == image("PNG") and own.content_type == "image/png"
    assert own.content_disposition == f'attachment; filename="readiness-{document.pk}.png"'
    assert "no-store" in own.headers["Cache-Control"]
    approved = amal.act(action="approve", view="person", student=str(document.student_id), document=str(document.pk))
    assert approved.status_code == 200 and "Ready to start" in approved.text
    assert 'data-ready="yes"' in sara.view() and not sara.published and ReadinessXBlock.has_score is False


def test_another_student_and_staff_of_other_students_cannot_download(course):
    Person(course, lms_user("anon-amal", role="maydan:coordinator", lang="en")).act(
        action="save_requirement", view="requirements", title="Pledge", required="1")
    requirement = ReadinessRequirement.objects.get()
    sara = Person(course, lms_user("anon-sara", name="Sara Adel"))
    sara.view()
    send(sara, action="upload", requirement=str(requirement.pk), issued_on=ISSUED, file=("pledge.pdf", pdf()))
    document = ReadinessDocument.objects.get()
    omar = Person(course, lms_user("anon-omar", name="Omar Nabil", lang="en"))
    omar.view()
    refused = omar.act(action="readiness_file", document=str(document.pk))
    assert refused.status_code == 404 and "not yours to see" in refused.text and pdf()[:8] not in refused.body
    rami = Person(course, lms_user("anon-rami", role="maydan:agency_supervisor", lang="en", mentees=["anon-omar"]))
    rami.view()
    assert rami.act(action="readiness_file", document=str(document.pk)).status_code == 404
    nadia = Person(course, lms_user("anon-nadia", role="maydan:agency_supervisor", lang="en", mentees=["anon-sara"]))
    nadia.view()
    assert nadia.act(action="readiness_file", document=str(document.pk)).status_code == 200
    hoda = Person(course, lms_user("anon-hoda", role="staff", lang="en"))
    assert "Sara Adel" in hoda.view()
    assert hoda.act(action="readiness_file", document=str(document.pk)).status_code == 200
    assert hoda.act(action="approve", view="person", document=str(document.pk)).status_code == 403
    assert AuditEvent.objects.filter(action="readiness_read").count() == 2


def test_studio_sets_the_display_name(course):
    hoda = Person(course, lms_user("anon-hoda", role="staff", lang="en"))
    assert "Students upload the documents the program asks for" in hoda.view("studio_view")
    assert hoda.post_json("studio_submit", {"display_name": "Before you start · قبل البدء"}).status_code == 200
