"""One reading of a text for every rule, with a way back to the characters the writer typed.

Students hide nothing on purpose, but their keyboards do: full-width or Arabic-Indic digits,
zero-width joiners pasted from chat apps, bidi marks, tatweel («أحمـــد»), diacritics («مُحَمَّد»),
the many alefs and the dotless yaa. (ة and ه are told apart here and matched either way
in the name rules, because folding them would make «منه», from him, the name «منة».) Rules are written once, against the folded form; `origin`
maps each folded character back to the original one so a highlight lands on what was typed.
"""
import unicodedata
from dataclasses import dataclass

# Removed: zero-width characters, bidi controls, soft hyphen, tatweel.
_DROPPED = frozenset(
    "\u00ad\u061c\u0640\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
# Arabic letters written several ways for the same name: «أحمد», «احمد», «إيمان», «ايمان».
_LETTERS = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي",
    "ی": "ي", "ې": "ي", "ک": "ك", "ہ": "ه", "ھ": "ه",
}


class _Folding(dict):
    """str.translate table that works out each character once: NFKC, drop marks, ASCII digits, fold letters."""

    def __missing__(self, code):
        char = chr(code)
        if char in _DROPPED:
            folded = ""
        else:
            folded = ""
            for c in unicodedata.normalize("NFKC", char):
                if unicodedata.category(c) == "Mn" or c in _DROPPED:
                    continue
                digit = unicodedata.decimal(c, None)
                folded += str(digit) if digit is not None else _LETTERS.get(c, c)
        self[code] = folded
        return folded


_FOLDING = _Folding()


@dataclass(frozen=True)
class Normalised:
    original: str
    text: str

    @classmethod
    def of(cls, original):
        return cls(original, original.translate(_FOLDING))

    def span(self, start, end):
        """The (start, end) in the original text of the folded characters text[start:end]."""
        origin = self._origin()
        first = origin[start]
        last = origin[end - 1] + 1
        # Marks and tatweel after the last letter belong to it: «مُحَمَّدٌ» is highlighted whole.
        while last < len(self.original) and self.original[last].translate(_FOLDING) == "" \
                and not self.original[last].isspace():
            last += 1
        return first, last

    def _origin(self):
        # Built only when something was found: clean texts never pay for it.
        try:
            return self.__dict__["_origin_cache"]
        except KeyError:
            origin = []
            for index, char in enumerate(self.original):
                origin.extend([index] * len(char.translate(_FOLDING)))
            object.__setattr__(self, "_origin_cache", origin)
            return origin


def fold(text):
    """The folded form alone, for word lists and look-ups."""
    return text.translate(_FOLDING)
