"""An H5P Branching Scenario (`.h5p` package) as a Maydan scenario draft.

The package is a zip: `h5p.json` (title, language, main library) and `content/content.json`, whose
`branchingScenario.content[]` lists the items; an item's id is its index, the first is the start.
`H5P.BranchingQuestion` items become choice nodes (each alternative a choice, its `nextContentId`
the next node, its feedback and `endScreenScore` the choice's feedback and score); any other item
(text, image, video, presentation) becomes a node with one "Continue" choice; a negative
`nextContentId` leads to an ending: the item's or alternative's own feedback when it has one (a
custom end screen), else the matching `endScreens` entry. Only those two files are read, never
extracted; the zip is refused whole when it looks hostile (see `read_package`).
"""
import io
import posixpath
import zipfile

from ... import untrusted
from .common import CONTINUE, Imported, Note, Refused, Writer, language_of, plain, prune, scenario_notes, slug

MAX_PACKAGE_BYTES = 20_000_000
MAX_MEMBERS = 5000
MAX_TOTAL_UNCOMPRESSED = 200_000_000
MAX_RATIO = 100  # a zip bomb's members expand thousands of times; text compresses some 10 times
CONTENT, MANIFEST = "content/content.json", "h5p.json"
QUESTION = "H5P.BranchingQuestion"
TEXTS = ("H5P.Text", "H5P.AdvancedText")


def convert(data):
    manifest, content = read_package(data)
    return from_content(content, manifest)


def read_package(data):
    """(h5p.json data, content.json data) of a package's bytes; Refused with the reason otherwise."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise Refused("package_too_large", f"larger than {MAX_PACKAGE_BYTES:,} bytes", limit=MAX_PACKAGE_BYTES)
    try:
        archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Refused("not_zip", "not a zip file (an .h5p package is one)") from None
    if len(members) > MAX_MEMBERS:
        raise Refused("too_many_members", f"more than {MAX_MEMBERS:,} files", limit=MAX_MEMBERS)
    names, total = set(), 0
    for member in members:
        name = member.filename
        if not safe_name(name):
            raise Refused("unsafe_name", f"a file name leaves the package: {name[:80]!r}", name=name[:80])
        if name in names:
            raise Refused("duplicate_name", f"two files are named {name[:80]!r}", name=name[:80])
        names.add(name)
        if member.flag_bits & 0x1:
            raise Refused("encrypted", "an encrypted file")
        total += member.file_size
        if member.file_size > 1_000_000 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise Refused("zip_bomb", f"{name[:80]!r} expands more than {MAX_RATIO} times", limit=MAX_RATIO)
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise Refused("too_large_unpacked", f"more than {MAX_TOTAL_UNCOMPRESSED:,} bytes unpacked",
                      limit=MAX_TOTAL_UNCOMPRESSED)
    if CONTENT not in names:
        raise Refused("no_content", "no content/content.json: not an H5P package")
    manifest = _json(archive, MANIFEST) if MANIFEST in names else {}
    return (manifest if isinstance(manifest, dict) else {}), _json(archive, CONTENT)


def safe_name(name):
    if not name or "\x00" in name or "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return False
    return ".." not in posixpath.normpath(name).split("/") and ".." not in name.split("/")


def _json(archive, name):
    """A member's JSON, read in bounded pieces: a member that lies about its size is still stopped."""
    limit = untrusted.MAX_DOCUMENT_BYTES
    try:
        with archive.open(name) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as error:
        raise Refused("not_zip", f"{name} cannot be unpacked ({error})"[:200]) from None
    if len(data) > limit:
        raise Refused("member_too_large", f"{name} is larger than {limit:,} bytes", limit=limit)
    try:
        return untrusted.load_json(untrusted.text_of(data))
    except untrusted.Unreadable as error:
        raise Refused("bad_json", f"{name}: {error.reason}", name=name) from None


def from_content(content, manifest):
    scenario = content.get("branchingScenario") if isinstance(content, dict) else None
    if not isinstance(scenario, dict) or not isinstance(scenario.get("content"), list) or not scenario["content"]:
        raise Refused("not_branching", "not a Branching Scenario: content.json has no branchingScenario.content")
    return _Converter(scenario, manifest).run()


def _dict(value):
    return value if isinstance(value, dict) else {}


class _Converter:
    def __init__(self, scenario, manifest):
        self.items = scenario["content"]
        self.scenario, self.manifest = scenario, manifest
        option = _dict(scenario.get("scoringOptionGroup")).get("scoringOption") or scenario.get("scoringOption")
        self.scoring = option or "no-score"
        self.ends = {e.get("contentId", -1): e for e in scenario.get("endScreens") or [] if isinstance(e, dict)}
        texts = [plain(_dict(_dict(i).get("type")).get("params", {}).get("text", "")) for i in self.items] + \
            [plain(_question(i).get("question")) for i in self.items] + [scenario.get("title") or ""]
        self.writer = Writer(language_of(texts, manifest.get("language")))
        self.notes, self.nodes, self._endings = [], [], {}

    def run(self):
        start = _dict(self.scenario.get("startScreen"))
        title = plain(self.scenario.get("title")) or plain(self.manifest.get("title")) or \
            plain(start.get("startScreenTitle")) or "Imported scenario"
        for index, item in enumerate(self.items):
            self.nodes.append(self._node(index, _dict(item)))
        self.nodes += list(self._endings.values())
        nodes = prune(self.nodes, "c0", self.notes)
        if self.scoring == "static-end-score":
            self.notes.append(Note("end_scores", "", "H5P scored the endings; Maydan scores each choice: the "
                                                     "ending scores are on the choices that lead to them"))
        data = {"id": slug(title, "h5p"), "title": self.writer.text(title), "feedback": "immediate"}
        summary = plain(start.get("startScreenSubtitle"))
        if summary:
            data["summary"] = self.writer.text(summary)
        data["nodes"] = nodes
        scenario_notes(self.writer, self.notes, any(c.get("score") for n in nodes for c in n.get("choices", [])))
        return Imported(data, "h5p", self.writer.language, self.notes)

    def _node(self, index, item):
        nid = f"c{index}"
        kind = _dict(item.get("type"))
        library = str(kind.get("library") or "").split(" ")[0]
        params = _dict(kind.get("params"))
        title = plain(_dict(kind.get("metadata")).get("title"))
        if library == QUESTION:
            question = _question(item)
            choices = []
            for number, alternative in enumerate(question.get("alternatives") or [], 1):
                alternative = _dict(alternative)
                choices.append(self._choice(nid, f"a{number}", plain(alternative.get("text")) or f"#{number}",
                                            alternative))
            text = plain(question.get("question")) or title or "?"
            node = {"id": nid, "type": "choice", "phase": "study", "text": self.writer.text(text),
                    "choices": choices or [self._choice(nid, "a1", None, {"nextContentId": -1})]}
            return node
        text = plain(params.get("text")) if library in TEXTS else ""
        if library not in TEXTS:
            what = {"H5P.Image": "image", "H5P.Video": "video", "H5P.Audio": "audio"}.get(library, library or "?")
            self.notes.append(Note("media_left_out" if what in ("image", "video", "audio") else "content_left_out",
                                   nid, f"{what} not carried over ({title or 'untitled'})"))
            alt = plain(params.get("alt")) if library == "H5P.Image" else ""
            text = alt or title or f"[{what}]"
        feedback = _dict(item.get("feedback"))
        if feedback.get("endScreenScore") not in (None, 0) and _target(item) >= 0:
            self.notes.append(Note("content_score", nid, "a score on plain content cannot be kept: reaching it "
                                                         "is no decision"))
        onward = self._choice(nid, "continue", None, item)
        onward.pop("score", None)  # one way on: a score here would be no decision's
        return {"id": nid, "type": "choice", "phase": "study", "text": self.writer.text(text), "choices": [onward]}

    def _choice(self, nid, cid, text, source):
        target = _target(source)
        feedback = _dict(source.get("feedback"))
        score = feedback.get("endScreenScore")
        score = score if isinstance(score, (int, float)) and not isinstance(score, bool) else 0
        if target < 0:
            ending = self._ending(nid, cid, target, feedback)
            score = score if score else self._end_score(target)
            nxt = ending
        elif target >= len(self.items):
            self.notes.append(Note("unknown_target", nid, f"led to content {target}, which does not exist: "
                                                          "it now leads to the end"))
            nxt = self._ending(nid, cid, -1, {})
        else:
            nxt = f"c{target}"
        if self.scoring == "no-score" or (self.scoring == "static-end-score" and target >= 0):
            score = 0
        choice = {"id": cid, "text": self.writer.text(text) if text else self.writer.fixed(CONTINUE), "next": nxt}
        words = "\n".join(filter(None, (plain(feedback.get("title")), plain(feedback.get("subtitle")))))
        if words and target >= 0:
            choice["feedback"] = self.writer.text(words)
        if score:
            choice["score"] = score
        return choice

    def _end_score(self, target):
        value = _dict(self.ends.get(target) or self.ends.get(-1)).get("endScreenScore")
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else 0

    def _ending(self, nid, cid, target, feedback):
        """The ending node a negative nextContentId leads to: the custom end screen of this item, or a shared one."""
        words = "\n".join(filter(None, (plain(feedback.get("title")), plain(feedback.get("subtitle")))))
        if words:
            key = f"end-{nid}-{cid}"
        else:
            screen = _dict(self.ends.get(target) or self.ends.get(-1))
            words = "\n".join(filter(None, (plain(screen.get("endScreenTitle")), plain(screen.get("endScreenSubtitle")))))
            key = "end" if target == -1 else f"end{abs(target)}"
        if key not in self._endings:
            self._endings[key] = {"id": key, "type": "ending", "phase": "study",
                                  "text": self.writer.text(words, "The end")}
        return key


def _question(item):
    return _dict(_dict(_dict(_dict(item).get("type")).get("params")).get("branchingQuestion"))


def _target(source):
    value = _dict(source).get("nextContentId", -1)
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
