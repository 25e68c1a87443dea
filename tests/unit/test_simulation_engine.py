"""The scenario engine and validator: what an author and a student would notice."""
import copy
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from lti_tool import cli
from maydan.simulation import validate as v
from maydan.simulation.conditions import ConditionError, compile_condition
from maydan.simulation.engine import Scenario

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "course_content" / "scenarios"
SCHEMA = json.loads((ROOT / "maydan" / "simulation" / "scenario.schema.json").read_text())
DEMO = LIBRARY / "etherapy-anxious.yaml"


def t(word):
    return {"en": word, "ar": "نص " + word}


def small():
    """A valid three-node scenario: a choice, a branch, two endings."""
    return {
        "id": "mini",
        "title": t("Mini"),
        "variables": {"rapport": 0},
        "nodes": [
            {"id": "a", "type": "choice", "phase": "study", "text": t("a"), "choices": [
                {"id": "warm", "text": t("warm"), "feedback": t("good"), "score": 2, "competencies": [6],
                 "effects": {"rapport": 2}, "next": "b"},
                {"id": "cold", "text": t("cold"), "score": 0, "competencies": [6], "effects": {"rapport": -1},
                 "next": "b"},
            ]},
            {"id": "b", "type": "branch", "phase": "diagnosis",
             "branches": [{"if": "rapport >= 2", "next": "good"}, {"next": "poor"}]},
            {"id": "good", "type": "ending", "phase": "treatment", "outcome": "good", "text": t("g")},
            {"id": "poor", "type": "ending", "phase": "treatment", "outcome": "poor", "text": t("p")},
        ],
    }


def kinds(data):
    return {(p.kind, p.node) for p in v.check(data)}


# --- one test per kind of problem ---------------------------------------------------------


def test_a_valid_scenario_has_no_problem_and_fits_the_published_schema():
    assert v.check(small()) == []
    jsonschema.validate(small(), SCHEMA)


def test_duplicate_node_id():
    data = small()
    data["nodes"].append(dict(data["nodes"][2]))
    assert (v.DUPLICATE, "good") in kinds(data)


def test_unknown_target():
    data = small()
    data["nodes"][0]["choices"][1]["next"] = "nowhere"
    problems = v.check(data)
    assert [(p.kind, p.node) for p in problems] == [(v.UNKNOWN_TARGET, "a")]
    assert "'nowhere'" in problems[0].reason


def test_unreachable_node():
    data = small()
    data["nodes"].append({"id": "island", "type": "ending", "phase": "study", "text": t("i")})
    assert kinds(data) == {(v.UNREACHABLE, "island")}


def test_dead_end_when_a_loop_has_no_way_out():
    data = small()
    data["nodes"][0]["choices"].append({"id": "trap", "text": t("trap"), "next": "loop"})
    data["nodes"].append({"id": "loop", "type": "choice", "phase": "study", "text": t("l"),
                          "choices": [{"id": "again", "text": t("again"), "next": "loop"}]})
    assert kinds(data) == {(v.DEAD_END, "loop")}


def test_dead_end_when_a_branch_may_lead_into_a_trap_even_if_another_branch_ends():
    data = small()
    data["nodes"][1]["branches"].insert(0, {"if": "rapport < 0", "next": "loop"})
    data["nodes"].append({"id": "loop", "type": "choice", "phase": "study", "text": t("l"),
                          "choices": [{"id": "again", "text": t("again"), "next": "loop"}]})
    assert kinds(data) == {(v.DEAD_END, "b"), (v.DEAD_END, "loop"), (v.DEAD_END, "a")}


def test_dead_end_when_a_branch_has_no_otherwise():
    data = small()
    data["nodes"][1]["branches"] = [{"if": "rapport >= 2", "next": "good"}]
    assert (v.DEAD_END, "b") in kinds(data)


def test_missing_translation():
    data = small()
    del data["nodes"][3]["text"]["ar"]
    data["nodes"][0]["choices"][0]["feedback"]["en"] = "  "
    problems = v.check(data)
    assert {(p.kind, p.node) for p in problems} == {(v.TRANSLATION, "poor"), (v.TRANSLATION, "a")}
    assert any("Arabic (ar)" in p.reason for p in problems)


@pytest.mark.parametrize("condition", [
    "__import__('os').system('id')", "rapport.real > 1", "len(x) > 1", "rapport >", "trust > 1", "rapport ** 99",
    "[1] == [1]", "'a' < 'b'", "rapport if 1 else 2",
])
def test_bad_condition_is_refused_never_evaluated(condition):
    data = small()
    data["nodes"][1]["branches"][0]["if"] = condition
    assert kinds(data) == {(v.CONDITION, "b")}


def test_unknown_competency():
    data = small()
    data["nodes"][0]["choices"][0]["competencies"] = [6, 12]
    assert kinds(data) == {(v.COMPETENCY, "a")}


def test_a_scenario_may_declare_its_own_competency_framework():
    data = small()
    data["competencies"] = {"engage": t("Engage")}
    assert kinds(data) == {(v.COMPETENCY, "a")}     # 6 is no longer in the framework
    for choice in data["nodes"][0]["choices"]:
        choice["competencies"] = ["engage"]
    assert v.check(data) == []


def test_unknown_variable_in_an_effect():
    data = small()
    data["nodes"][0]["choices"][0]["effects"] = {"trust": 1}
    assert kinds(data) == {(v.VARIABLE, "a")}


def test_structure_problems_are_named():
    data = small()
    data["nodes"][0]["phase"] = "planning"
    data["nodes"][2]["type"] = "finale"
    assert kinds(data) == {(v.STRUCTURE, "a"), (v.STRUCTURE, "good")}


# --- the condition language ----------------------------------------------------------------


def test_conditions_read_variables_and_arithmetic():
    test = compile_condition("rapport + trust * 2 >= 5 and not risk > 2 or rapport == -1", {"rapport", "trust", "risk"})
    assert test({"rapport": 1, "trust": 2, "risk": 0}) is True
    assert test({"rapport": 1, "trust": 2, "risk": 3}) is False
    assert test({"rapport": -1, "trust": 0, "risk": 9}) is True
    with pytest.raises(ConditionError, match="unknown variable 'x'"):
        compile_condition("x > 1", {"rapport"})


# --- files, lines, the command --------------------------------------------------------------


def test_problems_carry_the_line_of_the_node_in_yaml_and_json(tmp_path):
    data = small()
    data["nodes"][0]["choices"][0]["competencies"] = [42]
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    (tmp_path / "b.json").write_text(json.dumps(data, indent=2, ensure_ascii=False))
    results = v.check_path(tmp_path)
    yaml_problem, json_problem = results[tmp_path / "a.yaml"][0], results[tmp_path / "b.json"][0]
    lines = (tmp_path / "a.yaml").read_text().splitlines()
    assert "id: a" in lines[yaml_problem.line - 1]
    assert '"id": "a"' in (tmp_path / "b.json").read_text().splitlines()[json_problem.line - 1]
    assert yaml_problem.format(tmp_path / "a.yaml") == (
        f"{tmp_path / 'a.yaml'}:{yaml_problem.line}: node a: competency 42 is not in the scenario's framework"
    )


def test_maydan_validate_exits_non_zero_with_file_node_and_reason(tmp_path, capsys):
    broken = small()
    broken["nodes"][0]["choices"][1]["next"] = "nowhere"
    (tmp_path / "ok.yaml").write_text(yaml.safe_dump(small(), allow_unicode=True))
    (tmp_path / "broken.json").write_text(json.dumps(broken))
    (tmp_path / "bad.yaml").write_text("id: [unclosed\n")
    assert cli.main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"{tmp_path / 'broken.json'}:1: node a: leads to 'nowhere', which is not a node" in out
    assert any(line.startswith(f"{tmp_path / 'bad.yaml'}:") and "not valid YAML" in line for line in out)
    assert cli.main(["validate", str(tmp_path / "ok.yaml")]) == 0
    assert cli.main(["validate", str(tmp_path / "missing")]) == 2


def test_the_library_is_valid_and_fits_the_schema():
    files = sorted(LIBRARY.glob("*.yaml"))
    assert files and cli.main(["validate", str(LIBRARY)]) == 0
    for file in files:
        jsonschema.validate(yaml.safe_load(file.read_text()), SCHEMA)


def test_the_demo_scenario_covers_the_three_phases_with_ten_nodes_or_more():
    scenario = Scenario.from_text(DEMO.read_text())
    assert len(scenario.nodes) >= 10
    assert {n["phase"] for n in scenario.nodes.values()} == set(v.PHASES)
    assert {n["type"] for n in scenario.nodes.values()} == set(v.TYPES)


# --- playing -------------------------------------------------------------------------------


def test_choices_change_variables_and_branches_follow_them():
    scenario = Scenario(small())
    state = scenario.begin()
    assert state.node == "a"
    assert scenario.choose(state, "warm").node == "good"
    assert scenario.choose(state, "cold").node == "poor"
    assert scenario.choose(state, "cold").variables == {"rapport": -1}
    assert scenario.result([{"node": "a", "choice": "warm"}]) == (1.0, {"6": 1.0})


def test_undo_cannot_raise_the_score_of_a_node():
    scenario = Scenario(small())
    taken_back = [{"node": "a", "choice": "cold"}]
    assert scenario.result([{"node": "a", "choice": "warm"}], undone=taken_back) == (0.0, {"6": 0.0})


def test_variables_stay_within_their_bounds():
    data = small()
    data["variables"] = {"rapport": {"initial": 0, "min": 0, "max": 1}}
    scenario = Scenario(data)
    assert scenario.choose(scenario.begin(), "warm").variables == {"rapport": 1}
    assert scenario.choose(scenario.begin(), "cold").variables == {"rapport": 0}


# --- properties ------------------------------------------------------------------------------

VARIABLES = ("rapport", "risk", "trust")
conditions = st.builds(
    lambda name, op, number, joiner, other: f"{name} {op} {number}" + (f" {joiner} {other} > 0" if joiner else ""),
    st.sampled_from(VARIABLES), st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), st.integers(-3, 5),
    st.sampled_from(["", "and", "or", "and not"]), st.sampled_from(VARIABLES),
)


@st.composite
def scenarios(draw):
    """A valid scenario by construction: every non-ending node has a forward edge, only choice nodes
    may also jump back (loops), branch nodes only go forward, unreachable nodes are dropped."""
    size = draw(st.integers(3, 40))
    endings = draw(st.integers(1, max(1, size // 4)))
    nodes = []
    for i in range(size):
        nid = f"n{i}"
        phase = draw(st.sampled_from(v.PHASES))
        if i >= size - endings:
            nodes.append({"id": nid, "type": "ending", "phase": phase, "text": t(nid)})
            continue
        forward = st.integers(i + 1, size - 1).map(lambda j: f"n{j}")
        anywhere = st.integers(0, size - 1).map(lambda j: f"n{j}")
        kind = draw(st.sampled_from(["choice", "choice", "branch", "free_text"]))
        if kind == "choice":
            targets = [draw(forward)] + draw(st.lists(anywhere, max_size=3))
            choices = [{"id": f"c{k}", "text": t(f"c{k}"), "next": target, "score": draw(st.integers(0, 3)),
                        "competencies": draw(st.lists(st.integers(1, 9), max_size=2)),
                        "effects": draw(st.dictionaries(st.sampled_from(VARIABLES), st.integers(-2, 2), max_size=2))}
                       for k, target in enumerate(targets)]
            nodes.append({"id": nid, "type": "choice", "phase": phase, "text": t(nid), "choices": choices})
        elif kind == "branch":
            branches = [{"if": draw(conditions), "next": draw(forward)} for _ in range(draw(st.integers(0, 3)))]
            nodes.append({"id": nid, "type": "branch", "phase": phase, "branches": branches + [{"next": draw(forward)}]})
        else:
            nodes.append({"id": nid, "type": "free_text", "phase": phase, "text": t(nid), "next": draw(forward)})
    by_id = {n["id"]: n for n in nodes}
    seen, stack = {"n0"}, ["n0"]
    while stack:
        for target in v.targets(by_id[stack.pop()]):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return {"id": "random", "title": t("random"), "variables": {name: 0 for name in VARIABLES},
            "nodes": [n for n in nodes if n["id"] in seen]}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.randoms(use_true_random=False))
def test_random_valid_scenarios_always_reach_an_ending(data, rnd):
    assert v.check(data) == []
    jsonschema.validate(data, SCHEMA)
    scenario = Scenario(data)
    state, path = scenario.begin(), []
    # Wander at random first (loops included), then follow the engine's guide: an ending must come.
    for _ in range(rnd.randint(0, 30)):
        if scenario.finished(state):
            break
        node = scenario.node(state)
        step = {"node": state.node, "choice": rnd.choice(node["choices"])["id"]} if node["type"] == "choice" \
            else {"node": state.node, "text": True}
        path.append(step)
        state = scenario.step(state, step)
    for _ in range(len(data["nodes"]) + 1):
        if scenario.finished(state):
            break
        step = {"node": state.node, "choice": scenario.guide(state)} if scenario.node(state)["type"] == "choice" \
            else {"node": state.node, "text": True}
        path.append(step)
        state = scenario.step(state, step)
    assert scenario.finished(state)
    assert scenario.replay(path).node == state.node
    score, profile = scenario.result(path)
    assert 0 <= score <= 1 and all(0 <= share <= 1 for share in profile.values())


def _break(data, kind, rnd):
    """`data` with one defect of `kind`."""
    data = copy.deepcopy(data)
    nodes = data["nodes"]
    with_text = [n for n in nodes if "text" in n]
    first = nodes[0]
    if kind == v.DUPLICATE:
        nodes.append(copy.deepcopy(rnd.choice(nodes)))
    elif kind == v.UNKNOWN_TARGET:
        movable = [n for n in nodes if n["type"] != "ending"] or [first]
        node = rnd.choice(movable)
        if node["type"] == "ending":
            node.update(type="free_text", next="nowhere")
        elif node["type"] == "choice":
            rnd.choice(node["choices"])["next"] = "nowhere"
        elif node["type"] == "branch":
            rnd.choice(node["branches"])["next"] = "nowhere"
        else:
            node["next"] = "nowhere"
    elif kind == v.UNREACHABLE:
        nodes.append({"id": "island", "type": "ending", "phase": "study", "text": t("island")})
    elif kind == v.DEAD_END:
        nodes.insert(0, {"id": "entry", "type": "choice", "phase": "study", "text": t("entry"), "choices": [
            {"id": "in", "text": t("in"), "next": first["id"]}, {"id": "trap", "text": t("trap"), "next": "trap"}]})
        nodes.append({"id": "trap", "type": "choice", "phase": "study", "text": t("trap"),
                      "choices": [{"id": "stay", "text": t("stay"), "next": "trap"}]})
    elif kind == v.TRANSLATION:
        del rnd.choice(with_text)["text"][rnd.choice(["en", "ar"])]
    elif kind == v.CONDITION:
        nodes.insert(0, {"id": "gate", "type": "branch", "phase": "study", "branches": [
            {"if": rnd.choice(["open('x')", "rapport >", "secret > 1", "().__class__"]), "next": first["id"]},
            {"next": first["id"]}]})
    elif kind == v.COMPETENCY:
        rnd.choice(with_text)["competencies"] = [rnd.choice([0, 10, "EPAS-3", "x"])]
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.sampled_from([v.DUPLICATE, v.UNKNOWN_TARGET, v.UNREACHABLE, v.DEAD_END, v.TRANSLATION,
                                     v.CONDITION, v.COMPETENCY]), st.randoms(use_true_random=False))
def test_random_broken_scenarios_are_refused_with_the_right_reason(data, kind, rnd):
    broken = _break(data, kind, rnd)
    problems = v.check(broken)
    assert kind in {p.kind for p in problems}
    assert all(p.reason for p in problems)
    with pytest.raises(v.ScenarioError):
        Scenario(broken)


def test_the_written_weight_is_a_share_from_0_to_1():
    for good in (0, 0.5, 1):
        assert v.check(dict(small(), written_weight=good)) == []
        jsonschema.validate(dict(small(), written_weight=good), SCHEMA)
    for bad in (-0.1, 1.5, "half", True):
        assert kinds(dict(small(), written_weight=bad)) == {(v.STRUCTURE, None)}
