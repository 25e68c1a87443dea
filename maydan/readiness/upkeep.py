"""What happens to readiness documents with time: reminders before they expire, deletion after retention,
and the student's e-mail when one is returned. Run daily by the beat schedule (maydan.tasks)."""
import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import AuditEvent
from ..notify import messages as notify_messages, services as notify
from ..program.models import Program
from . import files, rules
from .models import ReadinessDocument

log = logging.getLogger(__name__)


def purge_expired(now=None):
    """Delete, in every program, the documents that stopped counting more than its retention period ago
    (replaced, returned or expired), file and row, with one audit row each. Returns how many."""
    now = now or timezone.now()
    return sum(_purge(program, now) for program in Program.objects.filter(requirements__isnull=False).distinct())


@transaction.atomic
def _purge(program, now):
    cutoff = now - timedelta(days=program.document_retention_days)
    ended = (Q(replaced_at__lt=cutoff) | Q(status=ReadinessDocument.RETURNED, reviewed_at__lt=cutoff)
             | Q(valid_until__lt=cutoff.date()))
    count = 0
    for document in ReadinessDocument.objects.select_for_update().filter(ended, requirement__program=program):
        try:
            files.remove(document.file)
        except OSError as exc:  # the storage is away: the row stays, and the next run tries again
            log.warning("readiness document %s not deleted: %s", document.pk, type(exc).__name__)
            continue
        AuditEvent.objects.create(
            course_id=document.course_id, actor=None, via="retention", action="readiness_delete",
            changes={"document": document.pk, "requirement": document.requirement_id, "student": document.student_id,
                     "sha256": document.sha256, "uploaded": document.uploaded_at.date().isoformat(),
                     "retention_days": program.document_retention_days})
        document.delete()
        count += 1
    return count


def remind_expiring(today=None):
    """E-mail each student whose approved document stops being valid within EXPIRY_WARNING_DAYS (once per
    document and expiry day). Returns how many were written."""
    written = 0
    soon = ReadinessDocument.objects.filter(
        replaced_at__isnull=True, status=ReadinessDocument.APPROVED, requirement__retired=False,
        valid_until__isnull=False).select_related("requirement", "student", "course")
    for document in soon:
        day = today or notify.today_in(document.course)
        if rules.validity(document.valid_until, day) == rules.EXPIRING:
            written += expiring(document) is not None
    return written


def expiring(document):
    student, course = document.student, document.course
    language = course.language
    with translation.override(language):
        return notify.queue(
            kind="document_expiring", address=student.email, about=f"readiness:{document.pk}",
            period=f"until:{document.valid_until.isoformat()}", course=course, recipient=student,
            language=language, reason="document_expiring",
            subject=_("Your %(document)s stops being valid on %(day)s") % {
                "document": document.requirement.title,
                "day": notify_messages.day(document.valid_until, language)},
            content={"intro": _("Upload a renewed one under Readiness documents before then: your placement is "
                                "ready to start only while every required document is valid."),
                     "action": _("See your documents"), "open": True},
        )


def returned(event):
    """The audit row of a returned document becomes the student's e-mail, with the coordinator's comment."""
    document = ReadinessDocument.objects.select_related("requirement", "student", "course").filter(
        pk=event.changes.get("document")).first()
    if document is None:
        return None
    student, course = document.student, document.course
    language = course.language
    with translation.override(language):
        return notify.queue(
            kind="document_returned", address=student.email, about=f"readiness:{document.pk}",
            period=f"event:{event.pk}", course=course, recipient=student, language=language, reason=event.action,
            subject=_("Your %(document)s was returned") % {"document": document.requirement.title},
            content={"intro": _("Please read the coordinator's comment and upload the document again."),
                     "items": [{"text": document.requirement.title, "quote": event.comment}],
                     "open": True, "action": _("See your documents")},
        )
