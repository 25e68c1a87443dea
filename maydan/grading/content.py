"""Competency frameworks, evaluation forms and rubrics as files (YAML or JSON), checked on load.

Pure Python: no Django. Every text is {"en": ..., "ar": ...}. A problem is reported with the
file, the node (a path such as `competencies[2].behaviours[0].text.ar`) and the reason, all at
once, so an author fixes a file in one pass:

    python -m maydan.grading.content course_content/forms/midterm.yaml
"""
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import untrusted

LANGUAGES = ("en", "ar")
CONTENT_ROOT = Path(__file__).resolve().parents[2] / "course_content"


@dataclass(frozen=True)
class Problem:
    file: str
    node: str
    reason: str

    def __str__(self):
        return f"{self.file}: {self.node or '(top)'}: {self.reason}"


class ContentError(ValueError):
    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Behaviour:
    id: str
    text: dict
    competency: str


@dataclass(frozen=True)
class Competency:
    id: str
    title: dict
    behaviours: tuple


@dataclass(frozen=True)
class Framework:
    id: str
    title: dict
    competencies: tuple

    @property
    def behaviours(self):
        return [b for c in self.competencies for b in c.behaviours]


@dataclass(frozen=True)
class Level:
    value: int
    label: dict
    comment_required: bool = False


@dataclass(frozen=True)
class Scale:
    levels: tuple
    not_observed: dict
    anchor: dict = field(default_factory=dict, hash=False)

    @property
    def minimum(self):
        return min(level.value for level in self.levels)

    @property
    def maximum(self):
        return max(level.value for level in self.levels)

    def level(self, value):
        return next((level for level in self.levels if level.value == value), None)


@dataclass(frozen=True)
class Form:
    id: str
    title: dict
    instructions: dict
    framework: Framework
    scale: Scale


@dataclass(frozen=True)
class RubricLevel:
    points: float
    label: dict


@dataclass(frozen=True)
class Criterion:
    id: str
    title: dict
    levels: tuple

    @property
    def max_points(self):
        return max(level.points for level in self.levels)


@dataclass(frozen=True)
class Rubric:
    id: str
    title: dict
    applies_to: tuple
    criteria: tuple

    @property
    def max_points(self):
        return sum(c.max_points for c in self.criteria)


# --- reading files ------------------------------------------------------------------------


def read(path):
    """The parsed document of a YAML or JSON file, or ContentError naming the file and the reason."""
    path = Path(path)
    try:
        return untrusted.load_document(untrusted.read_file(path), path.name)
    except OSError as exc:
        reason = str(exc)
    except untrusted.Unreadable as exc:
        reason = f"line {exc.line}: {exc.reason}" if exc.line else exc.reason
    raise ContentError([Problem(f"{path.parent.name}/{path.name}", "", f"cannot be read: {reason}".splitlines()[0])])


class _Checker:
    """Collects problems while building objects; `node` paths name where each one is."""

    def __init__(self, file):
        self.file, self.problems = file, []

    def fail(self, node, reason):
        self.problems.append(Problem(self.file, node, reason))

    def mapping(self, data, node):
        if not isinstance(data, dict):
            self.fail(node, "must be a mapping")
            return {}
        return data

    def items(self, data, key, node, *, minimum=1):
        value = data.get(key)
        where = f"{node}.{key}" if node else key
        if not isinstance(value, list) or len(value) < minimum:
            self.fail(where, f"must be a list of at least {minimum}")
            return []
        return [(f"{where}[{i}]", item) for i, item in enumerate(value)]

    def ident(self, data, node, seen):
        value = data.get("id")
        where = f"{node}.id" if node else "id"
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.fail(where, "must be a non-empty text")
            return ""
        if value in seen:
            self.fail(where, f"“{value}” is used twice")
        seen.add(value)
        return value

    def text(self, data, key, node, *, required=True):
        value = data.get(key)
        where = f"{node}.{key}" if node else key
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            self.fail(where, 'must give the text in both languages: {"en": ..., "ar": ...}')
            return {}
        for language in LANGUAGES:
            if not isinstance(value.get(language), str) or not value[language].strip():
                self.fail(f"{where}.{language}", "is missing or empty")
        for extra in set(value) - set(LANGUAGES):
            self.fail(f"{where}.{extra}", "is not a language of this product (en, ar)")
        return {language: str(value.get(language) or "") for language in LANGUAGES}

    def done(self, result):
        if self.problems:
            raise ContentError(self.problems)
        return result


def parse_framework(data, file="framework"):
    check = _Checker(file)
    data = check.mapping(data, "")
    framework_id = check.ident(data, "", set())
    competencies, competency_ids, behaviour_ids = [], set(), set()
    for node, item in check.items(data, "competencies", ""):
        item = check.mapping(item, node)
        competency_id = check.ident(item, node, competency_ids)
        behaviours = tuple(
            Behaviour(check.ident(check.mapping(b, bnode), bnode, behaviour_ids),
                      check.text(check.mapping(b, bnode), "text", bnode), competency_id)
            for bnode, b in check.items(item, "behaviours", node)
        )
        competencies.append(Competency(competency_id, check.text(item, "title", node), behaviours))
    return check.done(Framework(framework_id, check.text(data, "title", ""), tuple(competencies)))


def parse_form(data, frameworks, file="form"):
    check = _Checker(file)
    data = check.mapping(data, "")
    form_id = check.ident(data, "", set())
    framework = frameworks.get(data.get("framework"))
    if framework is None:
        check.fail("framework", f"“{data.get('framework')}” is not a known framework ({', '.join(sorted(frameworks))})")
    scale_data = check.mapping(data.get("scale"), "scale")
    levels, values = [], set()
    for node, item in check.items(scale_data, "levels", "scale", minimum=2):
        item = check.mapping(item, node)
        value = item.get("value")
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            check.fail(f"{node}.value", "must be a whole number, 0 or more")
            value = -1
        elif value in values:
            check.fail(f"{node}.value", f"{value} is used twice")
        values.add(value)
        required = item.get("comment_required", False)
        if not isinstance(required, bool):
            check.fail(f"{node}.comment_required", "must be true or false")
        levels.append(Level(value, check.text(item, "label", node), bool(required)))
    not_observed = check.mapping(scale_data.get("not_observed"), "scale.not_observed")
    scale = Scale(
        tuple(sorted(levels, key=lambda level: level.value)),
        check.text(not_observed, "label", "scale.not_observed"),
        check.text(scale_data, "anchor", "scale", required=False),
    )
    return check.done(Form(form_id, check.text(data, "title", ""), check.text(data, "instructions", "", required=False),
                           framework, scale))


def parse_rubric(data, file="rubric"):
    check = _Checker(file)
    data = check.mapping(data, "")
    rubric_id = check.ident(data, "", set())
    applies_to = data.get("applies_to") or []
    if not isinstance(applies_to, list) or not all(isinstance(a, str) for a in applies_to):
        check.fail("applies_to", "must be a list of names, e.g. [reflection]")
        applies_to = []
    criteria, criterion_ids = [], set()
    for node, item in check.items(data, "criteria", ""):
        item = check.mapping(item, node)
        criterion_id = check.ident(item, node, criterion_ids)
        levels, points_seen = [], set()
        for lnode, level in check.items(item, "levels", node, minimum=2):
            level = check.mapping(level, lnode)
            points = level.get("points")
            if not isinstance(points, (int, float)) or isinstance(points, bool) or points < 0:
                check.fail(f"{lnode}.points", "must be a number, 0 or more")
                points = 0
            elif points in points_seen:
                check.fail(f"{lnode}.points", f"{points} is used twice in this criterion")
            points_seen.add(points)
            levels.append(RubricLevel(points, check.text(level, "label", lnode)))
        criteria.append(Criterion(criterion_id, check.text(item, "title", node), tuple(levels)))
    rubric = Rubric(rubric_id, check.text(data, "title", ""), tuple(applies_to), tuple(criteria))
    if criteria and not check.problems and rubric.max_points <= 0:
        check.fail("criteria", "the best levels must be worth more than 0 points in all")
    return check.done(rubric)


# --- a body of content: every file under a root --------------------------------------------


@dataclass(frozen=True)
class Library:
    frameworks: dict
    forms: dict
    rubrics: dict
    problems: tuple = ()  # of the files left out (see `library`)


def _files(folder):
    return sorted(p for p in Path(folder).glob("*") if p.suffix in (".yaml", ".yml", ".json"))


def load(root=CONTENT_ROOT, *, strict=True):
    """Every framework, form and rubric under `root`; ContentError lists all problems of all files, or, not
    `strict`, the files that pass, with the others' problems in `problems`."""
    root = Path(root)
    problems, frameworks, forms, rubrics = [], {}, {}, {}

    def each(folder, parse, into):
        for path in _files(root / folder):
            try:
                item = parse(read(path), f"{folder}/{path.name}")
            except ContentError as error:
                problems.extend(error.problems)
                continue
            if item.id in into:
                problems.append(Problem(f"{folder}/{path.name}", "id", f"“{item.id}” is also the id of another file"))
            into[item.id] = item

    each("frameworks", parse_framework, frameworks)
    each("forms", lambda data, file: parse_form(data, frameworks, file), forms)
    each("rubrics", parse_rubric, rubrics)
    if problems and strict:
        raise ContentError(problems)
    return Library(frameworks, forms, rubrics, tuple(problems))


@lru_cache(maxsize=4)
def library(root=CONTENT_ROOT):
    """The course content shipped with the product, loaded once per process. A file that does not pass its
    checks is left out (its activity is not offered; `maydan validate` says why); the others still work."""
    return load(root, strict=False)


def validate(path):
    """Problems of one file or of a content folder (frameworks/, forms/, rubrics/); [] when all is well."""
    path = Path(path)
    try:
        if path.is_dir():
            load(path if (path / "frameworks").is_dir() else path.parent)
        else:
            kind = path.parent.name
            data = read(path)
            file = f"{kind}/{path.name}"
            if kind == "forms":
                frameworks = load(path.parent.parent).frameworks if (path.parent.parent / "frameworks").is_dir() else {}
                parse_form(data, frameworks, file)
            elif kind == "rubrics":
                parse_rubric(data, file)
            else:
                parse_framework(data, file)
    except ContentError as error:
        return error.problems
    return []


def main(argv=None):
    paths = (argv if argv is not None else sys.argv[1:]) or [str(CONTENT_ROOT)]
    problems = [problem for path in paths for problem in validate(path)]
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)" if problems else "OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
