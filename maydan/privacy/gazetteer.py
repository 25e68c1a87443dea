"""The name lists in `data/`, read once and folded like the text they are compared with.

See data/README.md for where each list comes from and under which licence.
"""
from functools import cache
from importlib.resources import files

from .normalise import fold


def _lines(name, section=None):
    """The lines of a data file (or of one `## section` of it), without comments."""
    text = (files(__package__) / "data" / name).read_text(encoding="utf-8")
    lines, current = [], None
    for line in text.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
        elif line.strip() and not line.startswith("#") and section in (None, current):
            lines.append(line.strip())
    return lines


def _words(name, section=None):
    return {fold(word).lower() for line in _lines(name, section) for word in line.split()}


def _single_or_compound(name):
    """One name a line. «عبد الرحمن», «أبو زيد» as one word, the way they are often typed;
    other two-word names («أم كلثوم») are left to the rules, which read them word by word."""
    names = set()
    for line in _lines(name):
        folded = fold(line).lower()
        names.add(folded.replace(" ", "") if folded.startswith(("عبد ", "ابو ")) else folded)
    return {n for n in names if " " not in n}


def variants(key):
    """A word as typed and, when it ends in «ه», as the «ة» name it may be («فاطمه» → «فاطمة»)."""
    return (key, key[:-1] + "ة") if key.endswith("ه") else (key,)


@cache
def given():
    """Given names, Arabic and Latin, folded and lower-cased."""
    return frozenset(_single_or_compound("faker_given_ar.txt") | _single_or_compound("given_ar.txt")
                     | _words("given_latin.txt"))


@cache
def family():
    return frozenset(_single_or_compound("faker_family_ar.txt") | _single_or_compound("family_ar.txt")
                     | _words("family_latin.txt")) | given()


@cache
def everyday():
    """Names that are also ordinary words: they need a stronger sign before they count as names."""
    return frozenset(_words("everyday.txt"))


@cache
def noun_names():
    """Everyday words among them that are nouns: after a client word they are names."""
    return frozenset(_words("everyday.txt", "nouns"))


@cache
def public_names():
    """Folded, lower-cased word sequences of public figures and places named after them."""
    return frozenset(tuple(fold(line).lower().replace("-", " ").split()) for line in _lines("public_names.txt"))


@cache
def public_first_words():
    """A found name stops before one of these: "client Mohamed Maslow's pyramid" is Mohamed alone."""
    return frozenset(words[0] for words in public_names())


@cache
def _public_by_first_word():
    index = {}
    for words in public_names():
        index.setdefault(words[0], []).append(words)
    return index


def public_names_from(word):
    """The public names that begin with this (folded, lower-cased) word."""
    return _public_by_first_word().get(word, ())
