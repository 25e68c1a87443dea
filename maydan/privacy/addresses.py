"""Street addresses in a folded text, Arabic and English.

An address is found from its parts: a street with a house number («شارع التحرير رقم 12»,
«12 ش التحرير», "12 Tahrir St.", "Street 9, No. 4"), a numbered building or house («عمارة 5»,
«منزل رقم 3», "Bldg 7"), an apartment («شقة 7», "Apt 3"). A floor («الدور الثالث», "2nd floor")
or an unnumbered building only adds to an address beside it. A street name alone («يسكن في شارع
الهرم») is not refused: thousands live on it, and «أطفال الشوارع» is everyday vocabulary.
"""
import re

from .windows import around

ADDRESS = "address"

_NUM = r"\d+[A-Za-z]?(?![\w])"
_STREET_AR = r"(?<![\u0621-\u064a])(?:شارع|ش\.?|طريق|حار[ةه]|عطف[ةه]|زقاق|درب|ممر|كورنيش)"
_AR_WORD = r"[\u0621-\u064a]+"
_STREET_EN = r"(?i:street|st\.?|road|rd\.?|avenue|ave\.?|lane|ln\.?|boulevard|blvd\.?|square|sq\.?|corniche|highway)"
_NO = r"(?:(?:رقم|ر\.|(?i:no\.?|number|#))\s*)"
_ORDINAL_AR = r"(?:الاول|الثاني|الثالث|الرابع|الخامس|السادس|السابع|الثامن|التاسع|العاشر|الارضي|الاخير|\d+)"
_ORDINAL_EN = r"(?i:\d+(?:st|nd|rd|th)|ground|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|top)"

# (pattern, strong): a strong part is an address by itself; a weak one only beside another part.
_PARTS = [
    (_STREET_AR + r"\s+(?:" + _AR_WORD + r"\s+){0,3}?" + _NO + r"?" + _NUM, True),
    (_NUM + r"\s*[-،,]?\s*" + _STREET_AR + r"\s+" + _AR_WORD + r"(?:\s+" + _AR_WORD + r")?", True),
    (r"(?<![\u0621-\u064a])(?:[وبلف]|[وبلف]?ال)?(?:عمار[ةه]|برج|مبني|منزل|بيت|فيلا|بلوك|قطع[ةه]|مربع)\s+" + _NO + r"?" + _NUM, True),
    (r"(?<![\u0621-\u064a])(?:[وبلف]|[وبلف]?ال)?شق[ةه]\s+" + _NO + r"?" + _NUM, True),
    (r"(?:الدور|الطابق|دور|طابق)\s+" + _ORDINAL_AR, False),
    (_NUM + r",?\s+(?:(?:[A-Z][\w'-]*\.?|el|al|abu)\s+){1,3}" + _STREET_EN + r"(?![\w])", True),
    (_STREET_EN + r"\s+(?:\d+|[A-Z][\w'-]*)(?:\s+[A-Z][\w'-]*){0,2},?\s*" + _NO + _NUM, True),
    (r"(?i:apartment|apt\.?|flat|bldg\.?|villa)\s*" + _NO + r"?" + _NUM, True),
    (r"(?i:building|house|block)\s+" + _NO + _NUM, True),
    (r"(?i:building|house|block)\s+" + _NUM, False),
    (_ORDINAL_EN + r"\s+(?i:floor)|(?i:floor)\s+\d+", False),
]
_PARTS = [(re.compile(pattern), strong) for pattern, strong in _PARTS]
# What may stand between two parts of one address: separators and a short joining word.
_JOIN = re.compile(r"[\s,،.\-–/()]*(?:(?:في|بـ?|على|in|on|at|,)\s*)?")


# Every part has one of these words and every address a number: the patterns run only near a
# number with one of these words close to it.
_KEYWORDS = re.compile(
    r"(?<![\u0621-\u064a])[وبلف]?(?:ال)?(?:شارع|ش(?![\u0621-\u064a])|طريق|حار|عطف|زقاق|درب|ممر|كورنيش|عمار|برج"
    r"|مبني|منزل|بيت|فيلا|بلوك|قطع|مربع|شق|دور|طابق)"
    r"|(?i:\b(?:street|st|road|rd|avenue|ave|lane|ln|boulevard|blvd|square|sq|corniche|highway|apartment|apt"
    r"|flat|bldg|villa|building|house|block|floor)\b)")
_DIGITS = re.compile(r"\d+")
_REACH = 60


def find(text):
    found = sorted((m.start(), m.end(), strong) for low, high in _windows(text)
                   for pattern, strong in _PARTS for m in pattern.finditer(text, low, high))
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
    """Stretches of text around numbers that have an address word in them."""
    return [(low, high) for low, high in around(_DIGITS, text, _REACH) if _KEYWORDS.search(text, low, high)]
