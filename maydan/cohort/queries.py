"""What the cohort views read from the field log, the evaluations and the simulations.

Each function is one query (or a fixed few) over the whole cohort, whatever its size, and
returns plain dicts keyed by placement or student id. The other capabilities' models are
read here only, never written.
"""
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Func, IntegerField, Max, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext as _

from .. import fieldlog, roles, vocab
from ..errors import Forbidden
from ..grading import content as grading_content
from ..models import Evaluation, LogEntry, Scoresheet, SimulationAttempt
from . import rules

FINISHED = "finished"


def placements(actor):
    """The placements this actor may watch: course supervisors all of them, an agency supervisor theirs."""
    if actor.link_placement is not None or not (actor.supervises_course or actor.has(roles.AGENCY)):
        raise Forbidden(_("Only the field coordinator and supervisors may see the cohort."))
    return fieldlog.visible_placements(actor)


def _entries(placement_ids):
    return LogEntry.objects.filter(placement_id__in=placement_ids)


def totals(placement_ids, today, zone):
    """({placement: {approved, pending, returned minutes, last_entry, overdue}},
    {placement: {activity type or time kind: approved minutes}}), from one pass over the entries.

    overdue: entries waiting for approval since before `rules.overdue_before(today)` in the course's zone.
    """
    cutoff = datetime.combine(rules.overdue_before(today), time(0), zone)
    rows = _entries(placement_ids).values("placement_id", "activity_type", "time_kind").annotate(
        approved=Sum("minutes", filter=Q(status__in=vocab.APPROVED_STATUSES), default=0),
        pending=Sum("minutes", filter=Q(status=vocab.SUBMITTED), default=0),
        returned=Sum("minutes", filter=Q(status=vocab.RETURNED), default=0),
        last_entry=Max("date", filter=~Q(status__in=[vocab.WITHDRAWN, vocab.DRAFT])),
        overdue=Count("id", filter=Q(status=vocab.SUBMITTED, submitted_at__lt=cutoff)),
    ).order_by()
    sums, categories = {}, {}
    for r in rows:
        mine = sums.setdefault(r["placement_id"], {"approved": 0, "pending": 0, "returned": 0, "last_entry": None,
                                                   "overdue": 0})
        for key in ("approved", "pending", "returned", "overdue"):
            mine[key] += r[key]
        if r["last_entry"] is not None and (mine["last_entry"] is None or r["last_entry"] > mine["last_entry"]):
            mine["last_entry"] = r["last_entry"]
        if r["approved"]:
            kinds = categories.setdefault(r["placement_id"], {})
            for key in (r["activity_type"], r["time_kind"]):
                kinds[key] = kinds.get(key, 0) + r["approved"]
    return sums, categories


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
    weeks = (logged.annotate(week=WeekNumber("date")).values("placement_id", "week")
             .annotate(minutes=Sum("minutes")).filter(minutes__gt=rules.MAX_WEEK_MINUTES))
    found = {}
    for r in days:
        found.setdefault(r["placement_id"], ([], []))[0].append(r["date"])
    for r in weeks:
        found.setdefault(r["placement_id"], ([], []))[1].append(WeekNumber.monday(r["week"]))
    return found


class WeekNumber(Func):
    """Weeks (Monday to Sunday) since Monday 3 January 2000, in plain SQL arithmetic.

    Django's TruncWeek runs a Python function per row on SQLite, which costs more than the
    whole dashboard's other queries together on a large cohort.
    """

    EPOCH = date(2000, 1, 3)
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template=(
            "CAST((julianday(%(expressions)s) - julianday('2000-01-03')) / 7 AS INTEGER)"), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="FLOOR((%(expressions)s - DATE '2000-01-03') / 7.0)::integer",
                           **extra)

    def as_sql(self, compiler, connection, template=None, **extra):
        if template is None:  # any other database: Django's own week truncation, turned into a number by the caller
            return TruncWeek(*self.source_expressions).as_sql(compiler, connection)
        return super().as_sql(compiler, connection, template=template, **extra)

    @classmethod
    def monday(cls, value):
        if isinstance(value, int):
            return cls.EPOCH + timedelta(weeks=value)
        return value.date() if hasattr(value, "date") else value


def evaluations(placement_ids):
    """{placement: [{form, final_values, released_at, sheets: {side: values}}]}: every evaluation with
    the scores of each supervisor who submitted theirs. Plain values, two queries."""
    found, by_id = {}, {}
    rows = (Evaluation.objects.filter(placement_id__in=placement_ids).order_by("placement_id", "form")
            .values("id", "placement_id", "form", "final_values", "released_at"))
    for row in rows:
        row["sheets"] = by_id[row["id"]] = {}
        found.setdefault(row["placement_id"], []).append(row)
    sheets = (Scoresheet.objects.filter(evaluation__placement_id__in=placement_ids, submitted_at__isnull=False)
              .values_list("evaluation_id", "side", "values"))
    for evaluation_id, side, values in sheets:
        by_id[evaluation_id][side] = values
    return found


def simulations(course, student_ids, *, steps=True):
    """{student: [finished attempts as dicts: scenario, number, score, competencies, finished_at, and with `steps`
    the path and the steps undone (long lists the evidence report does not read)]}."""
    found = {}
    # Practice attempts are formative: only assessment attempts count as evidence.
    fields = ["student_id", "scenario", "number", "score", "competencies", "finished_at"] + (
        ["path", "undone"] if steps else [])
    rows = (SimulationAttempt.objects.filter(course=course, student_id__in=student_ids, status=FINISHED,
                                             mode="assessment")
            .order_by("student_id", "scenario", "number").values(*fields))
    for r in rows:
        found.setdefault(r["student_id"], []).append(r)
    return found


def competency_behaviours():
    """{form id: {competency id: [behaviour ids]}} from the shipped evaluation forms."""
    found = {}
    for form_id, form in grading_content.library().forms.items():
        for behaviour in form.framework.behaviours:
            found.setdefault(form_id, {}).setdefault(str(behaviour.competency), []).append(behaviour.id)
    return found
