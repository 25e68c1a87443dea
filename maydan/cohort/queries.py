"""What the cohort views read from the field log, the evaluations and the simulations.

Each function is one query (or a fixed few) over the whole cohort, whatever its size, and
returns plain dicts keyed by placement or student id. Hours come from the placements' tallies
(maydan.tallies), kept as entries change, not from summing the entries on each view. The other
capabilities' models are read here only, never written.
"""
from datetime import datetime, time

from django.apps import apps as live_apps
from django.db.models import Count
from django.utils.translation import gettext as _

from .. import fieldlog, roles, vocab
from ..errors import Forbidden
from ..grading import content as grading_content
from ..models import LogEntry, SimulationAttempt
from . import rules

FINISHED = "finished"


def placements(actor):
    """The placements this actor may watch: course supervisors all of them, an agency supervisor theirs."""
    if actor.link_placement is not None or not (actor.supervises_course or actor.has(roles.AGENCY)):
        raise Forbidden(_("Only the field coordinator and supervisors may see the cohort."))
    return fieldlog.visible_placements(actor)


def overdue(placement_ids, today, zone):
    """{placement: entries waiting for approval since before `rules.overdue_before(today)` in the course's zone}.

    Read from the index of the entries waiting (a small part of the course's), as it depends on the day.
    The other sums are kept per placement as entries change (maydan.tallies).
    """
    cutoff = datetime.combine(rules.overdue_before(today), time(0), zone)
    return dict(LogEntry.objects.filter(placement_id__in=placement_ids, status=vocab.SUBMITTED, submitted_at__lt=cutoff)
                .order_by().values("placement_id").annotate(n=Count("*")).values_list("placement_id", "n"))


def evaluations(placement_ids, *, using="default", apps=None):
    """{placement: [{form, final_values, released_at, sheets: {side: values}}]}: every evaluation with
    the scores of each supervisor who submitted theirs. Plain values, two queries. `apps`: a migration's
    historical models (the live ones by default)."""
    models_ = apps or live_apps
    Evaluation_, Scoresheet_ = models_.get_model("maydan", "Evaluation"), models_.get_model("maydan", "Scoresheet")
    found, by_id = {}, {}
    rows = (Evaluation_._base_manager.using(using).filter(placement_id__in=placement_ids)
            .order_by("placement_id", "form").values("id", "placement_id", "form", "final_values", "released_at"))
    for row in rows:
        row["sheets"] = by_id[row["id"]] = {}
        found.setdefault(row["placement_id"], []).append(row)
    sheets = (Scoresheet_._base_manager.using(using)
              .filter(evaluation__placement_id__in=placement_ids, submitted_at__isnull=False)
              .values_list("evaluation_id", "side", "values"))
    for evaluation_id, side, values in sheets:
        by_id[evaluation_id][side] = values
    return found


def simulations(course, student_ids, *, steps=True, tags_only=False):
    """{student: [finished attempts as dicts: scenario, number, score, competencies, finished_at, and with `steps`
    the path and the steps undone (long lists the evidence report does not read)]}; with `tags_only`, each
    attempt's competencies alone (what the cohort's summary reads), in the same order."""
    found = {}
    # Practice attempts are formative: only assessment attempts count as evidence.
    fields = ["student_id", "competencies"] if tags_only else (
        ["student_id", "scenario", "number", "score", "competencies", "finished_at"] + (
            ["path", "undone"] if steps else []))
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
