"""One reading of a text for every rule, with a way back to the characters the writer typed.

Students hide nothing on purpose, but their keyboards do: full-width or Arabic-Indic digits,
zero-width joiners pasted from chat apps, bidi marks, tatweel («أحمـــد»), diacritics («مُحَمَّد»),
the many alefs and the dotless yaa. (ة and ه are told apart here and matched either way in the
name rules, because folding them would make «منه», from him, the name «منة».) Rules are written
once, against the folded form; `span` maps folded offsets back to the original characters so a
highlight lands on what was typed.
"""
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

# Removed: zero-width characters, bidi controls, soft hyphen, tatweel.
_DROPPED = frozenset(
    "\u00ad\u061c\u0640\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
# Arabic letters written several ways for the same name: «أحمد», «احمد», «إيمان», «ايمان».
_LETTERS = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ې": "ي", "ک": "ك", "ہ": "ه", "ھ": "ه"}


class _Folding(dict):
    """str.translate table that works out each character once: NFKC, drop marks, ASCII digits, fold letters."""

    def __missing__(self, code):
        char = chr(code)
        folded = ""
        if char not in _DROPPED:
            for c in unicodedata.normalize("NFKC", char):
                if unicodedata.category(c) == "Mn" or c in _DROPPED:
                    continue
                digit = unicodedata.decimal(c, None)
                folded += str(digit) if digit is not None else _LETTERS.get(c, c)
        self[code] = folded
        return folded


_FOLDING = _Folding()


def _unchanged_class():
    """A regex class of the characters of the common blocks (Latin, Arabic, punctuation) that fold
    to themselves: only the others need looking up, which makes a long text quick to fold."""
    same = [code for block in (range(0x0000, 0x0800), range(0x2000, 0x2070)) for code in block
            if _FOLDING[code] == chr(code)]
    ranges, first = [], same[0]
    for previous, code in zip(same, same[1:] + [None]):
        if code != previous + 1:
            ranges.append(re.escape(chr(first)) + ("-" + re.escape(chr(previous)) if previous > first else ""))
            first = code
    return "".join(ranges)


_CHANGED = re.compile("[^" + _unchanged_class() + "]")


@dataclass(frozen=True)
class Normalised:
    original: str
    text: str
    # (folded start, original index, folded length) of each character that did not fold one for one.
    _uneven: list = field(default_factory=list, repr=False)

    @classmethod
    def of(cls, original):
        uneven, shift = [], 0

        def fold_one(match):
            nonlocal shift
            folded = _FOLDING[ord(match.group())]
            if len(folded) != 1:
                uneven.append((match.start() + shift, match.start(), len(folded)))
                shift += len(folded) - 1
            return folded

        return cls(original, _CHANGED.sub(fold_one, original), uneven)

    def _to_original(self, k):
        """The original index of the folded character k."""
        j = bisect_right(self._uneven, (k, float("inf"))) - 1
        if j < 0:
            return k
        folded_at, original_at, length = self._uneven[j]
        if k < folded_at + length:
            return original_at
        return original_at + 1 + (k - folded_at - length)

    def span(self, start, end):
        """The (start, end) in the original text of the folded characters text[start:end]."""
        first = self._to_original(start)
        last = self._to_original(end - 1) + 1
        # Marks and tatweel after the last letter belong to it: «مُحَمَّدٌ» is highlighted whole.
        while last < len(self.original) and self.original[last].translate(_FOLDING) == "" \
                and not self.original[last].isspace():
            last += 1
        return first, last


def fold(text):
    """The folded form alone, for word lists and look-ups."""
    return text.translate(_FOLDING)
