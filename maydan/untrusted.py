"""Reading what people bring — content files, pasted text, spreadsheets — with limits set before parsing.

Pure Python, but for images (Pillow, loaded when one is read). Every reader takes the whole input
or refuses the whole input with `Unreadable`,
whose `kind` and `params` say why (`reason` in plain English for authors and logs;
`message(error)` in the reader's language). The limits are checked before the parser
runs, then bounded while it runs:

- size: bytes of a file or upload, characters of pasted text;
- YAML: a safe loader only, no Python tag, at most MAX_ALIASES aliases and MAX_NODES
  nodes once aliases are expanded (a "billion laughs" document is refused after reading
  its few lines, not after building its billion nodes), nesting at most MAX_DEPTH;
- JSON: nesting at most MAX_DEPTH (a document nested 100,000 deep is refused, never a
  RecursionError);
- CSV: rows and the length of each field;
- uploaded documents (PDF or image): size, and a type told by the bytes, never by the file's name.
- images: the formats named (told by the content, never by the file's name or declared type) and the
  pixel count, read from the header before any pixel is decoded (a "decompression bomb" is refused).
- media (images, audio, video, WebVTT captions): the type read from the content, never the name
  alone, and a size limit per kind.
"""
import csv
import io
import json

import filetype
import yaml

MAX_DOCUMENT_BYTES = 1_000_000  # a content file; the largest shipped scenario is some 30 kB
MAX_DOCUMENT_CHARS = 500_000  # pasted text
MAX_DEPTH = 64
MAX_ALIASES = 200
MAX_NODES = 200_000

# Dates people bring (a placement period, a meeting) fall within these years; outside them a date
# is a typing slip or a hostile file, and date arithmetic near the year 1 or 9999 overflows.
FIRST_YEAR, LAST_YEAR = 1900, 2200

MAX_CSV_BYTES = 2_000_000
MAX_CSV_ROWS = 5000
MAX_CSV_FIELD = 2000

# LibYAML's safe loader when PyYAML has it: many times faster, and just as safe.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PYTHON_TAG = "tag:yaml.org,2002:python/"


class Unreadable(ValueError):
    """The input is refused whole. `kind` names the limit or the fault; `params` its figures."""

    def __init__(self, kind, reason, line=None, **params):
        super().__init__(reason)
        self.kind, self.reason, self.line, self.params = kind, reason, line, params


# --- text ----------------------------------------------------------------------------------


def text_of(data, *, max_bytes=MAX_DOCUMENT_BYTES, max_chars=MAX_DOCUMENT_CHARS):
    """The text of uploaded bytes (UTF-8, with or without BOM, or UTF-16) or of pasted text, capped."""
    if data is None:
        return ""
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        if len(data) > max_bytes:
            raise Unreadable("too_large", f"larger than {max_bytes:,} bytes", limit=max_bytes)
        data = _decode(data)
    if not isinstance(data, str):
        raise Unreadable("not_text", "not text")
    if len(data) > max_chars:
        raise Unreadable("too_long", f"longer than {max_chars:,} characters", limit=max_chars)
    # No text people write holds a NUL; PostgreSQL cannot store one, so it would fail after parsing.
    if "\x00" in data:
        raise Unreadable("not_text", "holds a NUL character")
    return data.lstrip("\ufeff")


def _decode(data):
    encodings = ("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",)
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeError:
            continue
    raise Unreadable("not_text", "not UTF-8 text")


def read_bytes(path, *, max_bytes=MAX_DOCUMENT_BYTES):
    """The bytes of a file, refused without reading it all when it is larger than `max_bytes`."""
    with open(path, "rb") as file:
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise Unreadable("too_large", f"larger than {max_bytes:,} bytes", limit=max_bytes)
    return data


def read_file(path, *, max_bytes=MAX_DOCUMENT_BYTES):
    """The text of a file, refused before it is read when it is larger than `max_bytes`."""
    return text_of(read_bytes(path, max_bytes=max_bytes), max_bytes=max_bytes, max_chars=max_bytes)


# --- JSON and YAML ---------------------------------------------------------------------------


def load_json(text, *, max_depth=MAX_DEPTH, max_chars=MAX_DOCUMENT_CHARS):
    text = text_of(text, max_bytes=max_chars, max_chars=max_chars)
    try:
        data = json.loads(text)
    except RecursionError:
        raise Unreadable("too_deep", f"nested more than {max_depth} levels deep", limit=max_depth) from None
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        raise Unreadable("not_json", f"not valid JSON ({getattr(exc, 'msg', exc)})"[:200], line) from None
    _check_depth(data, max_depth)
    return data


def _check_depth(data, max_depth):
    """Walked without recursion, so that depth itself cannot break the check."""
    level = [data]
    for _depth in range(max_depth):
        level = [child for item in level if isinstance(item, (dict, list))
                 for child in (item.values() if isinstance(item, dict) else item)]
        if not level:
            return
    raise Unreadable("too_deep", f"nested more than {max_depth} levels deep", limit=max_depth)


def load_yaml(text, *, max_chars=MAX_DOCUMENT_CHARS, max_depth=MAX_DEPTH,
              max_aliases=MAX_ALIASES, max_nodes=MAX_NODES):
    """YAML data (JSON is YAML too) from a safe loader, after the limits above are checked."""
    text = text_of(text, max_bytes=max_chars, max_chars=max_chars)
    _check_yaml(text, max_depth, max_aliases, max_nodes)
    try:
        return yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise _yaml_fault(exc) from None


def compose_yaml(text, **limits):
    """The node tree of a YAML text (for finding the line of a node), with the limits of `load_yaml`."""
    text = text_of(text)
    _check_yaml(text, limits.get("max_depth", MAX_DEPTH), limits.get("max_aliases", MAX_ALIASES),
                limits.get("max_nodes", MAX_NODES))
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise _yaml_fault(exc) from None


def load_document(text, name="", **limits):
    """A content document told by its name: JSON for `.json`, else YAML."""
    if str(name).endswith(".json"):
        return load_json(text, max_depth=limits.get("max_depth", MAX_DEPTH),
                         max_chars=limits.get("max_chars", MAX_DOCUMENT_CHARS))
    return load_yaml(text, **limits)


def _yaml_fault(exc):
    mark = getattr(exc, "problem_mark", None)
    detail = getattr(exc, "problem", None) or "not valid YAML"
    if "nesting depth" in detail:  # LibYAML's own bound, met before ours on flow collections
        return Unreadable("too_deep", f"nested more than {MAX_DEPTH} levels deep", mark.line + 1 if mark else None,
                          limit=MAX_DEPTH)
    return Unreadable("not_yaml", f"not valid YAML ({detail})"[:200], mark.line + 1 if mark else None)


def _check_yaml(text, max_depth, max_aliases, max_nodes):
    """Walk the parser's events, counting what the loader would build, before it builds anything.

    Each anchor's size is known when its node closes; an alias adds that size again, which is
    how a few lines can stand for a billion nodes.
    """
    sizes, open_sizes, open_anchors, aliases = {}, [0], [], 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > max_aliases:
                    raise Unreadable("too_many_aliases", f"more than {max_aliases} aliases (*name)", line,
                                     limit=max_aliases)
                open_sizes[-1] += sizes.get(event.anchor, 1)
            elif isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                if (event.tag or "").startswith(_PYTHON_TAG):
                    raise Unreadable("python_tag", f"a Python tag ({event.tag}) is never read", line)
                if isinstance(event, yaml.ScalarEvent):
                    if event.anchor:
                        sizes[event.anchor] = 1
                    open_sizes[-1] += 1
                else:
                    open_sizes.append(1)
                    open_anchors.append(event.anchor)
                    if len(open_anchors) > max_depth:
                        raise Unreadable("too_deep", f"nested more than {max_depth} levels deep", line,
                                         limit=max_depth)
            elif isinstance(event, yaml.CollectionEndEvent):
                size, anchor = open_sizes.pop(), open_anchors.pop()
                if anchor:
                    sizes[anchor] = size
                open_sizes[-1] += size
            else:
                continue
            if open_sizes[-1] > max_nodes:
                raise Unreadable("too_many_nodes", f"more than {max_nodes:,} values once aliases are expanded",
                                 line, limit=max_nodes)
    except yaml.YAMLError as exc:
        raise _yaml_fault(exc) from None


def plausible_year(moment):
    """True when a date or datetime falls within FIRST_YEAR..LAST_YEAR."""
    return FIRST_YEAR <= moment.year <= LAST_YEAR


# --- CSV -------------------------------------------------------------------------------------


def read_csv(data, *, max_bytes=MAX_CSV_BYTES, max_rows=MAX_CSV_ROWS, max_field=MAX_CSV_FIELD, tabs=False):
    """[[cell]] of a CSV upload or pasted CSV: at most `max_rows` records (header included), no field
    longer than `max_field` characters; blank records are kept (callers know their lines).
    `tabs`: a file whose first lines hold more tabs than commas is read as tab-separated (Teams' reports)."""
    text = text_of(data, max_bytes=max_bytes, max_chars=max_bytes)
    rows = []
    head = text[:4000]
    delimiter = "\t" if tabs and head.count("\t") > head.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for cells in reader:
            if len(rows) >= max_rows:
                raise Unreadable("too_many_rows", f"more than {max_rows:,} rows", reader.line_num, limit=max_rows)
            if any(len(cell) > max_field for cell in cells):
                raise Unreadable("field_too_long", f"a field longer than {max_field:,} characters",
                                 reader.line_num, limit=max_field)
            rows.append(cells)
    except csv.Error as exc:
        # csv's own limit on a field (field_size_limit), a NUL byte, a quote left open
        kind = "field_too_long" if "field larger" in str(exc) else "not_csv"
        raise Unreadable(kind, f"not readable as CSV ({exc})"[:200], reader.line_num, limit=max_field) from None
    return rows


def read_csv_records(data, **limits):
    """(header, [{column: cell}]) of a CSV whose first record names the columns; blank records are skipped."""
    rows = read_csv(data, **limits)
    if not rows:
        return [], []
    header = [cell.strip() for cell in rows[0]]
    return header, [dict(zip(header, cells)) for cells in rows[1:] if any(cell.strip() for cell in cells)]


# --- images and uploaded documents ------------------------------------------------------------

MAX_IMAGE_BYTES = 2_000_000
MAX_IMAGE_PIXELS = 25_000_000
IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")


def read_image(data, *, max_bytes=MAX_IMAGE_BYTES, max_pixels=MAX_IMAGE_PIXELS, formats=IMAGE_FORMATS):
    """A Pillow image of uploaded bytes, decoded whole (a truncated or corrupt file is refused here, not later)."""
    from PIL import Image, UnidentifiedImageError

    data = bytes(data or b"")
    if len(data) > max_bytes:
        raise Unreadable("too_large", f"larger than {max_bytes:,} bytes", limit=max_bytes)
    faults = (UnidentifiedImageError, OSError, ValueError, SyntaxError)
    not_image = Unreadable("not_image", f"not an image ({', '.join(formats)})", formats=", ".join(formats))
    too_many = Unreadable("too_many_pixels", f"more than {max_pixels:,} pixels", limit=max_pixels)
    try:
        image = Image.open(io.BytesIO(data), formats=formats)
    except Image.DecompressionBombError:
        raise too_many from None
    except faults:
        raise not_image from None
    if image.width * image.height > max_pixels:
        raise too_many
    try:
        # verify() checks the file through to its end (a PDF renderer in the same process may have told
        # Pillow to decode truncated files quietly); a verified image must be opened again to be decoded.
        image.verify()
        image = Image.open(io.BytesIO(data), formats=formats)
        image.load()
    except faults:
        raise not_image from None
    return image


MAX_UPLOAD_BYTES = 5_000_000
# A phone photo is some 12 megapixels; far beyond that, a scanned document is a "decompression bomb".
MAX_DOCUMENT_PIXELS = 60_000_000
# The types a document may be, as (content type, extension), by what Pillow finds in an image.
PDF = ("application/pdf", "pdf")
IMAGES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


def read_upload(stream, *, max_bytes=MAX_UPLOAD_BYTES):
    """The bytes of an uploaded file (anything with `read(n)`), refused once past `max_bytes` without reading on."""
    data = stream.read(max_bytes + 1) if stream is not None else b""
    if len(data) > max_bytes:
        raise Unreadable("too_large", f"larger than {max_bytes:,} bytes", limit=max_bytes)
    if not data:
        raise Unreadable("empty", "an empty file")
    return data


def document_type(data):
    """(content type, extension) of a PDF or an image, told by its bytes; Unreadable("not_document") otherwise.

    A PDF starts with its header at the first byte and ends with its end-of-file marker (an
    executable renamed .pdf has neither); an image must decode whole (read_image), within
    MAX_DOCUMENT_PIXELS."""
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise Unreadable("not_document", "a PDF cut short (no end-of-file marker)")
        return PDF
    try:
        image = read_image(data, max_bytes=len(data), max_pixels=MAX_DOCUMENT_PIXELS, formats=tuple(IMAGES))
    except Unreadable:
        raise Unreadable("not_document", "neither a PDF nor an accepted image") from None
    return IMAGES[image.format]


# --- media -----------------------------------------------------------------------------------

IMAGE, AUDIO, VIDEO, CAPTIONS = "image", "audio", "video", "captions"
MEDIA_LIMITS = {IMAGE: 2_000_000, AUDIO: 10_000_000, VIDEO: 50_000_000, CAPTIONS: 200_000}
MAX_MEDIA_BYTES = max(MEDIA_LIMITS.values())
# What a file name may promise, and the content types whose bytes keep that promise.
MEDIA_TYPES = {
    ".png": (IMAGE, ("image/png",)), ".jpg": (IMAGE, ("image/jpeg",)), ".jpeg": (IMAGE, ("image/jpeg",)),
    ".gif": (IMAGE, ("image/gif",)), ".webp": (IMAGE, ("image/webp",)), ".svg": (IMAGE, ("image/svg+xml",)),
    ".mp3": (AUDIO, ("audio/mpeg",)), ".ogg": (AUDIO, ("audio/ogg",)), ".oga": (AUDIO, ("audio/ogg",)),
    ".opus": (AUDIO, ("audio/ogg",)), ".wav": (AUDIO, ("audio/x-wav",)), ".m4a": (AUDIO, ("audio/mp4", "video/mp4")),
    ".mp4": (VIDEO, ("video/mp4",)), ".webm": (VIDEO, ("video/webm",)),
    ".vtt": (CAPTIONS, ("text/vtt",)),
}
# SVG is XML that could carry script: none of these may appear in one (it is served sandboxed as well).
_SVG_FORBIDDEN = ("script", "foreignobject", "iframe", "embed", "object")


def media_type(data, name):
    """(kind, content type) of an uploaded media file, read from its bytes and checked against its name.

    Refuses with Unreadable: "wrong_type" when the name's extension is not a media type or the bytes
    are not what it says, "too_large" past the kind's limit (MEDIA_LIMITS), "too_many_pixels" or
    "not_image" for a picture past the pixel limit or that does not decode."""
    name = str(name or "").lower()
    suffix = name[name.rfind("."):] if "." in name else ""
    if suffix not in MEDIA_TYPES:
        raise Unreadable("wrong_type", "not an image, audio, video or WebVTT file (by its name)")
    kind, accepted = MEDIA_TYPES[suffix]
    data = bytes(data or b"")
    limit = MEDIA_LIMITS[kind]
    if len(data) > limit:
        raise Unreadable("too_large", f"larger than {limit:,} bytes", limit=limit)
    if kind == CAPTIONS:
        found = _captions_type(data)
    elif suffix == ".svg":
        found = _svg_type(data)
    else:
        found = filetype.guess_mime(data[:8192]) if data else None
    if found not in accepted:
        raise Unreadable("wrong_type", f"its content is not what its name ({suffix}) says")
    if kind == IMAGE and suffix != ".svg":
        # Decoded here within a pixel limit: every student's browser would decode a "bomb" of a few bytes whole.
        read_image(data, max_bytes=limit)
    return kind, accepted[0]


def _captions_type(data):
    """text/vtt for a WebVTT file whose cues parse; None otherwise."""
    import webvtt

    try:
        text = text_of(data, max_bytes=MEDIA_LIMITS[CAPTIONS])
        captions = webvtt.from_string(text)
    except (Unreadable, Exception):  # webvtt-py raises its own errors and ValueError on malformed cues
        return None
    return "text/vtt" if text.lstrip().startswith("WEBVTT") and len(captions) else None


def _svg_type(data):
    """image/svg+xml for an SVG drawing with no script, external content nor entity definitions; None otherwise."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException
    from xml.etree.ElementTree import ParseError

    try:
        root = ElementTree.fromstring(text_of(data, max_bytes=MEDIA_LIMITS[IMAGE]), forbid_dtd=True)
    except (Unreadable, DefusedXmlException, ParseError):
        return None
    if root.tag.rsplit("}", 1)[-1] != "svg":
        return None
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1].lower() in _SVG_FORBIDDEN:
            return None
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            if local.startswith("on") or (local == "href" and not value.startswith("#")):
                return None
    return "image/svg+xml"


# --- in the reader's language ------------------------------------------------------------------


def message(error):
    """Why `error` (an Unreadable) refused the input, in the active language (Django's translations)."""
    from django.utils.translation import gettext as _

    texts = {
        "too_large": lambda: _("The file is too large: at most %(limit)s bytes."),
        "too_long": lambda: _("The text is too long: at most %(limit)s characters."),
        "not_text": lambda: _("The file is not text in UTF-8."),
        "not_json": lambda: _("The text is not valid JSON."),
        "not_yaml": lambda: _("The text is not valid YAML."),
        "not_csv": lambda: _("The file cannot be read as CSV."),
        "too_deep": lambda: _("The text is nested too deeply: at most %(limit)s levels."),
        "too_many_aliases": lambda: _("The text uses too many YAML aliases: at most %(limit)s."),
        "too_many_nodes": lambda: _("The text grows too large once its YAML aliases are expanded."),
        "python_tag": lambda: _("The text carries a Python tag, which is never read."),
        "too_many_rows": lambda: _("The file has too many rows: at most %(limit)s."),
        "field_too_long": lambda: _("A field of the file is too long: at most %(limit)s characters."),
        "empty": lambda: _("The file is empty."),
        "not_document": lambda: _("The file is not a PDF or an image (JPEG, PNG, WebP). Scan or photograph the "
                                  "document and upload that file."),
        "infected": lambda: _("The file was refused by the virus check."),
        "not_image": lambda: _("The file is not an image: use %(formats)s."),
        "too_many_pixels": lambda: _("The image is too large: at most %(limit)s pixels."),
        "wrong_type": lambda: _("The file is not an image (PNG, JPEG, GIF, WebP, SVG), audio (MP3, Ogg, WAV, M4A), "
                                "video (MP4, WebM) or WebVTT captions, or its content is not what its name says."),
    }
    params = {key: f"{value:,}" if isinstance(value, int) else value for key, value in error.params.items()}
    text = texts[error.kind]() % params
    if error.line:
        text = _("Line %(line)s: %(reason)s") % {"line": error.line, "reason": text}
    return text
