"""Accreditation evidence: for each student and competency, what was assessed and how.

Evaluation scores (agency side, academic side, final), simulation results tagged to the
competency and approved field hours, with flags where the evidence is thin; and the site
visits recorded for each placement.
"""
from dataclasses import dataclass, field

from django.core.paginator import Paginator

from .. import vocab
from ..fieldlog import hours
from ..grading import scoring
from ..visits import services as visits
from ..tallies import scores, sums
from . import queries, rules

SIDES = scoring.SIDES
COMPETENCIES = [str(c) for c in vocab.COMPETENCIES]
_KNOWN = frozenset(COMPETENCIES)


def _mean(values):
    """The mean of the numbers among `values` (None is N/O or missing), to two decimals; None if none."""
    numbers = [value for value in values if type(value) in (int, float)]  # not bool, a subclass of int
    return round(sum(numbers) / len(numbers), 2) if numbers else None


@dataclass(slots=True)
class Cell:
    competency: str
    # [{"form": id, "agency": mean, "academic": mean, "final": mean or None}]
    evaluations: list = field(default_factory=list)
    # [{"scenario": key, "number": n, "score": 0..1}]
    simulations: list = field(default_factory=list)
    minutes: int = 0
    flags: list = field(default_factory=list)

    @property
    def hours(self):
        return hours.hours(self.minutes)

    @property
    def final(self):
        return _mean([e["final"] for e in self.evaluations])

    @property
    def simulation_mean(self):
        return _mean([s["score"] for s in self.simulations])


@dataclass
class StudentEvidence:
    placement: object
    cells: list
    # (site visits recorded, the last one's day)
    visits: tuple = (0, None)

    @property
    def student(self):
        return self.placement.student

    @property
    def flagged(self):
        return sum(1 for c in self.cells if c.flags)


def report(actor, **filters):
    """[StudentEvidence] for the visible placements, in a fixed number of queries (each placement with its student;
    dashboard.with_people adds its agency and supervisors). Everyone's cells: a screen shows `page` instead."""
    return _evidence(actor, _chosen(actor, filters, joined=("student",)))


def _chosen(actor, filters, joined=()):
    from .dashboard import placements  # the same filters as the dashboard

    return placements(actor, agency=filters.get("agency", ""), supervisor=filters.get("supervisor", ""),
                      student=filters.get("student", ""), joined=joined)


def _evidence(actor, chosen):
    ids = chosen.values("pk")
    listed = list(chosen)
    minutes = sums.competencies(ids)
    evaluations = queries.evaluations(ids)
    simulations = queries.simulations(actor.course, chosen.values("student_id"), steps=False)
    mapping = queries.competency_behaviours()
    visited = visits.recorded(ids)
    return [StudentEvidence(p, cells(evaluations.get(p.pk, []), simulations.get(p.student_id, []),
                                     minutes.get(p.pk, {}), mapping), visited.get(p.pk, (0, None))) for p in listed]


def page(actor, number=None, *, size=50, **filters):
    """(a Django page of StudentEvidence for the students it shows, the cohort summary over every visible student,
    the ids of their supervisors), in a fixed number of queries whatever the cohort's size.

    Only the page's students get their cells from their evaluations' sheets; the summary reads each placement's
    evaluation means as kept (maydan.tallies.scores), its competency minutes (maydan.tallies.sums) and each
    student's tagged simulation results, and equals `cohort_summary(report(...))`.
    """
    chosen = _chosen(actor, filters)
    ids = chosen.values("pk")
    everyone = list(chosen.values_list("pk", "student_id", "academic_supervisor_id", "agency_supervisor_id"))
    minutes, finals = sums.competencies(ids), scores.stored(ids)
    simulations = queries.simulations(actor.course, chosen.values("student_id"), tags_only=True)
    summary = _summary(_kept_row(finals.get(pk, {}), simulations.get(student, ()), minutes.get(pk, {}))
                       for pk, student, _academic, _agency in everyone)
    supervisors = {pk for row in everyone for pk in row[2:]} - {None}
    shown = Paginator(everyone, size).get_page(number)
    shown.object_list = _evidence(actor, _chosen(actor, filters, joined=("student",)).filter(
        pk__in=[row[0] for row in shown.object_list]))
    return shown, summary, supervisors


def _kept_row(finals, simulations, minutes):
    """One student's [(flags, final, simulation mean, minutes)] per competency, as their Cells would give them,
    from the kept {competency: [evaluations, final mean]}, their finished attempts and competency minutes."""
    scores_ = {}
    for competency, _attempt, score in _tagged(simulations):
        scores_.setdefault(competency, []).append(score)
    row = []
    for competency in COMPETENCIES:
        evaluations, final = finals.get(competency, (0, None))
        tagged, spent = scores_.get(competency, ()), minutes.get(competency, 0)
        row.append((rules.evidence_flags(evaluations, len(tagged), spent), final, _mean(tagged) if tagged else None,
                    spent))
    return row


def cells(evaluations, simulations, minutes, mapping):
    """One Cell per competency from one student's evaluations (queries.evaluations), finished attempts
    and competency minutes; `mapping` is queries.competency_behaviours()."""
    return _cells(scored(evaluations, mapping), simulations, minutes)


def scored(evaluations, mapping):
    """{competency: [{"form", "agency", "academic", "final"}]}: each evaluation's mean score of the competency on
    each side and in its released final values (None where a side has none), for the evaluations that scored it."""
    found = {}
    for evaluation in evaluations:
        final = evaluation["final_values"] if evaluation["released_at"] is not None else None
        sources = [(side, evaluation["sheets"].get(side)) for side in SIDES] + [("final", final)]
        sources = [(name, values.get) for name, values in sources if values]
        form = evaluation["form"]
        for competency, ids in mapping.get(form, {}).items():
            if competency not in _KNOWN:
                continue
            means = {name: None for name in (*SIDES, "final")}
            for name, get in sources:
                means[name] = _mean(map(get, ids))
            if any(v is not None for v in means.values()):
                found.setdefault(competency, []).append({"form": form, **means})
    return found


def _tagged(simulations):
    """(competency, attempt, score) for each competency each finished attempt assessed."""
    for attempt in simulations:
        for tag, score in (attempt["competencies"] or {}).items():
            if str(tag) in _KNOWN:
                yield str(tag), attempt, score


def _cells(scored_, simulations, minutes):
    found = {c: Cell(c, scored_.get(c, []), [], minutes.get(c, 0)) for c in COMPETENCIES}
    for competency, attempt, score in _tagged(simulations):
        found[competency].simulations.append({"scenario": attempt["scenario"], "number": attempt["number"],
                                              "score": score})
    for cell in found.values():
        cell.flags = rules.evidence_flags(len(cell.evaluations), len(cell.simulations), cell.minutes)
    return list(found.values())


def tallied(evaluations, mapping):
    """{competency: [evaluations that scored it, their mean final score or None]} of one placement: what the
    cohort's summary reads of its evaluations, kept per placement (maydan.tallies.scores)."""
    return {cell.competency: [len(cell.evaluations), cell.final]
            for cell in _cells(scored(evaluations, mapping), (), {}) if cell.evaluations}


def cohort_summary(students):
    """Per competency: students flagged, mean final evaluation score, mean simulation score and approved hours."""
    return _summary([(c.flags, c.final, c.simulation_mean, c.minutes) for c in s.cells] for s in students)


def _summary(rows):
    """cohort_summary from each student's [(flags, final, simulation mean, minutes)] in the competencies' order."""
    columns = list(zip(*rows)) or [()] * len(COMPETENCIES)
    return [{
        "competency": competency,
        "flagged": sum(1 for flags, _f, _s, _m in column if flags),
        "final": _mean([final for _flags, final, _s, _m in column]),
        "simulation": _mean([simulation for _flags, _f, simulation, _m in column]),
        "hours": hours.hours(sum(spent for _flags, _f, _s, spent in column)),
    } for competency, column in zip(COMPETENCIES, columns)]
