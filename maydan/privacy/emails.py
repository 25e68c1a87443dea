"""E-mail addresses in a folded text, written plainly or spelled out so a filter would not see them.

"mona.ali@example.com", "mona.ali @ gmail . com", "ahmed.ali at gmail dot com",
"ahmed [at] yahoo [dot] com", «ahmed ات جيميل دوت كوم». A spelled-out address counts only when
it ends in a real top-level domain, so "we met at home" is left alone.
"""
import re

from .windows import around

EMAIL = "email"

_TLDS = (r"(?i:com|net|org|edu|gov|info|biz|co|me|io|eg|sa|ae|kw|qa|bh|om|jo|lb|sy|iq|ps|ye|sd|ly|tn|dz|ma"
         r"|uk|us|de|fr|ca|au)|كوم|نت|اورج")
_LOCAL = r"[A-Za-z0-9][A-Za-z0-9._%+-]*"
_PLAIN = re.compile(r"(?<![A-Za-z0-9])" + _LOCAL + r"\s?@\s?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+|\s\.\s[a-z0-9-]+)+(?![\w-])")
_AT = r"(?:\s*[\(\[\{]\s*(?i:at)\s*[\)\]\}]\s*|\s+(?i:at)\s+|\s+ات\s+|\s*@\s*)"
_DOT = r"(?:\s*[\(\[\{]\s*(?i:dot)\s*[\)\]\}]\s*|\s+(?i:dot)\s+|\s+دوت\s+|\s+نقطه\s+|\.)"
_PROVIDER = r"[A-Za-z0-9-]+|جيميل|جي\s?ميل|هوتميل|ياهو|اوتلوك"
_SPELLED = re.compile(
    r"(?<![\w.])(?:" + _LOCAL + r"(?:" + _DOT + r"[A-Za-z0-9_]+)*|[\u0621-\u064a]+)"
    + _AT + r"(?:" + _PROVIDER + r")(?:" + _DOT + r"(?:[A-Za-z0-9-]+))*" + _DOT + r"(?:" + _TLDS + r")(?![\w-])"
)


# Where a spelled-out address could be: every one ends in a dot (or "dot") and a top-level
# domain, and has an "at" before it; the long pattern runs only around such endings.
_DOT_TLD = re.compile(r"(?:(?i:dot)|دوت|نقطه|\.)\s*[\)\]\}]?\s*(?:" + _TLDS + r")(?![\w-])")
# The same with a full stop only: a pattern that starts with one character is looked for many
# times faster, and most texts have no "dot" word in them.
_PERIOD_TLD = re.compile(r"\.\s*[\)\]\}]?\s*(?:" + _TLDS + r")(?![\w-])")
_DOT_WORDS = ("dot", "Dot", "DOT", "دوت", "نقطه")
_AT_WORD = re.compile(r"(?i:\bat\b)|(?<![\u0621-\u064a])ات(?![\u0621-\u064a])|@")
_REACH = 80


def find(text):
    found = []
    if "@" in text:
        found += [(m.start(), m.end(), EMAIL, "an e-mail address") for m in _PLAIN.finditer(text)]
    endings = _DOT_TLD if any(word in text for word in _DOT_WORDS) else _PERIOD_TLD
    for low, high in around(endings, text, _REACH, reach_after=0):
        if _AT_WORD.search(text, low, high):
            found += [(m.start(), m.end(), EMAIL, "an e-mail address spelled out")
                      for m in _SPELLED.finditer(text, low, high)]
    return found
