"""Numbers on screens, written one way per language by CLDR's rules (through Babel).

Every number a person reads (hours, percentages, points, counts with decimals) goes through here,
so one screen never shows "6,98" beside "18.5". Numbers written into form inputs are not for
reading: they stay plain ("10.0"), which is what <input type="number"> and the handlers accept.

`digits` is the digit system for Arabic: "latn" (0-9, the default) or "arab" (٠-٩).
"""
import math
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale
from babel.numbers import parse_pattern

DIGIT_SYSTEMS = ("latn", "arab")
_PATTERNS = {0: "#,##0", 1: "#,##0.#", 2: "#,##0.##"}
# Digits a person may type, in any of the systems their keyboard offers, and the separators they use.
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_TYPED = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫،", "0123456789" "0123456789" ".,")


# The digit system of the screen being drawn (its course's setting), for the template filters.
_screen_digits = ContextVar("maydan_screen_digits", default="latn")


@contextmanager
def digits_of(digits):
    """Draw numbers with this digit system ("latn" or "arab") inside the block."""
    token = _screen_digits.set(digits if digits in DIGIT_SYSTEMS else "latn")
    try:
        yield
    finally:
        _screen_digits.reset(token)


def screen_number(value, language, places=2):
    """`number` with the digits of the screen being drawn (Arabic-Indic only ever in Arabic)."""
    digits = _screen_digits.get() if (language or "").startswith("ar") else "latn"
    return number(value, language, places, digits)


def number(value, language, places=2, digits="latn"):
    """`value` with at most `places` decimals, in `language`'s way; "" for None or not a number."""
    if value is None or value == "":
        return ""
    try:
        value = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not value.is_finite():
        return ""
    system = digits if digits in DIGIT_SYSTEMS else "latn"
    locale, pattern = _formatting((language or "en").replace("-", "_"), places)
    text = pattern.apply(value, locale, numbering_system=system)
    # Babel gives the system's separators, not its digits.
    return text.translate(_ARABIC_INDIC) if system == "arab" else text


@lru_cache(maxsize=32)
def _formatting(locale, places):
    """Babel's locale and pattern, read once: a screen writes hundreds of numbers (what format_decimal does per call)."""
    return Locale.parse(locale), parse_pattern(_PATTERNS[places])


def parse(raw):
    """A number a person typed or a form sent: "10", "10.5", "10,5", "١٠٫٥" -> float; ValueError otherwise.

    A comma is taken as the decimal mark only when it is the only separator (Arabic and many European
    keyboards type "10,5"); grouping ("1,000.5") is refused rather than guessed."""
    text = str(raw).strip().translate(_TYPED)
    if "," in text:
        if "." in text or text.count(",") > 1:
            raise ValueError(raw)
        text = text.replace(",", ".")
    result = float(text)
    if not math.isfinite(result):
        raise ValueError(raw)
    return result
