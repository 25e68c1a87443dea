"""Rubric grading of students' writing (field-log reflections, a simulation's written answers and debrief
reflection, process recordings), with one marking workflow.

draft → in review → ready for release → released. Only a released marking reaches the
student and the gradebook. Every change is an audit row (who, what, why), which is the
marking's history; an override of the rubric's score can be undone.
"""
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _, gettext_lazy

from .. import audit, grades, people, vocab
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..fieldlog import visible_placements
from ..models import AuditEvent, LogEntry, Placement
from ..simulation import services as simulation
from ..simulation.models import FINISHED, SimulationAnswer, SimulationAttempt
from . import content, scoring
from .models import Marking, ProcessRecording
from .services import _number, _text

REFLECTION_RUBRIC = simulation.REFLECTION_RUBRIC  # one rubric grades every reflection: log and simulation
RECORDING_RUBRIC = "process-recording"
ANSWER_RUBRIC = simulation.ANSWER_RUBRIC
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


# What can be marked, as a target "<kind>:<id>" (a plain id is a log entry): each kind's loader
# returns (the text's row, its placement), only for writing handed in and visible to the actor.
# A rubric names the kinds it is for in its `applies_to`.
APPLIES_TO = {"entry": "reflection", "attempt": "reflection", "answer": "simulation_answer",
              "recording": "process_recording"}


def _entry(actor, entry_id):
    try:
        entry = LogEntry.objects.select_related("placement__student", "placement__course").get(
            pk=entry_id, placement__in=visible_placements(actor), status__in=MARKABLE_STATUSES
        )
    except (LogEntry.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("This entry does not exist."))
    return entry, entry.placement


def _simulation_placement(actor, attempt):
    placement = visible_placements(actor).filter(student=attempt.student).first()
    if placement is None and actor.supervises_course:  # a student who played before opening the log
        placement, _created = Placement.objects.get_or_create(course=actor.course, student=attempt.student)
    if placement is None:
        raise NotFound(_("This attempt does not exist or is not yours to see."))
    return placement


def _attempt(actor, attempt_id):
    """A finished attempt (its debrief reflection written)."""
    try:
        attempt = SimulationAttempt.objects.select_related("student").get(
            pk=attempt_id, course=actor.course, status=FINISHED)
    except (SimulationAttempt.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("This attempt does not exist or is not yours to see."))
    return attempt, _simulation_placement(actor, attempt)


def _answer(actor, answer_id):
    try:
        answer = SimulationAnswer.objects.select_related("attempt__student").get(
            pk=answer_id, attempt__course=actor.course, attempt__status=FINISHED)
    except (SimulationAnswer.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("This answer does not exist."))
    return answer, _simulation_placement(actor, answer.attempt)


def _recording(actor, recording_id):
    try:
        recording = ProcessRecording.objects.select_related("placement__student").get(
            pk=recording_id, placement__in=visible_placements(actor), status=ProcessRecording.SUBMITTED)
    except (ProcessRecording.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("This process recording does not exist."))
    return recording, recording.placement


_LOADERS = {"entry": _entry, "attempt": _attempt, "answer": _answer, "recording": _recording}


def target(kind, pk):
    """The target of a piece of writing, as the screens post it."""
    return f"{kind}:{pk}"


def _target(actor, target_id):
    kind, _sep, pk = str(target_id).rpartition(":")
    kind = kind or "entry"
    if kind not in _LOADERS:
        raise NotFound(_("This entry does not exist."))
    return (kind, *_LOADERS[kind](actor, pk))


def _marking(actor, target_id, rubric_id, *, create=False):
    kind, text, placement = _target(actor, target_id)
    people.refuse_own_work(actor, placement.student_id)
    rubric = rubric_of(rubric_id)
    if APPLIES_TO[kind] not in rubric.applies_to:
        raise Invalid(_("This rubric is not meant for this kind of writing."))
    where = {kind: text, "rubric": rubric.id}
    if create:
        Marking.objects.get_or_create(**where, defaults={"placement": placement})
    try:
        marking = Marking.objects.select_for_update().get(**where)
    except Marking.DoesNotExist:
        raise NotFound(_("This text has not been graded yet."))
    setattr(marking, kind, text)
    marking.placement = placement
    return rubric, marking


def _record(actor, marking, action, changes, reason=""):
    audit.record(actor, action, placement=marking.placement, entry=marking.entry,
                 changes={"marking": marking.pk, **changes}, comment=reason)


@transaction.atomic
def grade(actor, target_id, rubric_id, data, reason=""):
    """Choose a level per criterion (fields crit_<id>) and a comment; allowed before release."""
    _require_marker(actor)
    rubric, marking = _marking(actor, target_id, rubric_id, create=True)
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
def move(actor, target_id, rubric_id, status, reason=""):
    """Move a marking along the workflow; sending it back (to draft or review) needs a reason."""
    _require_marker(actor)
    _rubric, marking = _marking(actor, target_id, rubric_id)
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
def release(actor, target_id, rubric_id):
    _require_marker(actor)
    _rubric, marking = _marking(actor, target_id, rubric_id)
    if marking.status != Marking.READY:
        raise Conflict(_("Only a grade ready for release can be released."))
    marking.status = Marking.RELEASED
    marking.save(update_fields=["status", "updated_at"])
    _record(actor, marking, "marking_status", {"status": [Marking.READY, Marking.RELEASED]})
    _send(marking)
    return marking


@transaction.atomic
def override(actor, target_id, rubric_id, score, reason):
    """Replace the rubric's score (0..1) with a reason; it can be undone."""
    _require_marker(actor)
    _rubric, marking = _marking(actor, target_id, rubric_id)
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
def undo_override(actor, target_id, rubric_id, reason=""):
    _require_marker(actor)
    _rubric, marking = _marking(actor, target_id, rubric_id)
    if marking.override_score is None:
        raise Conflict(_("There is no override to undo."))
    old = marking.override_score
    marking.override_score, marking.override_reason = None, ""
    marking.save(update_fields=["override_score", "override_reason", "updated_at"])
    _record(actor, marking, "marking_override_undo", {"score": [old, marking.score]}, reason)
    _send(marking)
    return marking


def _send(marking):
    """A released marking's change reaches the gradebook. A simulation's written work counts in that
    simulation's grade (maydan.simulation.services.attempt_grade); other writing makes a grade of its
    own per rubric: the mean of the student's released grades of that rubric."""
    if marking.status != Marking.RELEASED:
        return
    placement = marking.placement
    if marking.attempt_id or marking.answer_id:
        attempt = marking.attempt or marking.answer.attempt
        simulation.regrade(placement.course, placement.student, attempt.scenario)
        return
    released = [m.final_score for m in Marking.objects.filter(
        placement=placement, rubric=marking.rubric, status=Marking.RELEASED, attempt=None, answer=None)]
    released = [s for s in released if s is not None]
    if released:
        grades.queue_grade(placement.course, placement.student, f"rubric:{marking.rubric}",
                           round(sum(released) / len(released), 4))


ACTIONS = ("grade", "move", "release_marking", "override", "undo_override")


def perform(actor, action, target_id, rubric_id, data):
    """One marking action as a screen posts it (fields: status, score, reason, crit_<id>, comment)."""
    reason = data.get("reason", "")
    if action == "grade":
        return grade(actor, target_id, rubric_id, data, reason)
    if action == "move":
        return move(actor, target_id, rubric_id, data.get("status", ""), reason)
    if action == "release_marking":
        return release(actor, target_id, rubric_id)
    if action == "override":
        return override(actor, target_id, rubric_id, data.get("score", ""), reason)
    if action == "undo_override":
        return undo_override(actor, target_id, rubric_id, reason)
    raise Invalid(_("Unknown action."))


# --- reading -------------------------------------------------------------------------------------


def history(marking):
    """Every change of a marking, oldest first: who, what, why."""
    return list(AuditEvent.objects.filter(placement=marking.placement_id, action__startswith="marking_",
                                          changes__marking=marking.pk).select_related("actor"))


def for_student(actor):
    """The student's released markings, newest first."""
    return list(Marking.objects.filter(placement__in=visible_placements(actor), placement__student=actor.person,
                                       status=Marking.RELEASED, entry__isnull=False).select_related("entry").order_by("-entry__date"))


def of_attempt(actor, attempt):
    """{target: marking} of a simulation attempt's answers and reflection; only released ones but for markers."""
    rows = Marking.objects.filter(Q(attempt=attempt, rubric=simulation.REFLECTION_RUBRIC)
                                  | Q(answer__attempt=attempt, rubric=simulation.ANSWER_RUBRIC))
    if not actor.supervises_course:
        rows = rows.filter(status=Marking.RELEASED)
    return {target("answer", m.answer_id) if m.answer_id else target("attempt", m.attempt_id): m for m in rows}


def of_recordings(actor, recordings):
    """{recording id: marking} of the process-recording rubric; only released ones but for markers."""
    rows = Marking.objects.filter(recording__in=[r.pk for r in recordings], rubric=RECORDING_RUBRIC)
    if not actor.supervises_course:
        rows = rows.filter(status=Marking.RELEASED)
    return {m.recording_id: m for m in rows}


def reflections(actor, placement):
    """The placement's handed-in reflections with their marking (if any), for the marker."""
    _require_marker(actor)
    entries = list(placement.entries.filter(status__in=MARKABLE_STATUSES).exclude(reflection=""))
    by_entry = {m.entry_id: m for m in Marking.objects.filter(entry__in=entries, rubric=REFLECTION_RUBRIC)}
    return [(entry, by_entry.get(entry.pk)) for entry in entries]
