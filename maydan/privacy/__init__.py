"""Finds client identifiers in free text so they can be refused before anything is stored.

Pure Python. A client in a field log is a code (e.g. "C-014"), never a name, a national ID, a
phone number, an e-mail or a street address. The text is read once in a folded form
(normalise.py: NFKC, hidden characters out, every digit script to ASCII, Arabic letter variants,
tatweel and diacritics folded); each kind has its own short module of rules, and every finding
says why it was made (`reason`) and where it is in the text as written (`start`, `end`).
The finder errs on the side of asking: a false alarm costs a rewording, a miss puts a client's
identity on record. README.md and tests/fixtures/privacy/ show what passes and what does not.
"""
import re
from dataclasses import dataclass

from . import addresses, emails, names, numbers
from .normalise import Normalised

NATIONAL_ID = numbers.NATIONAL_ID
PHONE = numbers.PHONE
EMAIL = emails.EMAIL
NAME = names.NAME
ADDRESS = addresses.ADDRESS
KINDS = (NAME, PHONE, NATIONAL_ID, EMAIL, ADDRESS)

# When two rules claim overlapping text, the more specific kind names the finding.
_PRECEDENCE = {EMAIL: 0, NATIONAL_ID: 1, PHONE: 2, ADDRESS: 3, NAME: 4}


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str
    reason: str = ""


def find_identifiers(text):
    """Every client identifier found in `text`, in reading order, overlapping finds merged.

    `start`/`end` index `text` as given, so `text[f.start:f.end] == f.text`.
    """
    if not text:
        return []
    folded = Normalised.of(text)
    spans = []
    for module in (emails, numbers, addresses, names):
        spans += module.find(folded.text)
    return _merge(folded, spans)


def _merge(folded, spans):
    merged = []
    for start, end, kind, reason in sorted(spans, key=lambda s: (s[0], _PRECEDENCE[s[2]])):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            winner = last if _PRECEDENCE[last[2]] <= _PRECEDENCE[kind] else (start, end, kind, reason)
            merged[-1] = (last[0], max(last[1], end), winner[2], winner[3])
            continue
        merged.append((start, end, kind, reason))
    findings = []
    for start, end, kind, reason in merged:
        while end > start and folded.text[end - 1].isspace():  # a highlight never ends in a space
            end -= 1
        first, last = folded.span(start, end)
        findings.append(Finding(kind, first, last, folded.original[first:last], reason))
    return findings


CLIENT_CODE = re.compile(r"^[A-Za-z0-9\u0621-\u064A\u0660-\u0669][A-Za-z0-9\u0621-\u064A\u0660-\u0669_/\-]{0,19}$")


def is_client_code(value):
    """A client code is short, has no spaces, and is not itself an identifier."""
    return bool(CLIENT_CODE.match(value)) and not find_identifiers(value) and not (
        value.translate(_DIGITS).isdigit() and len(value) > 6
    )


_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
