"""Every shipped scenario is worth playing: long enough to be a case, with partial credit, an ethical
dilemma whose best answer depends on the case so far, and feedback that names the principle at stake."""
import re

import pytest
import yaml

from maydan.simulation import library
from maydan.simulation.conditions import compile_condition
from maydan.simulation.engine import Scenario
from maydan.simulation.validate import check_text

SHIPPED = sorted(library.shipped())
# The codes of ethics and the course's source paper, as feedback names them in each language.
CITED = {"en": re.compile(r"NASW|IFSW|course paper"), "ar": re.compile(r"NASW|IFSW|ورقة المقرر")}


def scenario(key):
    text, name = library.shipped()[key]
    return Scenario(yaml.safe_load(text))


@pytest.mark.parametrize("key", SHIPPED)
def test_each_shipped_scenario_passes_the_validator_and_runs_twenty_five_nodes_or_more(key):
    text, name = library.shipped()[key]
    assert check_text(text, name) == []
    assert len(scenario(key).nodes) >= 25


@pytest.mark.parametrize("key", SHIPPED)
def test_each_shipped_scenario_uses_partial_credit(key):
    """Several decisions have a choice that earns part of the best credit: a defensible second best."""
    found = scenario(key)
    partial = [nid for nid, node in found.nodes.items() if node["type"] == "choice"
               and any(0 < c.get("score", 0) < found.best(nid) for c in node["choices"])]
    assert len(partial) >= 3, partial


@pytest.mark.parametrize("key", SHIPPED)
def test_each_shipped_scenario_poses_a_dilemma_whose_best_answer_depends_on_the_variables(key):
    """Nodes sharing a `dilemma` offer the same choices; a branch on the variables decides which one the
    student meets; and the best choice is not the same in every version."""
    found = scenario(key)
    by_dilemma = {}
    for nid, node in found.nodes.items():
        if node.get("dilemma"):
            by_dilemma.setdefault(node["dilemma"], []).append(nid)
    assert by_dilemma, "no node names a dilemma"
    for name, versions in by_dilemma.items():
        assert len(versions) >= 2, name
        offered = [sorted(c["id"] for c in found.nodes[v]["choices"]) for v in versions]
        assert all(o == offered[0] for o in offered), f"{name}: every version offers the same choices"
        best = {frozenset(c["id"] for c in found.nodes[v]["choices"] if c.get("score", 0) == found.best(v))
                for v in versions}
        assert len(best) >= 2, f"{name}: the best choice is the same whatever happened before"
        gates = [n for n in found.nodes.values() if n["type"] == "branch"
                 and {b["next"] for b in n["branches"]} >= set(versions)]
        assert gates, f"{name}: no branch on the variables chooses between its versions"
        for gate in gates:
            assert all(compile_condition(b["if"], found._specs) for b in gate["branches"] if "if" in b)


@pytest.mark.parametrize("key", SHIPPED)
def test_every_choice_short_of_the_best_is_explained_by_the_principle_at_stake_in_both_languages(key):
    found = scenario(key)
    for nid, node in found.nodes.items():
        for choice in node.get("choices", []):
            if choice.get("score", 0) < found.best(nid):
                for language, cited in CITED.items():
                    feedback = choice.get("feedback", {}).get(language, "")
                    assert cited.search(feedback), f"{key} {nid}/{choice['id']} ({language}): {feedback!r}"


@pytest.mark.parametrize("key", SHIPPED)
def test_no_choice_is_a_throwaway(key):
    """A choice is a decision: each node offers at least two, and no choice repeats another's text."""
    found = scenario(key)
    for nid, node in found.nodes.items():
        if node["type"] == "choice" and not node.get("dilemma"):
            texts = [c["text"]["en"] for c in node["choices"]]
            assert len(set(texts)) == len(texts), nid
    decisions = [n for n in found.nodes.values() if n["type"] == "choice"]
    assert sum(len(n["choices"]) >= 2 for n in decisions) >= 0.9 * len(decisions)
