"""A student's case simulations as evidence of each competency: "simulated practice" beside the real.

What the evaluation form shows supervisors beside each competency's scale, from the same finished
assessment attempts the accreditation evidence report counts (maydan.cohort.evidence): the
scenarios, the student's share of the best credit for the competency, and the choices that fell
short of the best, each with the author's feedback on it.
"""
from ..cohort import queries
from ..errors import Refused
from . import library
from .engine import text


def simulation_evidence(course, student, language="ar"):
    """{competency: {"attempts": [{scenario, title, number, score}], "weak": [{title, situation, choice,
    feedback, times}]}} for the competencies the student's finished assessment attempts assessed."""
    found = {}
    for attempt in queries.simulations(course, [student.pk]).get(student.pk, []):
        try:
            scenario = library.get(course, attempt["scenario"])
        except Refused:  # a scenario taken away or no longer valid: its scores still stand
            scenario = None
        title = text(scenario.title, language) if scenario else attempt["scenario"]
        for tag, score in sorted((attempt["competencies"] or {}).items()):
            found.setdefault(str(tag), {"attempts": [], "weak": []})["attempts"].append(
                {"scenario": attempt["scenario"], "title": title, "number": attempt["number"], "score": score})
        if scenario is not None:
            for tag, weak in _weak_choices(scenario, attempt, language):
                _count(found.setdefault(tag, {"attempts": [], "weak": []})["weak"], dict(weak, title=title))
    return found


def _weak_choices(scenario, attempt, language):
    """(competency, weak choice) for each choice below its node's best, taken back ones too (they count)."""
    for step in list(attempt["path"] or []) + list(attempt["undone"] or []):
        if "choice" not in step or step["node"] not in scenario.nodes:
            continue
        node = scenario.nodes[step["node"]]
        choice = next((c for c in node.get("choices", []) if c["id"] == step["choice"]), None)
        if choice is None or choice.get("score", 0) >= scenario.best(step["node"]):
            continue
        weak = {"key": (attempt["scenario"], step["node"], step["choice"]), "situation": text(node["text"], language),
                "choice": text(choice["text"], language), "feedback": text(choice.get("feedback"), language)}
        for tag in sorted({str(t) for t in node.get("competencies", []) + choice.get("competencies", [])}):
            yield tag, weak


def _count(rows, weak):
    same = next((row for row in rows if row["key"] == weak["key"]), None)
    if same is None:
        rows.append(dict(weak, times=1))
    else:
        same["times"] += 1
