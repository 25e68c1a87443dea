"""Readiness documents: the coordinator's list, the students' uploads, the review, who may read a file.

Each service checks who may act, enforces the rules and writes the change with its audit row in
one transaction. A file is written to the storage before its row; if the row is not written, the
file is removed again, so no document is half-kept.
"""
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, parse, roles, untrusted
from ..cohort.placements import _text, require_coordinator
from ..fieldlog.input import check_comment, check_text, today_in
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..fieldlog import visible_placements
from ..models import Person, Placement
from ..program.models import Program, ProgramCourse
from ..program.services import program_for
from . import files, rules
from .models import ReadinessDocument, ReadinessRequirement

MAX_DESCRIPTION = 1000
CURRENT = Q(replaced_at__isnull=True)


def _invalid(name, message):
    return Invalid(message, {name: [message]})


def _today(actor):
    return today_in(actor.course.time_zone)


# --- the coordinator's list ------------------------------------------------------------------------


def requirements(program, *, retired=False):
    found = ReadinessRequirement.objects.filter(program=program)
    return list(found if retired else found.filter(retired=False).order_by("-required", "title", "pk"))


def _requirement(program, requirement_id):
    try:
        return ReadinessRequirement.objects.get(pk=parse.parse_id(requirement_id), program=program)
    except ReadinessRequirement.DoesNotExist:
        raise NotFound(_("This document is not on the program's list."))


def _whole_days(data, name, high, message):
    value = str(data.get(name) or "").strip()
    if not value:
        return None
    number = parse.optional_number(value, low=1, high=high)
    if number is None or number != int(number):
        raise _invalid(name, message)
    return int(number)


@transaction.atomic
def save_requirement(actor, data):
    """Add a document to the program's list, or change one (`requirement`); `retired` takes it off the list."""
    require_coordinator(actor)
    program = program_for(actor.course)
    errors = {}
    title = _text(data, "title", 255)
    if not title:
        errors["title"] = [_("Name the document, e.g. police clearance.")]
    try:
        description = check_text(str(data.get("description") or ""), "description")
        if len(description) > MAX_DESCRIPTION:
            errors["description"] = [_("Keep the description under %(count)d characters.") % {"count": MAX_DESCRIPTION}]
    except Invalid as refusal:
        errors.update(refusal.field_errors)
        description = ""
    try:
        valid_days = _whole_days(data, "valid_days", rules.MAX_VALID_DAYS,
                                 _("Validity is a whole number of days from 1 to %(max)d, or empty.")
                                 % {"max": rules.MAX_VALID_DAYS})
    except Invalid as refusal:
        errors.update(refusal.field_errors)
        valid_days = None
    if errors:
        raise Invalid(next(iter(errors.values()))[0], errors)
    values = {"title": title, "description": description, "valid_days": valid_days,
              "required": data.get("required") == "1", "retired": data.get("retired") == "1"}
    if data.get("requirement"):
        requirement = _requirement(program, data.get("requirement"))
        before = {k: getattr(requirement, k) for k in values}
    else:
        requirement, before = ReadinessRequirement(program=program), {}
    clash = ReadinessRequirement.objects.filter(program=program, title=title).exclude(pk=requirement.pk)
    if clash.exists():
        raise _invalid("title", _("The list already has a document with this name."))
    for key, value in values.items():
        setattr(requirement, key, value)
    requirement.save()
    audit.record(actor, "readiness_requirement_save", changes={
        "program": program.pk, "requirement": requirement.pk, **audit.diff(before, values)})
    return requirement


@transaction.atomic
def set_retention(actor, days):
    """How long the program keeps a document once it no longer counts (replaced, returned or expired)."""
    require_coordinator(actor)
    program = Program.objects.select_for_update().get(pk=program_for(actor.course).pk)
    value = _whole_days({"retention": days}, "retention", rules.MAX_RETENTION_DAYS,
                        _("Keep documents for a whole number of days from 1 to %(max)d.")
                        % {"max": rules.MAX_RETENTION_DAYS})
    if value is None:
        raise _invalid("retention", _("Keep documents for a whole number of days from 1 to %(max)d.")
                       % {"max": rules.MAX_RETENTION_DAYS})
    audit.record(actor, "readiness_retention", changes={
        "program": program.pk, **audit.diff({"days": program.document_retention_days}, {"days": value})})
    program.document_retention_days = value
    program.save(update_fields=["document_retention_days"])
    return program


# --- the student's uploads -------------------------------------------------------------------------


def _day(data, name, message, *, required=False):
    value = str(data.get(name) or "").strip()
    if not value:
        if required:
            raise _invalid(name, message)
        return None
    return parse.parse_date(value, message=message, field=name)


def _dates(actor, data, requirement):
    """(issued_on, expires_on, valid_until) from the form; Invalid naming the field."""
    issued = _day(data, "issued_on", _("Give the date the document was issued, as YYYY-MM-DD."), required=True)
    expires = _day(data, "expires_on", _("Write the expiry date as YYYY-MM-DD, or leave it empty."))
    today = _today(actor)
    if issued > today:
        raise _invalid("issued_on", _("The issue date is in the future."))
    if expires is not None and expires < issued:
        raise _invalid("expires_on", _("The expiry date is before the issue date."))
    until = rules.valid_until(issued, expires, requirement.valid_days)
    if until is not None and until < today:
        raise _invalid("issued_on", _("This document is no longer valid: it ran out on %(day)s. Upload a newer one.")
                       % {"day": until.isoformat()})
    return issued, expires, until


def _placement_of(student, course):
    return Placement.objects.filter(course=course, student=student).first()


def upload(actor, requirement_id, stream, data):
    """A student hands in a document for one of the program's requirements: checked, stored, then recorded.

    The file is checked (size, type by its content, the scanner) before anything is written."""
    if not actor.has(roles.STUDENT) or actor.person is None or actor.link_placement is not None:
        raise Forbidden(_("Only students upload their readiness documents."))
    requirement = _requirement(program_for(actor.course), requirement_id)
    if requirement.retired:
        raise NotFound(_("This document is not on the program's list."))
    issued, expires, until = _dates(actor, data, requirement)
    if stream is None:
        raise _invalid("file", _("Choose the file to upload."))
    try:
        content, content_type, extension, digest = files.checked(stream)
    except untrusted.Unreadable as error:
        raise _invalid("file", untrusted.message(error)) from None
    stored = files.keep(content, extension)
    try:
        return _record_upload(actor, requirement, stored, content_type, len(content), digest, issued, expires, until)
    except BaseException:
        files.remove(stored)
        raise


@transaction.atomic
def _record_upload(actor, requirement, stored, content_type, size, digest, issued, expires, until):
    now = timezone.now()
    earlier = ReadinessDocument.objects.select_for_update().filter(CURRENT, student=actor.person,
                                                                   requirement=requirement)
    # A waiting or returned one gives way at once; an approved one counts until the new one is approved.
    replaced = list(earlier.exclude(status=ReadinessDocument.APPROVED).values_list("pk", flat=True))
    earlier.filter(pk__in=replaced).update(replaced_at=now)
    document = ReadinessDocument(requirement=requirement, student=actor.person, course=actor.course,
                                 content_type=content_type, size=size, sha256=digest, issued_on=issued,
                                 expires_on=expires, valid_until=until)
    document.file = stored
    document.save()
    audit.record(actor, "readiness_upload", placement=_placement_of(actor.person, actor.course), changes={
        "document": document.pk, "requirement": requirement.pk, "type": content_type, "size": size,
        "sha256": digest, "issued_on": issued.isoformat(), "valid_until": until.isoformat() if until else None,
        "replaced": replaced})
    return document


# --- the coordinator's review ----------------------------------------------------------------------


def _in_program(program):
    return ReadinessDocument.objects.filter(requirement__program=program).select_related("requirement", "student")


@transaction.atomic
def review(actor, document_id, approve, comment=""):
    """The coordinator approves a waiting document, or returns it with a comment the student reads."""
    require_coordinator(actor)
    try:
        document = _in_program(program_for(actor.course)).select_for_update(of=("self",)).get(
            pk=parse.parse_id(document_id), replaced_at__isnull=True)
    except ReadinessDocument.DoesNotExist:
        raise NotFound(_("This document does not exist."))
    if document.status != ReadinessDocument.SUBMITTED:
        raise Conflict(_("This document was already reviewed."))
    comment = check_comment(comment, required=not approve)
    now = timezone.now()
    if approve:
        # The new one takes the place of the one approved before it.
        ReadinessDocument.objects.filter(CURRENT, student=document.student, requirement=document.requirement,
                                         status=ReadinessDocument.APPROVED).update(replaced_at=now)
    document.status = ReadinessDocument.APPROVED if approve else ReadinessDocument.RETURNED
    document.comment, document.reviewed_by, document.reviewed_at = comment, actor.person, now
    document.save(update_fields=["status", "comment", "reviewed_by", "reviewed_at"])
    audit.record(actor, "readiness_" + ("approve" if approve else "return"),
                 placement=_placement_of(document.student, actor.course), comment=comment,
                 changes={"document": document.pk, "requirement": document.requirement_id,
                          "student": document.student_id})
    return document


# --- how each student stands -----------------------------------------------------------------------


@dataclass
class Standing:
    """One requirement for one student: its state, the approved document that counts, and a newer one."""

    requirement: ReadinessRequirement
    state: str = rules.MISSING
    approved: ReadinessDocument | None = None
    pending: ReadinessDocument | None = None

    @property
    def flagged(self):
        return self.state in rules.FLAGGED


@dataclass
class Readiness:
    student: Person
    standings: list = field(default_factory=list)

    @property
    def ready(self):
        return rules.ready(s.state for s in self.standings if s.requirement.required)

    @property
    def flags(self):
        return [s for s in self.standings if s.flagged]

    @property
    def waiting(self):
        return [s for s in self.standings if s.pending is not None and s.pending.status == ReadinessDocument.SUBMITTED]


def readiness(program, students, today):
    """{student id: Readiness} for `students` (Person rows), in two queries whatever their number."""
    listed = requirements(program)
    documents = ReadinessDocument.objects.filter(CURRENT, requirement__in=listed,
                                                 student__in=[s.pk for s in students]).order_by("uploaded_at", "pk")
    latest = {}
    for document in documents:
        slot = latest.setdefault((document.student_id, document.requirement_id), [None, None])
        slot[0 if document.status == ReadinessDocument.APPROVED else 1] = document
    found = {}
    for student in students:
        rows = []
        for requirement in listed:
            approved, pending = latest.get((student.pk, requirement.pk), (None, None))
            state = rules.state(approved.valid_until if approved else None, approved is not None,
                                pending.status if pending else None, today)
            rows.append(Standing(requirement, state, approved, pending))
        found[student.pk] = Readiness(student, rows)
    return found


def mine(actor):
    """The student's own Readiness in the course's program."""
    if not actor.has(roles.STUDENT) or actor.person is None:
        raise Forbidden(_("Only students upload their readiness documents."))
    return readiness(program_for(actor.course), [actor.person], _today(actor))[actor.person.pk]


def students_in_view(actor):
    """[(Placement, Readiness)] of the students this actor follows: the coordinator every placed student of the
    program's courses; a supervisor the placements they may see in this course."""
    program = program_for(actor.course)
    if actor.has(roles.COORDINATOR) and actor.link_placement is None:
        placements = Placement.objects.filter(_courses_of(program))
    elif actor.supervises_course or actor.has(roles.AGENCY) or actor.link_placement is not None:
        placements = visible_placements(actor)
    else:
        raise Forbidden(_("Only the field coordinator and supervisors follow students' readiness."))
    placements = list(placements.filter(course__issuer=program.issuer).select_related("student", "course")
                      .order_by("student__name", "pk"))
    found = readiness(program, list({p.student_id: p.student for p in placements}.values()), _today(actor))
    return [(placement, found[placement.student_id]) for placement in placements]


def _courses_of(program):
    """The program's courses, as a filter on placements: those set to it, and for a platform's "main" program
    every course of the platform set to no other (program_for's rule)."""
    if program.key != "main":
        return Q(course__in=ProgramCourse.objects.filter(program=program).values("course"))
    elsewhere = ProgramCourse.objects.exclude(program=program).values("course")
    return Q(course__issuer=program.issuer) & ~Q(course__in=elsewhere)


def student_readiness(actor, student_id):
    """One student's Readiness, for someone who follows them (students_in_view)."""
    wanted = parse.optional_id(student_id)
    for placement, found in students_in_view(actor):
        if placement.student_id == wanted:
            return placement, found
    raise NotFound(_("This student does not exist or is not yours to see."))


# --- reading a file --------------------------------------------------------------------------------


def may_read(actor, document):
    """The student, the program's coordinator and the supervisors of the student's placement; nobody else."""
    if actor.person is not None and document.student_id == actor.person.pk and actor.has(roles.STUDENT):
        return True
    if document.requirement.program_id != program_for(actor.course).pk:
        return False
    if actor.has(roles.COORDINATOR) and actor.link_placement is None:
        return True
    if not (actor.supervises_course or actor.has(roles.AGENCY) or actor.link_placement is not None):
        return False
    return visible_placements(actor).filter(student_id=document.student_id).exists()


@transaction.atomic
def open_document(actor, document_id):
    """(document, open file) for someone who may read it; the reading is audited. NotFound for anyone else,
    so a stranger cannot tell a document that exists from one that does not."""
    refused = NotFound(_("This document does not exist or is not yours to see."))
    try:
        document = ReadinessDocument.objects.select_related("requirement").get(pk=parse.parse_id(document_id))
    except (ReadinessDocument.DoesNotExist, NotFound):
        raise refused
    if not may_read(actor, document):
        raise refused
    try:
        stream = files.read(document.file)
    except (OSError, ValueError):
        raise NotFound(_("This document's file is no longer kept."))
    audit.record(actor, "readiness_read", changes={"document": document.pk, "student": document.student_id})
    return document, stream
