"""What both importers share: the draft they build, the notes they write, plain text out of HTML."""
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import yaml

from ... import untrusted
from ..validate import SCENARIO_ID, check

LANGUAGES = ("en", "ar")
# The other language's field holds the source text behind this mark until someone translates it.
TO_TRANSLATE = {"en": "[TO TRANSLATE] ", "ar": "[للترجمة] "}
CONTINUE = {"en": "Continue", "ar": "متابعة"}
ARABIC = re.compile(r"[\u0600-\u06FF]")


class Refused(ValueError):
    """The file is refused whole; `kind` names the fault (for the reader's language), `params` its figures."""

    def __init__(self, kind, reason, **params):
        super().__init__(reason)
        self.kind, self.reason, self.params = kind, reason, params


@dataclass
class Note:
    """Something the author must look at: `kind` (a short code), `node` it concerns, `detail` in English."""

    kind: str
    node: str = ""
    detail: str = ""


@dataclass
class Imported:
    scenario: dict
    source_format: str
    language: str
    notes: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def yaml(self):
        return yaml.safe_dump(self.scenario, allow_unicode=True, sort_keys=False, width=100)


def convert(data, name="", taken=()):
    """The draft of an uploaded file's bytes; Refused when it cannot be read. `taken`: ids already in use."""
    from . import branching_xblock, h5p

    if not data:
        raise Refused("empty", "the file is empty")
    if bytes(data[:4]) == b"PK\x03\x04" or str(name).lower().endswith(".h5p"):
        imported = h5p.convert(data)
    else:
        try:
            parsed = untrusted.load_json(untrusted.text_of(data))
        except untrusted.Unreadable as error:
            raise Refused("unreadable", f"neither an H5P package nor JSON ({error.reason})") from None
        if isinstance(parsed, dict) and "branchingScenario" in parsed:
            imported = h5p.from_content(parsed, {})
        else:
            imported = branching_xblock.from_json(parsed)
    imported.scenario["id"] = unique_id(imported.scenario["id"], taken)
    imported.problems = check(imported.scenario)
    return imported


def unique_id(wanted, taken):
    base = wanted if SCENARIO_ID.match(wanted) else "imported"
    candidate, n = base, 1
    while candidate in set(taken):
        n += 1
        candidate = f"{base[:18]}-{n}"
    return candidate


def slug(title, prefix):
    words = re.findall(r"[a-z0-9]+", (title or "").lower())
    text = "-".join(words)[: 20 - len(prefix)].strip("-")
    return f"{prefix}-{text}" if text else f"{prefix}-scenario"


class _Text(HTMLParser):
    BREAKS = {"p", "br", "div", "li", "h1", "h2", "h3", "h4", "tr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def plain(html):
    """The text of an HTML fragment: tags out, entities read, paragraphs kept as blank lines."""
    if not isinstance(html, str):
        return ""
    reader = _Text()
    reader.feed(html)
    reader.close()
    lines = [" ".join(line.split()) for line in "".join(reader.parts).split("\n")]
    return "\n".join(line for line in lines if line).strip()


def language_of(texts, declared=""):
    """The source language: the package's own when it is ar or en, else Arabic if Arabic script dominates."""
    declared = (declared or "").split("-")[0].lower()
    if declared in LANGUAGES:
        return declared
    sample = " ".join(t for t in texts if t)
    arabic = len(ARABIC.findall(sample))
    letters = sum(ch.isalpha() for ch in sample)
    return "ar" if letters and arabic * 2 >= letters else "en"


class Writer:
    """Builds bilingual texts in the source language and counts those still to translate."""

    def __init__(self, language):
        self.language = language
        self.other = "en" if language == "ar" else "ar"
        self.untranslated = 0

    def text(self, value, fallback=""):
        value = (value or "").strip() or fallback
        if not value:
            return None
        self.untranslated += 1
        return {self.language: value, self.other: TO_TRANSLATE[self.other] + value} if self.language == "en" else \
            {"en": TO_TRANSLATE["en"] + value, "ar": value}

    def fixed(self, texts):
        return dict(texts)


def reachable(nodes, start):
    """Ids of the nodes reachable from `start` following choices and next."""
    by_id = {n["id"]: n for n in nodes}
    seen, todo = set(), [start]
    while todo:
        nid = todo.pop()
        if nid in seen or nid not in by_id:
            continue
        seen.add(nid)
        node = by_id[nid]
        todo += [c["next"] for c in node.get("choices", [])] + ([node["next"]] if "next" in node else [])
    return seen


def prune(nodes, start, notes):
    """Drop what no path from the start reaches (the validator would refuse it), with a note each."""
    keep = reachable(nodes, start)
    for node in nodes:
        if node["id"] not in keep:
            notes.append(Note("unreachable", node["id"], "no path from the start reaches it; left out"))
    return [n for n in nodes if n["id"] in keep]


def scenario_notes(writer, notes, scored):
    notes.append(Note("phases", "", "every node is in the study phase: set diagnosis and treatment"))
    notes.append(Note("competencies", "", "no competency tags: add them to the choices and nodes"))
    if writer.untranslated:
        notes.append(Note("translate", "", f"{writer.untranslated} texts are in one language only; the other "
                                           f"language holds a copy marked {TO_TRANSLATE[writer.other].strip()}"))
    if not scored:
        notes.append(Note("unscored", "", "the source gave no scores: every choice scores 0, add scores"))
