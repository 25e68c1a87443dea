"""Process recordings: the student writes an interview down verbatim, row by row (worker, client,
their own thoughts and feelings, the skill used); supervisors comment on each row.

The client is a pseudonymous code, and every text goes through the privacy guard, as a field-log
entry does. A recording is kept only for the course's retention period: expired recordings are
deleted (with an audit row) before any list of them is read, and by `purge_expired` on a schedule.
"""
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, people, privacy, roles
from ..fieldlog.input import today_in
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..parse import optional_id, parse_date
from ..fieldlog import placement_for, visible_placements
from ..models import AuditEvent
from .models import ProcessRecording
from .services import _text, settings_for, side_of

COLUMNS = ("worker", "client", "thoughts", "skill")
MAX_ROWS = 60


def _recording(actor, recording_id):
    try:
        recording = ProcessRecording.objects.select_for_update().select_related("placement").get(
            pk=optional_id(recording_id), placement__in=visible_placements(actor))
    except (ProcessRecording.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("This process recording does not exist."))
    if recording.status == ProcessRecording.DRAFT and not actor.has(roles.STUDENT):
        raise NotFound(_("This process recording does not exist."))
    return recording


def _rows_from(data, errors):
    rows = []
    for i in range(MAX_ROWS):
        row = {column: _text(data.get(f"{column}_{i}"), f"{column}_{i}", errors) for column in COLUMNS}
        if any(row.values()):
            rows.append(row)
    return rows


@transaction.atomic
def save(actor, data, *, recording_id=None, submit=False):
    """Create or change the student's draft recording; rows come as worker_<i>, client_<i>, ..."""
    if not actor.has(roles.STUDENT):
        raise Forbidden(_("Only students write process recordings."))
    if recording_id:
        recording = _recording(actor, recording_id)
        if recording.placement.student_id != actor.person.pk:
            raise Forbidden(_("Only students write process recordings."))
        if recording.status != ProcessRecording.DRAFT:
            raise Conflict(_("This process recording was submitted; it can no longer change."))
    else:
        recording = ProcessRecording(placement=placement_for(actor))
    errors = {}
    try:
        day = parse_date(data.get("date"), message=_("Enter the date as YYYY-MM-DD."))
        if day > today_in(actor.course.time_zone):
            errors["date"] = [_("The date is in the future: log activities once they have happened.")]
    except Invalid as refusal:
        day = None
        errors["date"] = [refusal.message]
    code = (data.get("client_code") or "").strip()
    if not privacy.is_client_code(code):
        errors["client_code"] = [_("A client code is short, without spaces, and never a name, phone or ID (e.g. C-014).")]
    purpose = _text(data.get("purpose"), "purpose", errors)
    rows = _rows_from(data, errors)
    if submit and not rows and not errors:
        errors["worker_0"] = [_("Write at least one row of the dialogue.")]
    if errors:
        raise Invalid(next(iter(errors.values()))[0], errors)
    # Supervisor comments stay with the rows they were written on (a draft has none yet).
    recording.date, recording.client_code, recording.purpose, recording.rows = day, code, purpose, rows
    if submit:
        recording.status = ProcessRecording.SUBMITTED
    created = recording.pk is None
    recording.save()
    audit.record(actor, "recording_submit" if submit else ("recording_create" if created else "recording_edit"),
                 placement=recording.placement, changes={"recording": recording.pk, "rows": len(rows)})
    return recording


@transaction.atomic
def comment(actor, recording_id, data):
    """A supervisor's comment on each row (comment_<i>) of a submitted recording."""
    recording = _recording(actor, recording_id)
    people.refuse_own_work(actor, recording.placement.student_id)
    if side_of(actor, recording.placement) is None:
        raise Forbidden(_("Only this student's supervisors comment on their process recordings."))
    errors, rows = {}, [dict(row) for row in recording.rows]
    for i, row in enumerate(rows):
        row["comment"] = _text(data.get(f"comment_{i}", row.get("comment", "")), f"comment_{i}", errors)
    if errors:
        raise Invalid(next(iter(errors.values()))[0], errors)
    changed = [i for i, row in enumerate(rows) if row.get("comment", "") != recording.rows[i].get("comment", "")]
    recording.rows = rows
    recording.save(update_fields=["rows", "updated_at"])
    audit.record(actor, "recording_comment", placement=recording.placement,
                 changes={"recording": recording.pk, "rows": changed})
    return recording


def recordings(actor, placement):
    """The placement's recordings this actor may read (a supervisor: submitted ones), expired ones gone."""
    purge_expired(actor.course)
    found = ProcessRecording.objects.filter(placement=placement)
    if not (actor.has(roles.STUDENT) and placement.student_id == getattr(actor.person, "pk", None)):
        found = found.filter(status=ProcessRecording.SUBMITTED)
    return list(found)


@transaction.atomic
def purge_expired(course, now=None):
    """Delete the course's recordings older than its retention period; one audit row each. Returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings_for(course).retention_days)
    expired = list(ProcessRecording.objects.select_for_update().filter(placement__course=course, created_at__lt=cutoff))
    for recording in expired:
        AuditEvent.objects.create(
            course=course, placement_id=recording.placement_id, actor=None, via="retention",
            action="recording_delete",
            changes={"recording": recording.pk, "written": recording.created_at.date().isoformat(),
                     "retention_days": settings_for(course).retention_days},
        )
        recording.delete()
    return len(expired)
