"""The four course case scenarios: what a teacher is promised of each, and that each can be played through."""
from pathlib import Path

import pytest
import yaml

from maydan import privacy
from maydan.simulation.engine import Scenario
from maydan.simulation.validate import check_file

LIBRARY = Path(__file__).resolve().parents[2] / "course_content" / "scenarios"
COURSE_SCENARIOS = ["etherapy-chat", "home-visit-remote", "ngo-advocacy-orphans", "edonations-privacy"]


def _data(key):
    return yaml.safe_load((LIBRARY / f"{key}.yaml").read_text(encoding="utf-8"))


def _texts(value):
    """Every {en, ar} text in a scenario, wherever it is (a media file named per language is no text)."""
    if isinstance(value, dict):
        if set(value) == {"en", "ar"}:
            yield value
        else:
            for key, item in value.items():
                if key not in ("src", "captions"):
                    yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


@pytest.mark.parametrize("key", COURSE_SCENARIOS)
def test_each_course_scenario_validates_and_has_what_the_course_promises(key):
    assert check_file(LIBRARY / f"{key}.yaml") == []
    data = _data(key)
    assert data["id"] == key
    nodes = data["nodes"]
    assert len(nodes) >= 15
    assert {n["phase"] for n in nodes} == {"study", "diagnosis", "treatment"}
    assert data["variables"]
    kinds = [n["type"] for n in nodes]
    assert kinds.count("ending") >= 3 and "free_text" in kinds
    assert any("if" in b for n in nodes if n["type"] == "branch" for b in n["branches"])
    choices = [c for n in nodes for c in n.get("choices", [])]
    assert all("feedback" in c for c in choices), "every choice explains itself"
    tags = {str(t) for n in nodes for t in n.get("competencies", [])}
    tags |= {str(t) for c in choices for t in c.get("competencies", [])}
    assert tags <= {str(n) for n in range(1, 10)} and len(tags) >= 5
    outcomes = {n.get("outcome") for n in nodes if n["type"] == "ending"}
    assert {"good", "poor"} <= outcomes


@pytest.mark.parametrize("key", COURSE_SCENARIOS)
def test_every_text_is_in_both_languages_and_names_no_client(key):
    for text in _texts(_data(key)):
        assert text["en"].strip() and text["ar"].strip()
        # Arabic text is Arabic: most letters are from the Arabic block, not a copy of the English.
        letters = [ch for ch in text["ar"] if ch.isalpha()]
        assert sum("\u0600" <= ch <= "\u06ff" for ch in letters) > 0.7 * len(letters), text["ar"]
        for language in ("en", "ar"):
            assert privacy.find_identifiers(text[language]) == [], text[language]


@pytest.mark.parametrize("key", COURSE_SCENARIOS)
def test_every_ending_is_reached_by_some_play(key):
    """Walk every sequence of choices (free text answered): each ending is met on some path. Where a play
    goes next depends only on its node and variables, so each such state is walked once."""
    scenario = Scenario(_data(key))
    endings = {nid for nid, node in scenario.nodes.items() if node["type"] == "ending"}
    met, stack, seen = set(), [scenario.begin()], set()
    while stack:
        state = stack.pop()
        visit = (state.node, tuple(sorted(state.variables.items())))
        if visit in seen:
            continue
        seen.add(visit)
        node = scenario.node(state)
        if node["type"] == "ending":
            met.add(state.node)
        elif node["type"] == "free_text":
            stack.append(scenario.answer(state))
        else:
            stack.extend(scenario.choose(state, c["id"]) for c in node["choices"])
    assert met == endings
