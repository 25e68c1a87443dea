"""Plays a validated case scenario: where the student is, what a choice does, what they scored.

Pure Python (no Django). A play is a `path` of steps from the start, each
{"node": id, "choice": id} or {"node": id, "text": True} for a free-text answer. The
state (current node and variables) follows from the path by replaying it, so saving a
play is saving its path, and undo is dropping its last step. Branch nodes are followed
automatically; the student only ever stands on a choice, free-text or ending node.

Scoring cannot be gamed by undo: a choice node's credit is that of the weakest choice the
student ever made there in the attempt (`undone` keeps the steps taken back).
"""
import json
from dataclasses import dataclass, field

from .conditions import compile_condition
from .validate import EPAS, ScenarioError, check, parse, safe_distances

DEFAULT_COMPETENCY_NAMES = {str(n): {"en": f"EPAS {n}", "ar": f"الكفاءة {n}"} for n in range(1, 10)}


@dataclass
class State:
    node: str
    variables: dict
    # Ids of the branch nodes passed through to get here (shown in the debrief path).
    passed: list = field(default_factory=list)


class Scenario:
    """A scenario that passed the validator, ready to play."""

    def __init__(self, data):
        problems = check(data)
        if problems:
            raise ScenarioError(problems)
        self.data = data
        self.id = data["id"]
        self.title = data["title"]
        self.summary = data.get("summary", {})
        self.feedback = data.get("feedback", "immediate")
        self.nodes = {node["id"]: node for node in data["nodes"]}
        self.start = data.get("start", data["nodes"][0]["id"])
        self.competency_names = {str(k): v for k, v in data["competencies"].items()} if "competencies" in data \
            else DEFAULT_COMPETENCY_NAMES
        self._specs = {name: spec if isinstance(spec, dict) else {"initial": spec}
                       for name, spec in data.get("variables", {}).items()}
        self._conditions = {}
        for node in data["nodes"]:
            if node["type"] == "branch":
                self._conditions[node["id"]] = [
                    (compile_condition(b["if"], self._specs) if "if" in b else None, b["next"]) for b in node["branches"]
                ]
        self._choices = {nid: {c["id"]: c for c in node.get("choices", [])} for nid, node in self.nodes.items()}
        self.distance = safe_distances(self.nodes)

    @classmethod
    def from_text(cls, text, name="scenario.yaml"):
        return cls(parse(text, name))

    # --- playing ------------------------------------------------------------------------------

    def begin(self):
        return self._settle(State(self.start, {n: s.get("initial", 0) for n, s in self._specs.items()}))

    def at(self, node_id, values=None):
        """The state standing on `node_id` with the given variable values (the others at their start,
        each kept within its min/max): where an author's preview begins. KeyError for an unknown node."""
        if node_id not in self.nodes:
            raise KeyError(node_id)
        variables = {n: s.get("initial", 0) for n, s in self._specs.items()}
        for name, value in (values or {}).items():
            if name in self._specs:
                spec = self._specs[name]
                variables[name] = max(spec.get("min", value), min(spec.get("max", value), value))
        return self._settle(State(node_id, variables))

    def _settle(self, state):
        """Follow branch nodes until the student stands where they act (validated: always ends)."""
        while self.nodes[state.node]["type"] == "branch":
            state.passed.append(state.node)
            state.node = next(target for test, target in self._conditions[state.node]
                              if test is None or test(state.variables))
        return state

    def node(self, state):
        return self.nodes[state.node]

    def choose(self, state, choice_id):
        """The state after choosing; KeyError if that choice is not offered here."""
        node = self.nodes[state.node]
        if node["type"] != "choice":
            raise KeyError(choice_id)
        choice = self._choices[state.node][choice_id]
        variables = dict(state.variables)
        for name, change in choice.get("effects", {}).items():
            spec = self._specs[name]
            value = variables[name] + change
            value = max(spec.get("min", value), min(spec.get("max", value), value))
            variables[name] = value
        return self._settle(State(choice["next"], variables))

    def answer(self, state):
        """The state after a free-text answer (its text is stored and graded elsewhere)."""
        node = self.nodes[state.node]
        if node["type"] != "free_text":
            raise KeyError(state.node)
        return self._settle(State(node["next"], dict(state.variables)))

    def step(self, state, step):
        return self.choose(state, step["choice"]) if "choice" in step else self.answer(state)

    def replay(self, path):
        """The state at the end of `path`; KeyError when the path does not fit the scenario."""
        state = self.begin()
        for step in path:
            if step.get("node") != state.node:
                raise KeyError(step.get("node"))
            state = self.step(state, step)
        return state

    def hint(self, node_id):
        """The author's hint for a node ({en, ar}), or None."""
        return self.nodes[node_id].get("hint")

    def finished(self, state):
        return self.nodes[state.node]["type"] == "ending"

    def guide(self, state):
        """A choice id that brings the student closer to an ending (None on other nodes)."""
        node = self.nodes[state.node]
        if node["type"] != "choice":
            return None
        return min(node["choices"], key=lambda c: self.distance.get(c["next"], float("inf")))["id"]

    # --- scoring ------------------------------------------------------------------------------

    def best(self, node_id):
        return max((c.get("score", 0) for c in self.nodes[node_id]["choices"]), default=0)

    def result(self, path, undone=()):
        """(score 0..1, {competency: share 0..1}) of a play, counting a node's weakest choice ever made."""
        weakest = {}
        for step in list(path) + list(undone):
            if "choice" in step:
                score = self._choices[step["node"]][step["choice"]].get("score", 0)
                weakest[step["node"]] = min(score, weakest.get(step["node"], score))
        earned = possible = 0.0
        per_competency = {}
        for step in path:
            if "choice" not in step:
                continue
            node = self.nodes[step["node"]]
            choice = self._choices[step["node"]][step["choice"]]
            best = self.best(step["node"])
            if best <= 0:
                continue
            share = max(0.0, weakest[step["node"]]) / best
            earned, possible = earned + share, possible + 1
            for tag in {str(t) for t in node.get("competencies", []) + choice.get("competencies", [])}:
                got, out_of = per_competency.get(tag, (0.0, 0))
                per_competency[tag] = (got + share, out_of + 1)
        score = earned / possible if possible else 1.0
        return round(score, 4), {tag: round(got / n, 4) for tag, (got, n) in sorted(per_competency.items())}

    def choice(self, node_id, choice_id):
        return self._choices[node_id][choice_id]

    def dump(self):
        return json.dumps(self.data, ensure_ascii=False, sort_keys=True)


def text(value, language):
    """The text of a {"en", "ar"} field in `language`, English when missing."""
    if isinstance(value, dict):
        return value.get(language) or value.get("en") or ""
    return value or ""


__all__ = ["EPAS", "Scenario", "ScenarioError", "State", "text"]
