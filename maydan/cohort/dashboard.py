"""The cohort at a glance: every student's hours, pace, evidence so far and alerts.

Built from a fixed number of queries (maydan.cohort.queries), whatever the cohort's size; each
placement's hours are read from its tally (maydan.tallies), not summed from its entries.
"""
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, prefetch_related_objects
from django.utils import timezone

from .. import fieldlog, vocab
from ..fieldlog import hours
from ..visits import services as visits
from ..models import Evaluation, SimulationAttempt
from ..parse import optional_id
from ..tallies import sums
from . import queries, rules

STATUSES = ("behind", "alerts", "on_track", "complete")
FILTERS = ("agency", "supervisor", "status", "student")


@dataclass
class Row:
    placement: object
    bar: hours.Bar
    categories: dict = field(default_factory=dict)
    competencies: dict = field(default_factory=dict)
    last_entry: object = None
    evaluations_done: int = 0
    simulations_done: int = 0
    alerts: rules.Alerts = field(default_factory=rules.Alerts)
    # (site visits recorded, the last one's day)
    visits: tuple = (0, None)

    @property
    def student(self):
        return self.placement.student

    @property
    def status(self):
        if self.bar.complete:
            return "complete"
        return "behind" if self.alerts.behind else "on_track"

    def category_hours(self):
        """[(key, hours)] for every activity type and time kind, in the vocabulary's order."""
        keys = [*vocab.TIME_KINDS, *vocab.ACTIVITY_TYPES]
        return [(key, hours.hours(self.categories.get(key, 0))) for key in keys]

    def competency_hours(self):
        return [(str(c), hours.hours(self.competencies.get(str(c), 0))) for c in vocab.COMPETENCIES]


def today_in(course):
    return timezone.now().astimezone(ZoneInfo(course.time_zone or "Africa/Cairo")).date()


PEOPLE = ("host_agency", "academic_supervisor", "agency_supervisor")
ROWS = ("student", "tally")


def placements(actor, *, agency="", supervisor="", student="", placement=None, joined=ROWS + PEOPLE):
    """The visible placements, filtered (`placement`: that one only), with the `joined` relations: by default
    everything a row shows; a long list joins fewer and `with_people` adds the rest to the page shown."""
    found = queries.placements(actor)
    found = found.select_related(*joined) if joined else found
    if placement is not None:
        found = found.filter(pk=optional_id(placement) or 0)
    if (agency_id := optional_id(agency)) is not None:
        found = found.filter(host_agency_id=agency_id)
    if (supervisor_id := optional_id(supervisor)) is not None:
        found = found.filter(Q(academic_supervisor_id=supervisor_id) | Q(agency_supervisor_id=supervisor_id))
    if student:
        found = found.filter(student__name__icontains=student)
    return found.order_by("student__name", "student__subject", "pk")  # pk: one order for every query of them


def with_people(shown):
    """Loads the agency and both supervisors of these placements (the page a screen shows), in three queries."""
    prefetch_related_objects(list(shown), *PEOPLE)


def rows(actor, *, agency="", supervisor="", status="", student="", placement=None, today=None):
    """One Row per visible placement (filtered by agency, supervisor, status; or `placement` alone), in a fixed
    number of queries. Each placement comes with its student and tally; a screen adds `with_people` to its page."""
    course = actor.course
    today = today or today_in(course)
    chosen = placements(actor, agency=agency, supervisor=supervisor, student=student, placement=placement,
                        joined=ROWS)
    ids = chosen.values("pk")
    listed = list(chosen)
    overdue = queries.overdue(ids, today, ZoneInfo(course.time_zone or "Africa/Cairo"))
    evaluations = dict(Evaluation.objects.filter(placement_id__in=ids, status=Evaluation.RELEASED)
                       .values("placement_id").annotate(n=Count("id")).values_list("placement_id", "n"))
    simulations = dict(SimulationAttempt.objects.filter(course=course, status=queries.FINISHED,
                                                        student_id__in=chosen.values("student_id"))
                       .values("student_id").annotate(n=Count("id")).values_list("student_id", "n"))
    visits_done = visits.recorded(ids)
    # The liaison's alert: the agency supervisor's dashboard does not carry it.
    no_visit = visits.missing(course, listed, today, visits_done) if actor.supervises_course else set()
    result = []
    for placement in listed:
        placement.course = course
        target = fieldlog.target_hours(placement)
        tally = sums.of(placement)
        bar = hours.Bar("total", float(target), tally.approved_minutes, tally.pending_minutes, tally.returned_minutes)
        alerts = rules.Alerts(
            behind=rules.behind_schedule(bar.approved_minutes, target, placement.starts_on, placement.ends_on, today),
            bunched_days=sums.days(tally.bunched_days), bunched_weeks=sums.days(tally.bunched_weeks),
            overdue=overdue.get(placement.pk, 0), no_visit=placement.pk in no_visit,
        )
        row = Row(placement, bar, tally.categories, tally.competencies, tally.last_entry, evaluations.get(placement.pk, 0),
                  simulations.get(placement.student_id, 0), alerts, visits_done.get(placement.pk, (0, None)))
        if _matches(row, status):
            result.append(row)
    return result


def _matches(row, status):
    if status == "alerts":
        return bool(row.alerts)
    return not status or status not in STATUSES or row.status == status


def summary(rows_):
    """Cohort figures for the charts: approved hours per category and per competency, alerts by kind."""
    categories, competencies, alerts = {}, {}, {}
    for row in rows_:
        for key, value in row.categories.items():
            categories[key] = categories.get(key, 0) + value
        for key, value in row.competencies.items():
            competencies[key] = competencies.get(key, 0) + value
        for kind in row.alerts.kinds:
            alerts[kind] = alerts.get(kind, 0) + 1
    return {"categories": categories, "competencies": competencies, "alerts": alerts, "students": len(rows_)}
