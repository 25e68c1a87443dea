"""`maydan validate PATH`: one check for all course content, a file or a folder.

Pure Python (no Django). What is checked depends on what PATH is:

- a content folder (course_content/: any of course/, scenarios/, frameworks/, forms/, rubrics/):
  everything in it, then the references between files: scenario ids unique, every scenario's
  competency tags in the competency framework, every form's framework present, and every OLX
  block naming a scenario or a form that exists;
- an OLX course folder (with course.xml), or a file in one: the course (`olx.check`);
- frameworks/, forms/ or rubrics/, or a file in one: the grading content's checks;
- surveys/, or a file in it: the placement evaluation form's checks;
- anything else: case scenario files (a file, or every .yaml/.yml/.json under a folder).

Each problem reads `file:line: node: reason` (the line and node when they are known).
"""
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import untrusted
from ..grading import content as grading
from ..program import survey as surveys
from ..simulation import validate as scenarios
from . import course_root, olx

GRADING = ("frameworks", "forms", "rubrics")
KINDS = ("course", "scenarios", *GRADING, surveys.SURVEYS)
# Scenarios without their own framework are tagged with the competencies of this one.
EPAS_FRAMEWORK = "cswe-epas-2022"


@dataclass(frozen=True)
class Finding:
    file: str
    line: int | None
    node: str | None
    reason: str

    def __str__(self):
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{where}: {self.node}: {self.reason}" if self.node else f"{where}: {self.reason}"


def validate(path):
    """Every problem of the content at `path` (file or folder); FileNotFoundError when there is none."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(path)
    if path.is_dir():
        if (path / "course.xml").is_file():
            return _course(path)
        if any((path / kind).is_dir() for kind in KINDS):
            return _content(path)
        if path.name in GRADING:
            return [f for f in _grading(path.parent) if Path(f.file).parent == path]
        if path.name == surveys.SURVEYS:
            return _surveys(path.parent)
        return _scenario_files(path)
    course = _course_of(path)
    if course is not None:
        return [f for f in _course(course) if Path(f.file).resolve() == path.resolve()]
    if path.parent.name in GRADING:
        return [_grading_finding(path.parent.parent, p) for p in grading.validate(path)]
    if path.parent.name == surveys.SURVEYS:
        return [_grading_finding(path.parent.parent, p) for p in surveys.problems(path)]
    return _scenario_files(path)


def counted(path):
    """How many content files a check of `path` reads (for the command's summary line)."""
    path = Path(path)
    if path.is_file():
        return 1
    return sum(1 for p in path.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".json", ".xml", ".html")
               and not any(part.startswith(".") or part == "__pycache__" for part in p.parts))


# --- each kind --------------------------------------------------------------------------------


def _scenario_files(path):
    found = []
    for file, problems in scenarios.check_path(path).items():
        found += [Finding(str(file), p.line, f"node {p.node}" if p.node else None, p.reason) for p in problems]
    return found


def _grading(root):
    """Problems of frameworks/, forms/ and rubrics/ under `root` (a form naming a missing framework included)."""
    try:
        grading.load(root)
    except grading.ContentError as error:
        return [_grading_finding(root, p) for p in error.problems]
    return []


def _surveys(root):
    return [_grading_finding(root, p) for path in grading._files(root / surveys.SURVEYS) for p in surveys.problems(path)]


def _grading_finding(root, problem):
    path = Path(root) / problem.file
    return Finding(str(path), _yaml_line(path, problem.node), problem.node or None, problem.reason)


def _course(course, known=None):
    root = course_root(course)
    return [Finding(str(root / p.file), p.line, None, p.reason) for p in olx.check(root, known)]


def _course_of(path):
    """The OLX course directory holding the file `path`, if any."""
    for folder in Path(path).resolve().parents:
        if (folder / "course.xml").is_file():
            return folder
    return None


def _content(root):
    """A whole content folder: each kind, then the references between files."""
    found = []
    if (root / "scenarios").is_dir():
        found += _scenario_files(root / "scenarios")
        found += _scenario_references(root)
    found += _grading(root)
    found += _surveys(root)
    if (root / "course").is_dir():
        known = {kind: olx.content_ids(root / kind) for kind in ("scenarios", "forms")}
        found += _course(root / "course", known)
    return found


def _scenario_references(root):
    """Scenario ids are unique across files; tags of the default framework are competencies of its file."""
    found, first = [], {}
    framework = _framework_competencies(root)
    for path in sorted((root / "scenarios").glob("*")):
        if path.suffix not in scenarios.SUFFIXES:
            continue
        try:
            text = untrusted.read_file(path)
            data = untrusted.load_document(text, path.name)
        except (OSError, untrusted.Unreadable):
            continue  # reported by the scenario check
        if not isinstance(data, dict):
            continue
        key = data.get("id")
        if isinstance(key, str):
            if key in first:
                found.append(Finding(str(path), _first_line(text, r"^id\s*:"), None,
                                     f"the scenario id {key!r} is also the id of {first[key].name}"))
            first.setdefault(key, path)
        for name in dict.fromkeys(scenarios.media_files(data)):
            if not (root / "scenarios" / "media" / name).is_file():
                found.append(Finding(str(path), _first_line(text, re.escape(name)), None,
                                     f"the media file {name!r} is not in scenarios/media/"))
        if "competencies" in data or framework is None or not isinstance(data.get("nodes"), list):
            continue
        for node in data["nodes"]:
            if not isinstance(node, dict):
                continue
            tags = list(node.get("competencies") or [])
            tags += [t for c in node.get("choices") or [] if isinstance(c, dict) for t in c.get("competencies") or []]
            missing = sorted({str(t) for t in tags} - framework)
            if missing:
                found.append(Finding(str(path), scenarios._line_of(text, node.get("id")), f"node {node.get('id')}",
                                     f"competency {', '.join(missing)} is not a competency of "
                                     f"frameworks/{EPAS_FRAMEWORK} ({', '.join(sorted(framework))})"))
    if framework is None and (root / "frameworks").is_dir():
        found.append(Finding(str(root / "frameworks"), None, None,
                             f"the scenarios are tagged with the competencies of {EPAS_FRAMEWORK!r}, "
                             "which no file here defines"))
    return found


def _framework_competencies(root):
    """The competency ids of the EPAS framework file under `root`, or None when it is missing or broken."""
    for path in sorted((root / "frameworks").glob("*")) if (root / "frameworks").is_dir() else []:
        try:
            data = grading.read(path)
        except grading.ContentError:
            continue
        if isinstance(data, dict) and data.get("id") == EPAS_FRAMEWORK:
            items = data.get("competencies") or []
            return {str(c.get("id")) for c in items if isinstance(c, dict)}
    return None


# --- lines ----------------------------------------------------------------------------------


def _first_line(text, pattern):
    match = re.search(pattern, text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _yaml_line(path, node):
    """The line of a node path such as `competencies[2].behaviours[0].text.ar` in a YAML/JSON file: the
    deepest part of the path that exists (a missing key is reported at its parent)."""
    try:
        current = untrusted.compose_yaml(untrusted.read_file(path))
    except (OSError, untrusted.Unreadable):
        return None
    if current is None:
        return None
    line = None
    for part in re.findall(r"\[\d+\]|[^.\[\]]+", node or ""):
        if part.startswith("[") and isinstance(current, yaml.SequenceNode):
            index = int(part[1:-1])
            if index >= len(current.value):
                break
            current = current.value[index]
            line = current.start_mark.line + 1
        elif isinstance(current, yaml.MappingNode):
            pair = next(((k, v) for k, v in current.value if str(k.value) == part), None)
            if pair is None:
                break
            line, current = pair[0].start_mark.line + 1, pair[1]
        else:
            break
    return line
