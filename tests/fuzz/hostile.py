"""What an attacker or a careless person posts: hostile values, and the field names our forms read.

The field names are found, not listed: every `name="..."` in the templates and every
`form.get("...")`/`data.get("...")` in the code, so a new field is fuzzed without a change here.
"""
import re
from functools import lru_cache
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("maydan", "lti_tool", "xblocks")
DEEP = 100_000

_NAME = re.compile(r'name="([a-z_][a-z0-9_]*)"')
_READ = re.compile(r'(?:form|data|POST|GET|get)\.(?:get|getlist)\(\s*"([a-z_][a-z0-9_]*)"')


@lru_cache(maxsize=1)
def field_names():
    """Every form field name a template shows or the code reads, sorted."""
    names = set()
    for package in SOURCES:
        for path in (ROOT / package).rglob("*"):
            if "sandbox" in path.parts or path.suffix not in (".html", ".py", ".js"):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            names.update(_NAME.findall(text))
            names.update(_READ.findall(text))
    return sorted(names)


HOSTILE = [
    "", " ", "abc", "0", "-1", "-999999999999999999999", "99999999999999999999999999", str(2**63), str(-2**63 - 1),
    "1e400", "-1e400", "1e-400", "nan", "NaN", "inf", "-inf", "Infinity", "0x10", "1_000", "١٢٣", "²", "½", "⅕",
    "٣:٤٥", "1:99", "99:00", "-1:30", "1:30:00", ":",
    "0001-01-01", "9999-12-31", "0000-00-00", "1-01-01", "10000-01-01", "2025-02-30", "2025-13-01", "1899-12-31",
    "2201-01-01", "0001-01-01T00:00", "9999-12-31T23:59:59", "9999-12-31T23:59:59+14:00", "25:61", "23:59:60",
    "null", "true", "[]", "{}", '{"direct": "1e400"}', '{"direct": NaN}', '{"a": [1, {"b": null}]}', '"str"',
    "[" * DEEP + "]" * DEEP, '{"a":' * DEEP + "1" + "}" * DEEP,
    "x" * 100_000, "٣" * 100_000, "\u202e" * 10_000,
    "a\x00b", "\x00", "\u202eevil\u202c", "\u200b\u200c\u200d\ufeff", "\ud7ff", "C-014\u200f", "=1+1", "@SUM(A1)",
    "\r\n\r\n", "../../etc/passwd", "<script>alert(1)</script>", "'; DROP TABLE maydan_course; --", "%s%s%n",
    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:00010101T000000Z\r\nRRULE:FREQ=SECONDLY;COUNT=1000000000\r\n"
    "END:VEVENT\r\nEND:VCALENDAR",
]


def text():
    """One posted string: mostly hostile, sometimes any Unicode text."""
    return st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30), st.integers().map(str))


def value(known_ids=()):
    """A posted value, or a list of them where one string belongs; known ids reach deeper code."""
    one = st.one_of(text(), st.sampled_from(list(known_ids) or ["1"]))
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))


def forms(known_ids=()):
    """A posted form: hostile values for some of the fields our forms have."""
    return st.dictionaries(st.sampled_from(field_names()), value(known_ids), max_size=8)


# One value of each class that breaks a parser which trusts its input: no number, a negative or
# huge id, a number past float's range, not-a-number, a Unicode digit, years 1 and 9999, nothing,
# JSON where text belongs, a list where one value belongs, control and direction characters.
CLASSES = ["abc", "-1", "99999999999999999999999", "1e400", "nan", "inf", "²", "١٢", "0001-01-01", "9999-12-31",
           "9999-12-31T23:59", "", "[[[[[[[[[[]]]]]]]]]]", ["1", "2"], "a\x00b", "\u202e\u200b", "25:99"]


def every_field(value):
    """The same value in every field: each parser meets it, wherever it is."""
    return dict.fromkeys(field_names(), value)


def each_class(offset=0):
    """Every field with a value of some class, the classes dealt round the fields."""
    return {name: CLASSES[(index + offset) % len(CLASSES)] for index, name in enumerate(field_names())}


def json_bodies():
    """A JSON handler's body: raw bytes that are JSON, deep JSON, or not JSON at all."""
    deep = st.sampled_from([b"[" * DEEP + b"]" * DEEP, b'{"a":' * DEEP + b"1" + b"}" * DEEP])
    junk = st.sampled_from([b"", b"null", b"[]", b"{", b"\xff\xfe", b'{"weight": 1e400}', b"x" * 3_000_000])
    objects = st.dictionaries(st.sampled_from(field_names()), value(), max_size=8).map(_json_bytes)
    return st.one_of(deep, junk, objects)


def _json_bytes(data):
    import json

    return json.dumps(data).encode()
