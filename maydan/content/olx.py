"""Checks an OLX course directory before it is packed for Studio.

Pure Python (lxml, no Django): what Studio's import would trip over, or what a reader of the
bilingual course would miss, reported as `file:line: reason` with the file relative to the
course directory:

- every .xml and .html file is well-formed XML, every .json file valid JSON;
- every pointer (`<chapter url_name="x"/>`) and every `<html filename="x"/>` finds its file;
- url_names are unique per block type;
- every reading (html) and problem has an Arabic section (`dir="rtl" lang="ar"`) and an
  English one (`lang="en"`);
- every `maydan_*` block is one that is installed, with valid attributes, and is listed in the
  course's advanced modules; a case simulation names a scenario and an evaluation names a form
  that exist (the course's sibling folders scenarios/ and forms/, or the shipped ones).
"""
import math
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .. import untrusted
from . import content_dir, course_files, course_root

# Blocks whose children are blocks (everything else is content: problem markup, html...).
CONTAINERS = {"course", "chapter", "sequential", "vertical"}
# Content whose text a reader sees, so it must come in both languages.
BILINGUAL = {"html", "problem"}
# Set on every block by XBlock's OLX export; harmless on import.
XBLOCK_ATTRIBUTES = {"url_name", "xblock-family"}


def _any(value, known):
    return None


def _weight(value, known):
    """A block's weight, as the blocks' parse_xml accept it: a number, 0 or more."""
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    return None if math.isfinite(number) and number >= 0 else f"must be a number, 0 or more (got {value!r})"


def _one_of(kind):
    """A rule: the value names one of the `kind` files of the course content (scenarios, forms)."""
    def rule(value, known):
        ids = known.get(kind, set())
        if value in ids:
            return None
        return f"names {value!r}, which is not in {kind}/ (there: {', '.join(sorted(ids)) or 'none'})"
    return rule


# Attribute rules of each Maydan block: {tag: {attribute: rule}}, a rule returning the reason a
# value is wrong, or None. The attributes are the blocks' settings fields (Scope.settings), which
# their parse_xml reads from OLX attributes; tests/xblocks compare them with each installed class.
MAYDAN_BLOCKS = {
    "maydan_fieldlog": {"display_name": _any, "weight": _weight},
    "maydan_simulation": {"display_name": _any, "scenario": _one_of("scenarios"), "weight": _weight,
                          "mode": lambda value, known: None if value in ("assessment", "practice")
                          else f"is assessment or practice (got {value!r})"},
    "maydan_evaluation": {"display_name": _any, "form": _one_of("forms"), "weight": _weight},
    "maydan_sessions": {"display_name": _any},
    "maydan_cohort": {"display_name": _any},
    "maydan_program": {"display_name": _any},
    "maydan_readiness": {"display_name": _any},
}


def content_ids(folder):
    """The ids of the YAML/JSON files in a content folder (scenarios/, forms/); unreadable ones are skipped
    here (their own check reports them)."""
    ids = set()
    for path in sorted(Path(folder).glob("*")):
        if path.suffix not in (".yaml", ".yml", ".json"):
            continue
        try:
            data = untrusted.load_document(untrusted.read_file(path), path.name)
        except (OSError, untrusted.Unreadable):
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            ids.add(data["id"])
    return ids


def known_ids(root):
    """{"scenarios": ids, "forms": ids} that the course's blocks may name: the folders next to the course
    directory when it sits in a content folder, else the shipped ones."""
    base = Path(root).parent
    found = {}
    for kind in ("scenarios", "forms"):
        folder = base / kind if (base / kind).is_dir() else content_dir() / kind
        found[kind] = content_ids(folder)
    return found


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    reason: str

    def __str__(self):
        return f"{self.file}:{self.line}: {self.reason}"


class _Course:
    """One walk over a course directory, collecting problems."""

    def __init__(self, root, known):
        self.root = Path(root)
        self.known = known
        self.problems = []
        self.trees = {}  # relative path -> parsed root element, or None when it does not parse
        self.seen = {}  # (tag, url_name) -> (file, line) of its first use
        self.maydan_used = {}  # tag -> (file, line) of its first use

    def add(self, file, line, reason):
        self.problems.append(Problem(file, line or 1, reason))

    # --- files ---------------------------------------------------------------------------

    def parse_all(self):
        for rel, path in course_files(self.root):
            try:
                if path.suffix == ".xml":
                    self.trees[rel] = self._parse(rel, untrusted.read_bytes(path))
                elif path.suffix == ".html":
                    # A fragment of several sections: wrapped in one element, on the same line so
                    # line numbers stay those of the file.
                    self.trees[rel] = self._parse(rel, b"<fragment>" + untrusted.read_bytes(path) + b"</fragment>")
                elif path.suffix == ".json":
                    untrusted.load_json(untrusted.read_file(path))
            except untrusted.Unreadable as error:
                if path.suffix != ".json":
                    self.trees[rel] = None
                self.add(rel, error.line, f"not valid JSON: {error.reason}" if error.kind == "not_json" else error.reason)

    def _parse(self, rel, data):
        try:
            return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError as error:
            self.add(rel, error.lineno, f"not well-formed XML: {error.msg}")
            return None

    # --- the course tree -------------------------------------------------------------------

    def walk(self):
        top = self.trees.get("course.xml")
        if top is None:
            return
        if top.tag != "course":
            self.add("course.xml", top.sourceline, f"the root element is <{top.tag}>, not <course>")
            return
        for attribute in ("url_name", "org", "course"):
            if not top.get(attribute):
                self.add("course.xml", top.sourceline, f"<course> needs a {attribute} attribute")
        if top.get("url_name"):
            self.block(top, "course.xml", pointer=True)

    def block(self, element, file, pointer=None):
        """Check one block element; follow it to its own file when it is a pointer."""
        tag, url_name = element.tag, element.get("url_name")
        if url_name:
            self.unique(tag, url_name, file, element.sourceline)
        if tag.startswith("maydan_"):
            self.maydan_used.setdefault(tag, (file, element.sourceline))
        if pointer is None:
            pointer = _is_pointer(element)
        if pointer:
            target = f"{tag}/{url_name}.xml"
            if target not in self.trees and not (self.root / target).is_file():
                self.add(file, element.sourceline, f'<{tag} url_name="{url_name}"> points to {target}, which does not exist')
                return
            definition = self.trees.get(target)
            if definition is None:
                return  # reported as not well-formed
            if definition.tag != tag:
                self.add(target, definition.sourceline, f"the root element is <{definition.tag}>, not <{tag}>")
                return
            element, file = definition, target
        self.definition(element, file)

    def definition(self, element, file):
        tag = element.tag
        if tag.startswith("maydan_"):
            self.maydan_attributes(element, file)
        if tag == "html" and element.get("filename") is not None and not _children(element):
            self.html_file(element, file)
        elif tag in BILINGUAL:
            self.bilingual(element, file, element.sourceline, tag)
        if tag in CONTAINERS:
            for child in _children(element):
                self.block(child, file)

    def html_file(self, element, file):
        target = f"html/{element.get('filename')}.html"
        if target not in self.trees:
            self.add(file, element.sourceline, f'<html filename="{element.get("filename")}"> points to {target}, which does not exist')
        elif self.trees[target] is not None:
            self.bilingual(self.trees[target], target, 1, "reading")

    def unique(self, tag, url_name, file, line):
        first = self.seen.setdefault((tag, url_name), (file, line))
        if first != (file, line):
            self.add(file, line, f'url_name "{url_name}" is used by another <{tag}> too ({first[0]}:{first[1]})')

    def bilingual(self, element, file, line, what):
        arabic = [e for e in element.iter() if _lang(e) == "ar"]
        if not any(e.get("dir") == "rtl" and _has_text(e) for e in arabic):
            reason = 'has lang="ar" but not dir="rtl"' if arabic else 'has no Arabic section (dir="rtl" lang="ar")'
            self.add(file, line, f"the {what} {reason}")
        if not any(_lang(e) == "en" and _has_text(e) for e in element.iter()):
            self.add(file, line, f'the {what} has no English section (lang="en")')

    def maydan_attributes(self, element, file):
        tag = element.tag
        rules = MAYDAN_BLOCKS.get(tag)
        if rules is None:
            blocks = ", ".join(sorted(MAYDAN_BLOCKS))
            self.add(file, element.sourceline, f"<{tag}> is not a Maydan block (the Maydan blocks: {blocks})")
            return
        for name, value in element.attrib.items():
            if name in XBLOCK_ATTRIBUTES:
                continue
            if name not in rules:
                known = ", ".join(sorted(rules))
                self.add(file, element.sourceline, f"<{tag}> has no attribute {name!r} (it has: {known})")
                continue
            reason = rules[name](value, self.known)
            if reason:
                self.add(file, element.sourceline, f"<{tag}> {name} {reason}")

    # --- policies ---------------------------------------------------------------------------

    def advanced_modules(self):
        """Studio offers a block to authors only when the course lists it in its advanced modules."""
        top = self.trees.get("course.xml")
        run = top.get("url_name") if top is not None and top.tag == "course" else None
        if not run or not self.maydan_used:
            return
        rel = f"policies/{run}/policy.json"
        try:
            policy = untrusted.load_json(untrusted.read_file(self.root / rel))
        except (OSError, untrusted.Unreadable):
            policy = {}
        policy = policy if isinstance(policy, dict) else {}
        listed = set((policy.get(f"course/{run}") or {}).get("advanced_modules") or [])
        for tag, (file, line) in sorted(self.maydan_used.items()):
            if tag not in listed:
                self.add(file, line, f'<{tag}> is not in "advanced_modules" of {rel}')


def _is_pointer(element):
    """A block that only names its url_name: its definition is in <tag>/<url_name>.xml."""
    return (set(element.attrib) == {"url_name"} and not _children(element)
            and not (element.text or "").strip())


def _children(element):
    return [child for child in element if isinstance(child.tag, str)]


def _lang(element):
    return (element.get("lang") or "").split("-")[0].lower()


def _has_text(element):
    return bool("".join(element.itertext()).strip())


def check(root, known=None):
    """Every problem of the OLX course in directory `root` (a course.xml path names its directory).

    `known` gives the scenario and form ids the blocks may name (default: `known_ids(root)`)."""
    root = course_root(root)
    if not (root / "course.xml").is_file():
        return [Problem("course.xml", 1, "no course.xml: this is not an OLX course directory")]
    course = _Course(root, known_ids(root) if known is None else known)
    course.parse_all()
    course.walk()
    course.advanced_modules()
    return sorted(set(course.problems), key=lambda p: (p.file, p.line, p.reason))
