"""Checks a case scenario before anyone plays it: structure, translations, conditions, graph.

Pure Python (no Django). `check(data)` returns every problem found, each with its kind,
node id and a reason in plain English; `check_file(path)` and `check_path(path)` read
YAML or JSON files and add the line where each node starts. The rules here are the
published schema (scenario.schema.json) plus what a schema cannot say: ids unique,
targets known, every node reachable, an ending reachable from everywhere.

An ending must be reachable *whatever the variables are*: a student chooses at choice
nodes, but branch nodes follow conditions, so a node is safe when some choice leads to a
safe node, or, for a branch node, when every one of its branches does. Scenarios that
pass can never trap a student, loops included.
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import untrusted
from .conditions import ConditionError, compile_condition
from .reasons import gettext_noop, render

LANGUAGES = ("en", "ar")
PHASES = ("study", "diagnosis", "treatment")
TYPES = ("choice", "branch", "free_text", "ending")
OUTCOMES = ("good", "mixed", "poor")
FEEDBACK = ("immediate", "end")
MEDIA_KINDS = ("image", "audio", "video")
# CSWE 2022 EPAS competencies 1-9, unless a scenario declares its own framework.
EPAS = tuple(str(n) for n in range(1, 10))
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
# A scenario's grades leave as activity "simulation:<id>", which the grade outbox keeps in 32 characters.
SCENARIO_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,20}$")
SUFFIXES = (".yaml", ".yml", ".json")

# The kinds of problem, each tested on its own.
STRUCTURE = "structure"
DUPLICATE = "duplicate_id"
UNKNOWN_TARGET = "unknown_target"
UNREACHABLE = "unreachable"
DEAD_END = "dead_end"
TRANSLATION = "missing_translation"
CONDITION = "bad_condition"
COMPETENCY = "unknown_competency"
VARIABLE = "unknown_variable"
MEDIA = "media_without_text"
# A media file is named by its plain file name (uploaded to the course or shipped): never a path or an address.
MEDIA_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")


@dataclass(frozen=True)
class Problem:
    kind: str
    node: str | None
    reason: str
    line: int | None = None
    # The reason as a catalog message and its values, so that each reader gets it in their language.
    template: str = field(default="", compare=False)
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def format(self, path=""):
        where = f"{path}:{self.line}" if self.line else str(path)
        node = f" node {self.node}:" if self.node else ""
        return f"{where}:{node} {self.reason}" if where else f"{node.strip()} {self.reason}".strip()


class ScenarioError(ValueError):
    def __init__(self, problems):
        super().__init__("; ".join(p.format() for p in problems))
        self.problems = problems


def parse(text, name="scenario.yaml"):
    """The scenario data in `text` (JSON or YAML, told by the name); ScenarioError if unreadable.

    Read by `maydan.untrusted` (size, depth and YAML aliases bounded). Text that looks like
    JSON is read as JSON first, even when pasted as "YAML": JSON is YAML too, and reading it
    as JSON is some 40 times faster on a large scenario.
    """
    is_json = str(name).endswith(".json")
    try:
        if is_json or text.lstrip().startswith("{"):
            try:
                return untrusted.load_json(text)
            except untrusted.Unreadable as error:
                if is_json or error.kind != "not_json":
                    raise
        return untrusted.load_yaml(text)
    except untrusted.Unreadable as error:
        raise ScenarioError([Problem(STRUCTURE, None, error.reason, error.line)]) from None


def check_text(text, name="scenario.yaml"):
    """Problems of a scenario given as file text, with the line where each problem node starts."""
    try:
        data = parse(text, name)
    except ScenarioError as error:
        return error.problems
    return [Problem(p.kind, p.node, p.reason, p.line or _line_of(text, p.node), p.template, p.params)
            for p in check(data)]


def check_file(path):
    try:
        text = untrusted.read_file(path)
    except untrusted.Unreadable as error:
        return [Problem(STRUCTURE, None, error.reason, error.line)]
    return check_text(text, Path(path).name)


def check_path(path):
    """{file: problems} for a scenario file, or for every scenario file under a folder."""
    path = Path(path)
    files = sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES) if path.is_dir() else [path]
    return {file: check_file(file) for file in files}


def _line_of(text, node_id):
    if not node_id:
        return None
    pattern = re.compile(r"""["']?id["']?\s*:\s*["']?""" + re.escape(node_id) + r"""["']?\s*(?:[,}#]|$)""", re.M)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


# --- the checks ---------------------------------------------------------------------------


def check(data):
    """Every problem of the scenario `data` (parsed JSON/YAML), [] when it can be played."""
    found = []

    def problem(kind, node, template, **params):
        found.append(Problem(kind, node, render(template, params), template=template, params=params))

    if not isinstance(data, dict):
        message = gettext_noop("a scenario is a mapping with id, title, nodes")
        return [Problem(STRUCTURE, None, message, template=message)]
    if not isinstance(data.get("id"), str) or not SCENARIO_ID.match(data["id"]):
        problem(STRUCTURE, None, gettext_noop("the scenario needs an id of small letters, digits, '-', '_' or '.' "
                                              "(at most 21)"))
    _text(data.get("title"), None, (gettext_noop("title"), {}), problem)
    if "summary" in data:
        _text(data["summary"], None, (gettext_noop("summary"), {}), problem)
    if data.get("feedback", "immediate") not in FEEDBACK:
        problem(STRUCTURE, None, gettext_noop("feedback is 'immediate' or 'end'"))
    weight = data.get("written_weight", 0)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 <= weight <= 1:
        problem(STRUCTURE, None, gettext_noop("written_weight is a number from 0 to 1"))
    competencies = _competencies(data, problem)
    variables = _variables(data.get("variables", {}), problem)
    nodes = data.get("nodes")
    if not isinstance(nodes, list) or not nodes:
        problem(STRUCTURE, None, gettext_noop("the scenario needs a non-empty list of nodes"))
        return found
    by_id = {}
    for index, node in enumerate(nodes):
        if not isinstance(node, dict) or not isinstance(node.get("id"), str) or not ID.match(node["id"]):
            problem(STRUCTURE, None, gettext_noop("node #%(number)s needs an id of letters, digits, '-', '_' or '.'"),
                    number=index + 1)
            continue
        if node["id"] in by_id:
            problem(DUPLICATE, node["id"], gettext_noop("the id %(id)s is used by another node"), id=repr(node["id"]))
            continue
        by_id[node["id"]] = node
    for node in by_id.values():
        _node(node, variables, competencies, problem)
    start = data.get("start", nodes[0].get("id") if isinstance(nodes[0], dict) else None)
    if not isinstance(start, str) or start not in by_id:
        problem(UNKNOWN_TARGET, None, gettext_noop("start goes to %(start)s, which is not a node"), start=repr(start))
        return found
    # The graph is checked whenever it can be walked, so that an author sees a wrong link while texts are
    # still missing; problems of its shape (a node's kind, its list of choices) come first.
    if not any(p.kind == DUPLICATE for p in found) and all(map(_walkable, by_id.values())):
        _graph(by_id, start, problem)
    return found


def _walkable(node):
    """Whether `targets(node)` can be read: a known kind, and its choices or branches a list of mappings."""
    listed = {"choice": "choices", "branch": "branches"}.get(node.get("type"))
    if listed is None:
        return node.get("type") in TYPES
    items = node.get(listed)
    return isinstance(items, list) and bool(items) and all(isinstance(item, dict) for item in items)


def _text(value, node, what, problem):
    if isinstance(value, str) or not isinstance(value, dict):
        problem(TRANSLATION, node, gettext_noop("%(what)s needs both languages: {en: ..., ar: ...}"), what=what)
        return
    for language in LANGUAGES:
        if not isinstance(value.get(language), str) or not value[language].strip():
            missing = gettext_noop("%(what)s has no Arabic (ar) text") if language == "ar" else \
                gettext_noop("%(what)s has no English (en) text")
            problem(TRANSLATION, node, missing, what=what)


def _competencies(data, problem):
    framework = data.get("competencies")
    if framework is None:
        return frozenset(EPAS)
    if not isinstance(framework, dict) or not framework:
        problem(STRUCTURE, None, gettext_noop("competencies is a mapping of key -> {en, ar} names"))
        return frozenset()
    for key, names in framework.items():
        _text(names, None, (gettext_noop("competency %(key)s"), {"key": key}), problem)
    return frozenset(str(key) for key in framework)


def _variables(declared, problem):
    if not isinstance(declared, dict):
        problem(STRUCTURE, None, gettext_noop("variables is a mapping of name -> starting number"))
        return {}
    result = {}
    for name, spec in declared.items():
        if not isinstance(name, str) or not name.isidentifier():
            problem(STRUCTURE, None, gettext_noop("variable name %(name)s must be a plain word"), name=repr(name))
            continue
        spec = spec if isinstance(spec, dict) else {"initial": spec}
        if any(not _number(spec.get(k, 0)) for k in ("initial", "min", "max")) or set(spec) - {"initial", "min", "max"}:
            problem(STRUCTURE, None, gettext_noop("variable %(name)s takes numbers: initial, min, max"), name=repr(name))
            continue
        result[name] = spec
    return result


def _number(value):
    return type(value) in (int, float)


def _node(node, variables, competencies, problem):
    nid, kind = node["id"], node.get("type")
    if kind not in TYPES:
        problem(STRUCTURE, nid, gettext_noop("type is one of %(kinds)s"), kinds=", ".join(TYPES))
        return
    if node.get("phase") not in PHASES:
        problem(STRUCTURE, nid, gettext_noop("phase is one of %(phases)s"), phases=", ".join(PHASES))
    if kind != "branch":
        _text(node.get("text"), nid, (gettext_noop("text"), {}), problem)
    if node.get("media") is not None:
        _media(node["media"], nid, problem)
    if "hint" in node:
        if kind in ("choice", "free_text"):
            _text(node["hint"], nid, (gettext_noop("the hint"), {}), problem)
        else:
            problem(STRUCTURE, nid, gettext_noop("a hint is shown on choice and free-text nodes only"))
    if "dilemma" in node and (not isinstance(node["dilemma"], str) or not ID.match(node["dilemma"])):
        problem(STRUCTURE, nid, gettext_noop("dilemma names the dilemma with letters, digits, '-', '_' or '.'"))
    tags = node.get("competencies", [])
    _tags(tags, nid, competencies, problem)
    if kind == "choice":
        choices = node.get("choices")
        if not isinstance(choices, list) or not choices:
            problem(DEAD_END, nid, gettext_noop("a choice node needs at least one choice"))
            return
        seen = set()
        for index, choice in enumerate(choices):
            if not isinstance(choice, dict) or not isinstance(choice.get("id"), str) or not ID.match(choice["id"]):
                problem(STRUCTURE, nid, gettext_noop("choice #%(number)s needs an id"), number=index + 1)
                continue
            cid = choice["id"]
            if cid in seen:
                problem(DUPLICATE, nid, gettext_noop("the choice id %(choice)s is used twice in this node"), choice=repr(cid))
            seen.add(cid)
            _text(choice.get("text"), nid, (gettext_noop("choice %(choice)s"), {"choice": cid}), problem)
            if "feedback" in choice:
                _text(choice["feedback"], nid, (gettext_noop("the feedback of choice %(choice)s"), {"choice": cid}), problem)
            if not _number(choice.get("score", 0)):
                problem(STRUCTURE, nid, gettext_noop("the score of choice %(choice)s is a number"), choice=cid)
            _tags(choice.get("competencies", []), nid, competencies, problem)
            effects = choice.get("effects", {})
            if not isinstance(effects, dict):
                problem(STRUCTURE, nid, gettext_noop("the effects of choice %(choice)s map variables to numbers"), choice=cid)
                continue
            for name, change in effects.items():
                if name not in variables:
                    problem(VARIABLE, nid, gettext_noop("choice %(choice)s changes %(name)s, which is not a declared variable"),
                            choice=cid, name=repr(name))
                elif not _number(change):
                    problem(STRUCTURE, nid, gettext_noop("choice %(choice)s changes %(name)s by a number"), choice=cid,
                            name=repr(name))
    elif kind == "branch":
        branches = node.get("branches")
        if not isinstance(branches, list) or not branches or not all(isinstance(b, dict) for b in branches):
            problem(DEAD_END, nid, gettext_noop("a branch node needs a list of branches"))
            return
        for branch in branches[:-1]:
            if "if" not in branch:
                problem(STRUCTURE, nid, gettext_noop("only the last branch may go without 'if'"))
        if "if" in branches[-1]:
            problem(DEAD_END, nid, gettext_noop("the last branch must have no 'if': where no condition holds the case "
                                             "would stop"))
        for branch in branches:
            if "if" in branch:
                try:
                    compile_condition(branch["if"], variables)
                except ConditionError as error:
                    problem(CONDITION, nid, gettext_noop("condition %(condition)s: %(error)s"), condition=repr(branch["if"]),
                            error=(error.template, error.params))
    elif kind == "free_text":
        if not _number(node.get("points", 0)) or node.get("points", 0) < 0:
            problem(STRUCTURE, nid, gettext_noop("points of a free-text node is a number, 0 or more"))
    elif kind == "ending" and node.get("outcome", "mixed") not in OUTCOMES:
        problem(STRUCTURE, nid, gettext_noop("outcome is one of %(outcomes)s"), outcomes=", ".join(OUTCOMES))


def _media(media, nid, problem):
    """An image has its description, an audio or video its transcript or WebVTT captions, in both languages."""
    src = media.get("src") if isinstance(media, dict) else None
    # One file for both languages, or one per language ({en: voice.en.mp3, ar: voice.ar.mp3}).
    sources = list(src.values()) if isinstance(src, dict) and set(src) == set(LANGUAGES) else [src]
    if not isinstance(media, dict) or media.get("kind") not in MEDIA_KINDS or not all(isinstance(s, str) for s in sources):
        problem(STRUCTURE, nid, gettext_noop("media needs kind (image, audio, video) and src (a file name, or one per "
                                              "language)"))
        return
    kind = media["kind"]
    if not all(_media_file(s, (kind,) if kind != "video" else ("video", "audio")) for s in sources):
        problem(STRUCTURE, nid, gettext_noop("media src is the plain name of a %(medium)s file (e.g. voice.mp3), not a path or "
                                              "address"), medium=kind)
    if "alt" in media or kind == "image":
        _text(media.get("alt"), nid, (gettext_noop("the media description (alt)"), {}), problem)
    if "transcript" in media:
        _text(media["transcript"], nid, (gettext_noop("the media transcript"), {}), problem)
    captions = media.get("captions")
    if captions is not None and (not isinstance(captions, dict) or set(captions) - set(LANGUAGES)
                                 or not all(_media_file(v, ("captions",)) for v in captions.values())):
        problem(STRUCTURE, nid, gettext_noop("captions map en and ar to WebVTT file names (e.g. {en: voice.en.vtt, "
                                              "ar: voice.ar.vtt})"))
    elif kind != "image":
        has_captions = isinstance(captions, dict) and all(captions.get(lang) for lang in LANGUAGES)
        has_transcript = isinstance(media.get("transcript"), dict) and all(
            isinstance(media["transcript"].get(lang), str) and media["transcript"][lang].strip() for lang in LANGUAGES)
        if not (has_captions or has_transcript):
            problem(MEDIA, nid, gettext_noop("a recording or video (%(medium)s) needs a transcript or WebVTT captions in both "
                                          "languages (en and ar)"), medium=kind)


def media_files(data):
    """Every media file a scenario names, in order: each node's `src` (one, or one per language) and captions."""
    found, nodes = [], data.get("nodes") if isinstance(data, dict) else None
    for node in nodes if isinstance(nodes, list) else []:
        media = node.get("media") if isinstance(node, dict) else None
        if isinstance(media, dict):
            for value in (media.get("src"), media.get("captions")):
                found.extend(value.values() if isinstance(value, dict) else [value])
    return [name for name in found if isinstance(name, str)]


def _media_file(name, kinds):
    if not isinstance(name, str) or not MEDIA_NAME.match(name) or "." not in name:
        return False
    found = untrusted.MEDIA_TYPES.get(name[name.rfind("."):].lower())
    return bool(found) and found[0] in kinds


def _tags(tags, nid, competencies, problem):
    if not isinstance(tags, list):
        problem(STRUCTURE, nid, gettext_noop("competencies is a list"))
        return
    for tag in tags:
        if str(tag) not in competencies:
            problem(COMPETENCY, nid, gettext_noop("competency %(tag)s is not in the scenario's framework"), tag=repr(tag))


def targets(node):
    """The node ids a node can lead to, in order."""
    if node["type"] == "choice":
        return [c.get("next") for c in node["choices"]]
    if node["type"] == "branch":
        return [b.get("next") for b in node["branches"]]
    if node["type"] == "free_text":
        return [node.get("next")]
    return []


def _graph(by_id, start, problem):
    broken = False
    for nid, node in by_id.items():
        for target in targets(node):
            if target in ("", None):
                problem(UNKNOWN_TARGET, nid, gettext_noop("an arrow leads nowhere yet: choose the node it leads to"))
                broken = True
            elif not isinstance(target, str) or target not in by_id:
                problem(UNKNOWN_TARGET, nid, gettext_noop("leads to %(target)s, which is not a node"), target=repr(target))
                broken = True
    if broken:
        return
    seen, stack = {start}, [start]
    while stack:
        for target in targets(by_id[stack.pop()]):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    for nid in by_id:
        if nid not in seen:
            problem(UNREACHABLE, nid, gettext_noop("no path from the start (%(start)s) leads here"), start=start)
    safe = safe_distances(by_id)
    for nid in by_id:
        if nid in seen and nid not in safe:
            template, params = _dead_end_reason(by_id[nid], safe)
            problem(DEAD_END, nid, template, **params)


def _dead_end_reason(node, safe):
    if node["type"] == "branch":
        bad = next(t for t in targets(node) if t not in safe)
        return gettext_noop("the branch to %(target)s may be taken, and from there no ending can be reached"), \
            {"target": repr(bad)}
    return gettext_noop("no ending can be reached from here"), {}


def safe_distances(by_id):
    """{node id: steps to an ending} for the nodes from which the student can always finish.

    Endings are 0. A choice or free-text node is safe once one of its targets is; a branch
    node only once all of its targets are (its conditions are not the student's to pick).
    The distance is how the engine guides a student (and the property tests) to an ending.
    """
    incoming = {nid: [] for nid in by_id}
    waiting = {}
    for nid, node in by_id.items():
        for target in set(targets(node)):
            incoming[target].append(nid)
        waiting[nid] = len(set(targets(node))) if node["type"] == "branch" else 1
    distance = {nid: 0 for nid, node in by_id.items() if node["type"] == "ending"}
    frontier = list(distance)
    while frontier:
        following = []
        for nid in frontier:
            for source in incoming[nid]:
                if source in distance:
                    continue
                waiting[source] -= 1
                if waiting[source] == 0:
                    distance[source] = distance[nid] + 1
                    following.append(source)
        frontier = following
    return distance
