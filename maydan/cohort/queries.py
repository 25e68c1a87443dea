"""What the cohort views read from the field log, the evaluations and the simulations.

Each function is one query (or a fixed few) over the whole cohort, whatever its size, and
returns plain dicts keyed by placement or student id. The other capabilities' models are
read here only, never written.
"""
from django.db.models import Max, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext as _

from .. import fieldlog, roles, vocab
from ..errors import Forbidden
from ..grading import content as grading_content
from ..models import Evaluation, LogEntry, SimulationAttempt
from . import rules

FINISHED = "finished"


def placements(actor):
    """The placements this actor may watch: course supervisors all of them, an agency supervisor theirs."""
    if actor.link_placement is not None or not (actor.supervises_course or actor.has(roles.AGENCY)):
        raise Forbidden(_("Only the field coordinator and supervisors may see the cohort."))
    return fieldlog.visible_placements(actor)


def _entries(placement_ids):
    return LogEntry.objects.filter(placement_id__in=placement_ids)


def totals(placement_ids):
    """{placement: {approved, pending, returned minutes, last_entry}}."""
    rows = _entries(placement_ids).values("placement_id").annotate(
        approved=Sum("minutes", filter=Q(status__in=vocab.APPROVED_STATUSES), default=0),
        pending=Sum("minutes", filter=Q(status=vocab.SUBMITTED), default=0),
        returned=Sum("minutes", filter=Q(status=vocab.RETURNED), default=0),
        last_entry=Max("date", filter=~Q(status__in=[vocab.WITHDRAWN, vocab.DRAFT])),
    )
    return {r.pop("placement_id"): r for r in rows}


def waiting(placement_ids, zone):
    """{placement: [day each entry waiting for approval was submitted, in the course's time zone]}."""
    found = {}
    rows = _entries(placement_ids).filter(status=vocab.SUBMITTED).values_list("placement_id", "submitted_at")
    for placement_id, sent in rows:
        found.setdefault(placement_id, []).append(sent.astimezone(zone).date() if sent else None)
    return found


def category_minutes(placement_ids):
    """{placement: {activity type or time kind: approved minutes}}."""
    found = {}
    rows = (_entries(placement_ids).filter(status__in=vocab.APPROVED_STATUSES)
            .values("placement_id", "activity_type", "time_kind").annotate(minutes=Sum("minutes")))
    for r in rows:
        mine = found.setdefault(r["placement_id"], {})
        for key in (r["activity_type"], r["time_kind"]):
            mine[key] = mine.get(key, 0) + r["minutes"]
    return found


def competency_minutes(placement_ids):
    """{placement: {competency "1".."9": approved minutes}}; an entry counts in each competency it names.

    Grouped by the stored list itself: a placement has few distinct combinations, so the
    database sends a few rows per student rather than every entry.
    """
    found = {}
    rows = (_entries(placement_ids).filter(status__in=vocab.APPROVED_STATUSES)
            .values("placement_id", "competencies").annotate(minutes=Sum("minutes")))
    for r in rows:
        mine = found.setdefault(r["placement_id"], {})
        for tag in {str(c) for c in (r["competencies"] or [])}:
            mine[tag] = mine.get(tag, 0) + r["minutes"]
    return found


def bunched(placement_ids):
    """{placement: (days over 12 h, weeks over 40 h)} of submitted time (not drafts or withdrawn).

    The same limits as `rules.bunched`, applied by the database so that only offending days
    and weeks come back rather than every day of every student.
    """
    logged = _entries(placement_ids).exclude(status__in=[vocab.WITHDRAWN, vocab.DRAFT])
    days = (logged.values("placement_id", "date").annotate(minutes=Sum("minutes"))
            .filter(minutes__gt=rules.MAX_DAY_MINUTES))
    weeks = (logged.annotate(week=TruncWeek("date")).values("placement_id", "week")
             .annotate(minutes=Sum("minutes")).filter(minutes__gt=rules.MAX_WEEK_MINUTES))
    found = {}
    for r in days:
        found.setdefault(r["placement_id"], ([], []))[0].append(r["date"])
    for r in weeks:
        week = r["week"].date() if hasattr(r["week"], "date") else r["week"]
        found.setdefault(r["placement_id"], ([], []))[1].append(week)
    return found


def evaluations(placement_ids):
    """{placement: [Evaluation with .sheets_list]}: every evaluation with both supervisors' sheets."""
    found = {}
    rows = (Evaluation.objects.filter(placement_id__in=placement_ids).prefetch_related("sheets")
            .order_by("placement_id", "form"))
    for evaluation in rows:
        evaluation.sheets_list = list(evaluation.sheets.all())
        found.setdefault(evaluation.placement_id, []).append(evaluation)
    return found


def simulations(course, student_ids):
    """{student: [finished attempts as dicts: scenario, number, score, competencies, finished_at]}."""
    found = {}
    rows = (SimulationAttempt.objects.filter(course=course, student_id__in=student_ids, status=FINISHED)
            .order_by("student_id", "scenario", "number")
            .values("student_id", "scenario", "number", "score", "competencies", "finished_at"))
    for r in rows:
        found.setdefault(r["student_id"], []).append(r)
    return found


def behaviour_competencies():
    """{form id: {behaviour id: competency id}} from the shipped evaluation forms."""
    return {form_id: {b.id: str(b.competency) for b in form.framework.behaviours}
            for form_id, form in grading_content.library().forms.items()}
