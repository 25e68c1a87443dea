"""Scoring math: checking a filled form, reconciling two supervisors' scores, rubric totals.

Pure Python: no Django. `None` stands for N/O ("not observed") wherever a value is expected.
Messages are codes; the services turn them into sentences in the reader's language.
"""
from dataclasses import dataclass

AGENCY, ACADEMIC = "agency", "academic"
SIDES = (AGENCY, ACADEMIC)
WEIGHTED_MEAN, MINIMUM, MODERATOR = "weighted_mean", "minimum", "moderator"
RULES = (WEIGHTED_MEAN, MINIMUM, MODERATOR)
NOT_OBSERVED = "NO"


@dataclass(frozen=True)
class Rule:
    """A course's reconciliation rule.

    weighted_mean: each side counts by its weight. minimum: the lower value. moderator: the
    weighted mean while the two are within `threshold` of each other; beyond it, a moderator
    decides. In every rule, a behaviour one side did not observe takes the other side's value,
    and one that neither observed stays N/O and is left out of the score.
    """

    kind: str = WEIGHTED_MEAN
    agency_weight: float = 1.0
    academic_weight: float = 1.0
    threshold: float = 1.0

    def problems(self):
        found = []
        if self.kind not in RULES:
            found.append("rule")
        if not (self.agency_weight >= 0 and self.academic_weight >= 0 and self.agency_weight + self.academic_weight > 0):
            found.append("weights")
        if not self.threshold >= 0:
            found.append("threshold")
        return found


@dataclass(frozen=True)
class Outcome:
    value: float | None  # None: N/O, or waiting for the moderator
    needs_decision: bool = False


def reconcile(agency, academic, rule):
    """The final value of one behaviour from the two supervisors' values (None = N/O)."""
    if agency is None or academic is None:
        return Outcome(academic if agency is None else agency)
    if rule.kind == MINIMUM:
        return Outcome(min(agency, academic))
    if rule.kind == MODERATOR and abs(agency - academic) > rule.threshold:
        return Outcome(None, needs_decision=True)
    total = rule.agency_weight + rule.academic_weight
    return Outcome(round((agency * rule.agency_weight + academic * rule.academic_weight) / total, 4))


def reconcile_all(agency_values, academic_values, rule, decisions=None):
    """{behaviour: Outcome} for every behaviour either side scored; a moderator's decision fills a gap."""
    decisions = decisions or {}
    outcomes = {}
    for key in list(dict.fromkeys([*agency_values, *academic_values])):
        outcome = reconcile(agency_values.get(key), academic_values.get(key), rule)
        if outcome.needs_decision and decisions.get(key) is not None:
            outcome = Outcome(decisions[key])
        outcomes[key] = outcome
    return outcomes


def form_score(values, scale_max):
    """The grade (0..1) of a form's final values: mean of the observed values over the scale's top.

    None when nothing was observed (no grade rather than a zero).
    """
    observed = [v for v in values if v is not None]
    if not observed or scale_max <= 0:
        return None
    return round(sum(observed) / len(observed) / scale_max, 4)


def parse_value(raw, scale):
    """A posted scale value: an int on the scale, None for N/O; ValueError otherwise."""
    raw = str(raw if raw is not None else "").strip()
    if raw.upper() in (NOT_OBSERVED, "N/O"):
        return None
    value = int(raw)  # ValueError on junk
    if scale.level(value) is None:
        raise ValueError(raw)
    return value


def check_answers(form, values, comments):
    """[(field, code)] of what is wrong with a filled form; [] when it may be submitted.

    values: {behaviour id: int or None (N/O)}; comments: {competency id or "overall": text}.
    Every behaviour needs a value. N/O, and a level marked comment_required, need a comment on
    the behaviour's competency.
    """
    problems = []
    for competency in form.framework.competencies:
        needs_comment = False
        for behaviour in competency.behaviours:
            if behaviour.id not in values:
                problems.append((f"value_{behaviour.id}", "missing"))
                continue
            value = values[behaviour.id]
            if value is None:
                needs_comment = True
            elif form.scale.level(value) is None:
                problems.append((f"value_{behaviour.id}", "off_scale"))
            elif form.scale.level(value).comment_required:
                needs_comment = True
        if needs_comment and not (comments.get(competency.id) or "").strip():
            problems.append((f"comment_{competency.id}", "comment_required"))
    return problems


def rubric_score(rubric, choices):
    """(points, fraction 0..1) of chosen points per criterion; ValueError naming a bad criterion."""
    total = 0
    for criterion in rubric.criteria:
        points = choices.get(criterion.id)
        if points is None or points not in {level.points for level in criterion.levels}:
            raise ValueError(criterion.id)
        total += points
    return total, round(total / rubric.max_points, 4)
