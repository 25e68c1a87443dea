"""Rubric grading of students' writing (reflections in the field log), with a marking workflow.

draft → in review → ready for release → released. Only a released marking reaches the
student and the gradebook. Every change is an audit row (who, what, why), which is the
marking's history; an override of the rubric's score can be undone.
"""
from django.db import transaction
from django.utils.translation import gettext as _, gettext_lazy

from .. import audit, grades, vocab
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..fieldlog import visible_placements
from ..models import AuditEvent, LogEntry
from . import content, scoring
from .models import Marking
from .services import _number, _text

REFLECTION_RUBRIC = "reflection"
STATUSES = {
    Marking.DRAFT: gettext_lazy("Draft"),
    Marking.IN_REVIEW: gettext_lazy("In review"),
    Marking.READY: gettext_lazy("Ready for release"),
    Marking.RELEASED: gettext_lazy("Released"),
}
# Where each state may go next (release is its own service: it sends the grade).
_NEXT = {
    Marking.DRAFT: {Marking.IN_REVIEW},
    Marking.IN_REVIEW: {Marking.DRAFT, Marking.READY},
    Marking.READY: {Marking.IN_REVIEW},
    Marking.RELEASED: set(),
}
# Entries whose reflection may be marked: the ones the student handed in.
MARKABLE_STATUSES = (vocab.SUBMITTED, *vocab.APPROVED_STATUSES)


def rubric_of(rubric_id):
    try:
        return content.library().rubrics[rubric_id]
    except KeyError:
        raise NotFound(_("This rubric does not exist."))


def _require_marker(actor):
    if not actor.supervises_course:
        raise Forbidden(_("Only the academic supervisor or the field coordinator may grade with the rubric."))


def _entry(actor, entry_id):
    try:
        return LogEntry.objects.select_related("placement__student", "placement__course").get(
            pk=entry_id, placement__in=visible_placements(actor), status__in=MARKABLE_STATUSES
        )
    except (LogEntry.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("This entry does not exist."))


def _marking(actor, entry_id, rubric_id, *, create=False):
    entry = _entry(actor, entry_id)
    rubric = rubric_of(rubric_id)
    if create:
        Marking.objects.get_or_create(entry=entry, rubric=rubric.id, defaults={"placement": entry.placement})
    try:
        marking = Marking.objects.select_for_update().get(entry=entry, rubric=rubric.id)
    except Marking.DoesNotExist:
        raise NotFound(_("This reflection has not been graded yet."))
    marking.entry = entry
    return rubric, marking


def _record(actor, marking, action, changes, reason=""):
    audit.record(actor, action, placement=marking.placement, entry=marking.entry,
                 changes={"marking": marking.pk, **changes}, comment=reason)


@transaction.atomic
def grade(actor, entry_id, rubric_id, data, reason=""):
    """Choose a level per criterion (fields crit_<id>) and a comment; allowed before release."""
    _require_marker(actor)
    rubric, marking = _marking(actor, entry_id, rubric_id, create=True)
    if marking.status == Marking.RELEASED:
        raise Conflict(_("This grade was released; override it instead."))
    errors, choices = {}, {}
    for criterion in rubric.criteria:
        raw = (data.get(f"crit_{criterion.id}") or "").strip()
        if not raw:
            continue
        points = _number(raw)
        level = next((level for level in criterion.levels if level.points == points), None)
        if level is None:
            errors[f"crit_{criterion.id}"] = [_("Choose one of this criterion's levels.")]
        else:
            choices[criterion.id] = level.points  # as the rubric writes it (4, not 4.0)
    comment = _text(data.get("comment"), "comment", errors)
    reason = _text(reason, "reason", errors)
    if errors:
        raise Invalid(next(iter(errors.values()))[0], errors)
    score = _score(rubric, choices)
    changes = audit.diff({"choices": marking.choices, "comment": marking.comment, "score": marking.score},
                         {"choices": choices, "comment": comment, "score": score})
    marking.choices, marking.comment, marking.score = choices, comment, score
    marking.save()
    _record(actor, marking, "marking_edit", changes, reason)
    return marking


def _score(rubric, choices):
    try:
        return scoring.rubric_score(rubric, choices)[1]
    except ValueError:
        return None  # not every criterion chosen yet


def next_statuses(marking):
    """Where a marking may be moved by hand (release is its own action)."""
    return sorted(_NEXT.get(marking.status, ()), key=list(_NEXT).index) if marking else []


@transaction.atomic
def move(actor, entry_id, rubric_id, status, reason=""):
    """Move a marking along the workflow; sending it back (to draft or review) needs a reason."""
    _require_marker(actor)
    _rubric, marking = _marking(actor, entry_id, rubric_id)
    if status not in _NEXT.get(marking.status, ()):
        raise Conflict(_("A grade cannot go from “%(old)s” to “%(new)s”.")
                       % {"old": STATUSES[marking.status], "new": STATUSES.get(status, status)})
    if status != Marking.DRAFT and marking.final_score is None:
        raise Invalid(_("Choose a level for every criterion first."))
    backwards = list(_NEXT).index(status) < list(_NEXT).index(marking.status)
    errors = {}
    reason = _text(reason, "reason", errors, required=backwards)
    if errors:
        raise Invalid(errors["reason"][0], errors)
    old, marking.status = marking.status, status
    marking.save(update_fields=["status", "updated_at"])
    _record(actor, marking, "marking_status", {"status": [old, status]}, reason)
    return marking


@transaction.atomic
def release(actor, entry_id, rubric_id):
    _require_marker(actor)
    _rubric, marking = _marking(actor, entry_id, rubric_id)
    if marking.status != Marking.READY:
        raise Conflict(_("Only a grade ready for release can be released."))
    marking.status = Marking.RELEASED
    marking.save(update_fields=["status", "updated_at"])
    _record(actor, marking, "marking_status", {"status": [Marking.READY, Marking.RELEASED]})
    _send(marking)
    return marking


@transaction.atomic
def override(actor, entry_id, rubric_id, score, reason):
    """Replace the rubric's score (0..1) with a reason; it can be undone."""
    _require_marker(actor)
    _rubric, marking = _marking(actor, entry_id, rubric_id)
    errors = {}
    value = _number(score)
    if value is None or not 0 <= value <= 1:
        errors["score"] = [_("The score must be a number from 0 to 1.")]
    reason = _text(reason, "reason", errors, required=True)
    if errors:
        raise Invalid(next(iter(errors.values()))[0], errors)
    old = marking.final_score
    marking.override_score, marking.override_reason = value, reason
    marking.save(update_fields=["override_score", "override_reason", "updated_at"])
    _record(actor, marking, "marking_override", {"score": [old, value]}, reason)
    _send(marking)
    return marking


@transaction.atomic
def undo_override(actor, entry_id, rubric_id, reason=""):
    _require_marker(actor)
    _rubric, marking = _marking(actor, entry_id, rubric_id)
    if marking.override_score is None:
        raise Conflict(_("There is no override to undo."))
    old = marking.override_score
    marking.override_score, marking.override_reason = None, ""
    marking.save(update_fields=["override_score", "override_reason", "updated_at"])
    _record(actor, marking, "marking_override_undo", {"score": [old, marking.score]}, reason)
    _send(marking)
    return marking


def _send(marking):
    """A released marking's change reaches the gradebook: the mean of the student's released grades of that rubric."""
    if marking.status != Marking.RELEASED:
        return
    placement = marking.placement
    released = [m.final_score for m in Marking.objects.filter(placement=placement, rubric=marking.rubric,
                                                             status=Marking.RELEASED)]
    released = [s for s in released if s is not None]
    if released:
        grades.queue_grade(placement.course, placement.student, f"rubric:{marking.rubric}",
                           round(sum(released) / len(released), 4))


# --- reading -------------------------------------------------------------------------------------


def history(marking):
    """Every change of a marking, oldest first: who, what, why."""
    return list(AuditEvent.objects.filter(entry=marking.entry, action__startswith="marking_",
                                          changes__marking=marking.pk).select_related("actor"))


def for_student(actor):
    """The student's released markings, newest first."""
    return list(Marking.objects.filter(placement__in=visible_placements(actor), placement__student=actor.person,
                                       status=Marking.RELEASED).select_related("entry").order_by("-entry__date"))


def reflections(actor, placement):
    """The placement's handed-in reflections with their marking (if any), for the marker."""
    _require_marker(actor)
    entries = list(placement.entries.filter(status__in=MARKABLE_STATUSES).exclude(reflection=""))
    by_entry = {m.entry_id: m for m in Marking.objects.filter(entry__in=entries, rubric=REFLECTION_RUBRIC)}
    return [(entry, by_entry.get(entry.pk)) for entry in entries]
