"""Correcting a released evaluation: reopened with a reason, released again, acknowledged by the student.

The academic supervisor or the field coordinator reopens a released evaluation, saying why and which
sides go back to their authors. What the student was shown is kept whole as a version; the corrected
release is kept as the next version, the student is told (`maydan.notify`) and acknowledges it, and the
new grade leaves for the gradebooks by the usual release path. Every step is audited.
"""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, people
from ..fieldlog.input import check_text
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..parse import parse_id
from . import scoring, services
from .correction_models import Correction, EvaluationVersion
from .models import Evaluation, Scoresheet


def _refuse_unless_course_supervisor(actor):
    if not actor.supervises_course:
        raise Forbidden(_("Only the academic supervisor or the field coordinator may correct a released evaluation."))


def _reason(text):
    return check_text(text, "reason", required=True,
                      missing=_("Please give the reason for the correction: the student will read it."))


def _sides(raw):
    chosen = [str(side) for side in (raw or ())]
    if any(side not in scoring.SIDES for side in chosen):
        raise Invalid(_("Choose the agency side, the academic side, or neither."),
                      {"sides": [_("Choose the agency side, the academic side, or neither.")]})
    return [side for side in scoring.SIDES if side in chosen]


def _snapshot(evaluation):
    """The evaluation as released now, as a new version (the one kept already, if nothing changed since)."""
    latest = evaluation.versions.order_by("-number").first()
    if latest is not None and latest.released_at == evaluation.released_at:
        return latest
    sheets = {s.side: {"values": s.values, "comments": s.comments, "author": str(s.author or ""),
                       "submitted_at": s.submitted_at.isoformat() if s.submitted_at else None}
              for s in evaluation.sheets.select_related("author")}
    decisions = {d.behaviour: {"value": d.value, "reason": d.reason, "by": str(d.decided_by)}
                 for d in evaluation.decisions.select_related("decided_by")}
    return EvaluationVersion.objects.create(
        evaluation=evaluation, number=(latest.number + 1) if latest else 1, final_values=evaluation.final_values,
        score=evaluation.score, rule=evaluation.rule, sheets=sheets, decisions=decisions,
        released_at=evaluation.released_at)


@transaction.atomic
def reopen(actor, placement_id, form_id, reason, sides=()):
    """Reopen a released evaluation for correction; the released state stays on record as a version."""
    _refuse_unless_course_supervisor(actor)
    form, evaluation = services._evaluation(actor, placement_id, form_id, create=False)
    people.refuse_own_work(actor, evaluation.placement.student_id)
    placement = evaluation.placement
    if evaluation.pk is not None:
        evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        evaluation.placement = placement
    if evaluation.status != Evaluation.RELEASED:
        raise Conflict(_("Only a released evaluation can be corrected; this one is still open."))
    reason, sides = _reason(reason), _sides(sides)
    before = _snapshot(evaluation)
    evaluation.status = Evaluation.OPEN
    evaluation.save(update_fields=["status"])
    Scoresheet.objects.filter(evaluation=evaluation, side__in=sides).update(submitted_at=None)
    correction = Correction.objects.create(evaluation=evaluation, reason=reason, sides=sides,
                                           reopened_by=actor.person, before=before)
    audit.record(actor, "evaluation_correction_open", placement=evaluation.placement,
                 changes={"form": form.id, "correction": correction.pk, "version": before.number,
                          "score": before.score, "sides": sides}, comment=reason)
    return correction


def pending(evaluation):
    """The correction waiting for this evaluation's next release, or None."""
    if evaluation.pk is None:
        return None
    return evaluation.corrections.filter(after__isnull=True).first()


def complete(actor, evaluation):
    """At a release: close the pending correction with the corrected version and tell the student (audited)."""
    correction = pending(evaluation)
    if correction is None:
        return None
    correction.after = _snapshot(evaluation)
    correction.save(update_fields=["after"])
    before, after = correction.before, correction.after
    changed = {key: [before.final_values.get(key), value] for key, value in after.final_values.items()
               if before.final_values.get(key) != value}
    audit.record(actor, "evaluation_corrected", placement=evaluation.placement,
                 changes={"form": evaluation.form, "correction": correction.pk, "score": [before.score, after.score],
                          "versions": [before.number, after.number], "values": changed},
                 comment=correction.reason)
    return correction


@transaction.atomic
def acknowledge(actor, correction_id):
    """The student says they read the correction of their evaluation (once; audited)."""
    message = _("This correction does not exist.")
    correction = (Correction.objects.select_for_update().select_related("evaluation__placement")
                  .filter(pk=parse_id(correction_id, message)).first())
    if correction is None or correction.evaluation.placement.course_id != actor.course.pk:
        raise NotFound(message)
    if actor.person is None or correction.evaluation.placement.student_id != actor.person.pk:
        raise Forbidden(_("Only the student whose evaluation was corrected acknowledges the correction."))
    if correction.after_id is None:
        raise Conflict(_("This correction is not released yet."))
    if correction.acknowledged_at is not None:
        raise Conflict(_("You already acknowledged this correction."))
    correction.acknowledged_at = timezone.now()
    correction.save(update_fields=["acknowledged_at"])
    audit.record(actor, "evaluation_correction_ack", placement=correction.evaluation.placement,
                 changes={"form": correction.evaluation.form, "correction": correction.pk})
    return correction


def history(evaluation):
    """The evaluation's corrections, oldest first, each with both versions."""
    if evaluation.pk is None:
        return []
    return list(evaluation.corrections.select_related("before", "after", "reopened_by"))
