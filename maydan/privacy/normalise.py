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

    def __init__(self):
        super().__init__()
        self.uneven = set()  # characters that fold to nothing or to several characters

    def __missing__(self, code):
        char = chr(code)
        folded = ""
        if char not in _DROPPED:
            for c in unicodedata.normalize("NFKC", char):
                if unicodedata.category(c) == "Mn" or c in _DROPPED:
                    continue
                digit = unicodedata.decimal(c, None)
                folded += str(digit) if digit is not None else _LETTERS.get(c, c)
        if len(folded) != 1:
            self.uneven.add(char)
        self[code] = folded
        return folded


_FOLDING = _Folding()


@dataclass(frozen=True)
class Normalised:
    original: str
    text: str
    # (folded start, original index, folded length) of each character that did not fold one for one.
    _uneven: list = field(default_factory=list, repr=False)

    @classmethod
    def of(cls, original):
        text = original.translate(_FOLDING)
        uneven = []
        present = set(original) & _FOLDING.uneven
        if present:
            shift = 0
            pattern = "[" + "".join(re.escape(c) for c in present) + "]"
            for match in re.finditer(pattern, original):
                length = len(_FOLDING[ord(match.group())])
                uneven.append((match.start() + shift, match.start(), length))
                shift += length - 1
        return cls(original, text, uneven)

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
