"""Street addresses in a folded text, Arabic and English.

An address is found from its parts: a street with a house number («شارع التحرير رقم 12»,
«12 ش التحرير», "12 Tahrir St.", "Street 9, No. 4"), a numbered building or house («عمارة 5»,
«منزل رقم 3», "Bldg 7"), an apartment («شقة 7», "Apt 3"). A floor («الدور الثالث», "2nd floor")
or an unnumbered building only adds to an address beside it. A street name alone («يسكن في شارع
الهرم») is not refused: thousands live on it, and «أطفال الشوارع» is everyday vocabulary.
"""
import re

ADDRESS = "address"

_NUM = r"\d+[A-Za-z]?(?![\w])"
_STREET_AR = r"(?<![\u0621-\u064a])(?:شارع|ش\.?|طريق|حار[ةه]|عطف[ةه]|زقاق|درب|ممر|كورنيش)"
_AR_WORD = r"[\u0621-\u064a]+"
_STREET_EN = r"(?i:street|st\.?|road|rd\.?|avenue|ave\.?|lane|ln\.?|boulevard|blvd\.?|square|sq\.?|corniche|highway)"
_NO = r"(?:(?:رقم|ر\.|(?i:no\.?|number|#))\s*)"
_ORDINAL_AR = r"(?:الاول|الثاني|الثالث|الرابع|الخامس|السادس|السابع|الثامن|التاسع|العاشر|الارضي|الاخير|\d+)"
_ORDINAL_EN = r"(?i:\d+(?:st|nd|rd|th)|ground|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|top)"

# Each part has a kind of address word in it (a street, a building, an apartment, a floor) and
# is looked for only near a word of its kind. (kind, pattern, strong): a strong part is an address
# by itself; a weak one only beside another part.
_STREET, _BUILDING, _FLAT, _FLOOR = "street", "building", "flat", "floor"
_PARTS = [
    (_STREET, _STREET_AR + r"\s+(?:" + _AR_WORD + r"\s+){0,3}?" + _NO + r"?" + _NUM, True),
    (_STREET, _NUM + r"\s*[-،,]?\s*" + _STREET_AR + r"\s+" + _AR_WORD + r"(?:\s+" + _AR_WORD + r")?", True),
    (_BUILDING, r"(?<![\u0621-\u064a])(?:[وبلف]|[وبلف]?ال)?(?:عمار[ةه]|برج|مبني|منزل|بيت|فيلا|بلوك|قطع[ةه]|مربع)\s+"
     + _NO + r"?" + _NUM, True),
    (_FLAT, r"(?<![\u0621-\u064a])(?:[وبلف]|[وبلف]?ال)?شق[ةه]\s+" + _NO + r"?" + _NUM, True),
    (_FLOOR, r"(?:الدور|الطابق|دور|طابق)\s+" + _ORDINAL_AR, False),
    (_STREET, _NUM + r",?\s+(?:(?:[A-Z][\w'-]*\.?|el|al|abu)\s+){1,3}" + _STREET_EN + r"(?![\w])", True),
    (_STREET, _STREET_EN + r"\s+(?:\d+|[A-Z][\w'-]*)(?:\s+[A-Z][\w'-]*){0,2},?\s*" + _NO + _NUM, True),
    (_FLAT, r"(?i:apartment|apt\.?|flat|bldg\.?|villa)\s*" + _NO + r"?" + _NUM, True),
    (_BUILDING, r"(?i:building|house|block)\s+" + _NO + _NUM, True),
    (_BUILDING, r"(?i:building|house|block)\s+" + _NUM, False),
    (_FLOOR, _ORDINAL_EN + r"\s+(?i:floor)|(?i:floor)\s+\d+", False),
]
_PARTS_OF = {}
for _kind, _pattern, _strong in _PARTS:
    _PARTS_OF.setdefault(_kind, []).append((re.compile(_pattern), _strong))
# What may stand between two parts of one address: separators and a short joining word.
_JOIN = re.compile(r"[\s,،.\-–/()]*(?:(?:في|بـ?|على|in|on|at|,)\s*)?")


# The address words, by kind. Arabic words are known by their stem after «و/ب/ل/ف» and «ال»
# («والعمارة», «بالشقة»); «ش» (street, abbreviated) only as a word of its own.
_STEMS_AR = {_STREET: ("شارع", "طريق", "حار", "عطف", "زقاق", "درب", "ممر", "كورنيش"),
             _BUILDING: ("عمار", "برج", "مبني", "منزل", "بيت", "فيلا", "بلوك", "قطع", "مربع"),
             _FLAT: ("شق",), _FLOOR: ("دور", "طابق")}
_ALL_STEMS_AR = tuple(stem for stems in _STEMS_AR.values() for stem in stems)
_WORDS_EN = {word: kind for kind, words in (
    (_STREET, "street st road rd avenue ave lane ln boulevard blvd square sq corniche highway"),
    (_FLAT, "apartment apt flat bldg villa"), (_BUILDING, "building house block"), (_FLOOR, "floor"),
) for word in words.split()}
_WORD = re.compile(r"[\u0621-\u064a]+|[A-Za-z]+")
_REACH = 60  # from a number to the address word beside it
# Numbers close enough together that the stretches within _REACH of them overlap, as one match.
_NUMBERS_NEAR = re.compile(r"\d+(?:\D{1,%d}\d+)*" % (2 * _REACH))
_PART_REACH = 80  # from an address word to the ends of the part it belongs to


def find(text):
    found = sorted((m.start(), m.end(), strong) for kind, low, high in _windows(text)
                   for pattern, strong in _PARTS_OF[kind] for m in pattern.finditer(text, low, high))
    parts = []
    for start, end, strong in found:
        # Parts that overlap or stand side by side are one address.
        if parts and (start <= parts[-1][1] or _JOIN.fullmatch(text[parts[-1][1]:start])):
            first, last, was_strong = parts[-1]
            parts[-1] = (first, max(last, end), was_strong or strong)
        else:
            parts.append((start, end, strong))
    return [(start, end, ADDRESS, "a street address") for start, end, strong in parts if strong]


def _windows(text):
    """(kind, low, high) around each address word that has a number near it."""
    windows = {}
    for numbers in _NUMBERS_NEAR.finditer(text):
        low, high = max(0, numbers.start() - _REACH), numbers.end() + _REACH
        words = list(_WORD.finditer(text, low, high))
        for word, kind in zip(words, map(_KIND_OF.get, map(_GROUP, words))):
            if kind is None:
                kind = _kind_of(word.group())
            if kind:
                start, end = max(0, word.start() - _PART_REACH), word.end() + _PART_REACH
                same = windows.setdefault(kind, [])
                if same and start <= same[-1][1]:
                    same[-1] = (same[-1][0], max(end, same[-1][1]))
                else:
                    same.append((start, end))
    return [(kind, low, high) for kind, stretches in windows.items() for low, high in stretches]


_KIND_OF = {}  # word -> its kind, "" for none, for every word seen
_GROUP = re.Match.group


def _kind_of(word):
    """The kind of address word this is, or "" (remembered)."""
    kind = _kind_of_word(word) or ""
    if len(_KIND_OF) < 65536:
        _KIND_OF[word] = kind
    return kind


def _kind_of_word(word):
    if word[0] < "\u0600":
        return _WORDS_EN.get(word.lower())
    if word[0] in "وبلف" and len(word) > 2 and not word.startswith(_ALL_STEMS_AR):
        word = word[1:]
    word = word.removeprefix("ال")
    if word == "ش":
        return _STREET
    if word.startswith(_ALL_STEMS_AR):
        return next(kind for kind, stems in _STEMS_AR.items() if word.startswith(stems))
    return None
