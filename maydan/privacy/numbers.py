"""Phone numbers and national ID numbers in a folded text (ASCII digits, no hidden characters).

A run of digits with the separators people type («010  1234  5678», «010/1234/5678»,
«2 980101 01 23456 7») is a candidate; libphonenumber decides whether it is a phone number,
and the ID formats below whether it is an ID. What each rule accepts, and why:

- International form (+ or 00 and a country code): any valid number of any country.
- National form with the trunk 0 (Egypt 01x/02…, Saudi 05…, Jordan 07…, …): valid in one of
  the Arab League countries.
- Without a trunk 0 (the Gulf and the Maghreb dial 8 digits bare): only when a phone word is
  near («هاتف», "mobile", «واتساب», …) or it is written as a phone is (4 + 4 digits), because
  bare 7–8 digit numbers are also amounts, dates and file numbers.
- IDs never start with 0. 14 digits: Egypt's national number. 15 starting 784: UAE Emirates ID.
  12 starting 1–3: Kuwait's civil ID (and Bahrain's/Qatar's longer forms). 11 starting 2–3:
  Qatar's QID. 10 starting 1, 2 or 9: Saudi national ID/iqama (1/2) and Jordan's national
  number (9/2). Any 8–16 digits right after an ID word («الرقم القومي», "civil ID", «الهوية»).
- Meeting IDs (9–11 digits, no leading 0) after "Zoom"/«اجتماع», dates (2025-10-12, 12/10/2025), year ranges (2023-2024)
  and amounts with thousands separators (1.500.000) are none of these.
"""
import re
from functools import cache, lru_cache

import phonenumbers

PHONE = "phone"
NATIONAL_ID = "national_id"

ARAB_LEAGUE = ("EG", "SA", "AE", "KW", "QA", "BH", "OM", "JO", "PS", "LB", "SY", "IQ", "YE",
               "SD", "LY", "TN", "DZ", "MA", "MR", "SO", "DJ", "KM")

# Starts on its first character (fast); what may not stand before it is checked in `find`.
# A full stop followed by a space ends a sentence, so it ends a number too ("… 15115. 010 …").
_CANDIDATE = re.compile(r"[+(]?\d(?:(?!\.\s)[ \t\-./()\u00a0]{0,3}\d)+")
_GLUED = re.compile(r"[\w+./-]")
_FIRST_GROUP = re.compile(r"[+(]?\d+[ \t\-./()\u00a0]*")
_DATE = re.compile(r"\d{1,4}([-/.])\d{1,2}\1\d{1,4}|\d{1,2}[-/.]\d{1,2}|(?:1[89]|20)\d\d\s*[-/]\s*(?:(?:1[89]|20)?\d\d)")
_DATES_AND_TIMES = re.compile(
    r"\d(?<![\d/.-]\d)(?:\d{3}-\d{1,2}-\d{1,2}|\d?[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d?:\d{2}(?::\d{2})?)(?![\d/.-]?\d)")
_AMOUNT = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_NON_DIGIT = re.compile(r"\D")
_DIGIT_RUN = re.compile(r"\d+")
_FOUR_FOUR = re.compile(r"\d{4}[ \-]\d{4}")

_MEETING_WORDS = re.compile(
    r"(?i:\b(?:zoom|meeting|webex|teams|passcode)\b)|(?<![\u0621-\u064a])(?:زووم|زوم|ال?اجتماع)(?![\u0621-\u064a])")
_ID_WORDS = re.compile(
    r"(?i:\bnational\b|\bcivil\b|\biqama\b|\bidentity\b|\bpassport\b|\bID\b|\bI\.D\.)"
    r"|قومي|هوي[ةه]|بطاق[ةه]|مدني|وطني|اقام[ةه]|السجل|جواز"
)
_PHONE_WORDS = re.compile(
    r"(?i:phone|mobile|cell|tel\b|whats\s?app|call|number|\bno\b|\bnum\b|contact|sms)"
    r"|رقم|هاتف|موبايل|محمول|تليفون|تلفون|واتس|اتصل|اتصال|كلم|جوال|رسال"
)


def find(text):
    """(start, end, kind, reason) for every phone number and ID number in `text`."""
    # Dates and times first blanked out (same length, so offsets hold): "2026-11-25 21:00" is no ID.
    text = _DATES_AND_TIMES.sub(lambda m: " " * len(m.group()), text)
    found = []
    for match in _CANDIDATE.finditer(text):
        start, candidate = match.start(), match.group()
        # A first group glued to a word or code ("C-014", "FAM/7") is not part of a number.
        while candidate and start and _GLUED.match(text, start - 1):
            cut = _FIRST_GROUP.match(candidate).end()
            start, candidate = start + cut, candidate[cut:]
        if candidate and not _meeting_id(text, start, candidate):
            found += _within(text, start, candidate)
    return found


def _meeting_id(text, start, written):
    """Zoom's meeting IDs have 9 to 11 digits, no leading 0, and follow the word "Zoom"/«اجتماع»."""
    digits = _NON_DIGIT.sub("", written)
    return 9 <= len(digits) <= 11 and digits[0] != "0" and bool(_MEETING_WORDS.search(text[max(0, start - 25):start]))


def _within(text, offset, candidate):
    """The identifiers in one run of digits: the whole run, else its longest parts.

    Among the parts, one written as a phone with its trunk 0 or + is looked for first: it is the
    surest thing in a run where two numbers stand side by side ("… 4567 010 1234 5678").
    """
    groups = [(m.start(), m.end()) for m in _DIGIT_RUN.finditer(candidate)]
    if not groups:
        return []
    if candidate[0] in "+(":
        groups[0] = (0, groups[0][1])
    whole = _classify(text, offset + groups[0][0], candidate[groups[0][0]:groups[-1][1]])
    if whole:
        return [(offset + groups[0][0], offset + groups[-1][1], *whole)]
    for phones_first in (True, False):
        for size in range(len(groups), 0, -1):
            for first in range(len(groups) - size + 1):
                start, end = groups[first][0], groups[first + size - 1][1]
                if phones_first and candidate[start] not in "0+(":
                    continue
                kind_reason = _classify(text, offset + start, candidate[start:end])
                if kind_reason and (kind_reason[0] == PHONE or not phones_first):
                    return (_within(text, offset, candidate[:start]) + [(offset + start, offset + end, *kind_reason)]
                            + _within(text, offset + end, candidate[end:]))
    return []


def _classify(text, start, written):
    digits = _NON_DIGIT.sub("", written)
    if len(digits) < 8 or len(digits) > 16 or _DATE.fullmatch(written) or _AMOUNT.fullmatch(written):
        return None
    before = text[max(0, start - 40):start]
    if _ID_WORDS.search(before) and digits[0] != "0":
        return NATIONAL_ID, "a number after an ID word"
    if written.startswith(("+", "00")):
        number = "+" + digits[2:] if written.startswith("00") else "+" + digits
        return (PHONE, "an international phone number") if _valid(number) else None
    if digits[0] == "0":
        return (PHONE, "a phone number valid in an Arab country") if _valid(digits, *ARAB_LEAGUE) else None
    phone_word = _PHONE_WORDS.search(before[-30:])
    if phone_word and _valid(digits, *ARAB_LEAGUE):
        return PHONE, "a phone number after a phone word"
    id_format = _id_format(digits)
    if id_format:
        return NATIONAL_ID, id_format
    if _FOUR_FOUR.fullmatch(written) and _valid(digits, *ARAB_LEAGUE):
        return PHONE, "a local phone number written 4 + 4"
    return None


def _id_format(digits):
    n, head = len(digits), digits[0]
    if n == 14:
        return "Egypt's 14-digit national number"
    if n == 15 and digits.startswith("784"):
        return "a UAE Emirates ID"
    if n == 12 and head in "123":
        return "a Kuwaiti civil ID"
    if n == 11 and head in "23":
        return "a Qatari ID"
    if n == 10 and head in "129":
        return "a Saudi or Jordanian national number"
    return None


@lru_cache(maxsize=4096)
def _valid(number, *regions):
    """Is `number` a valid phone number: international («+20…») when no region is given, else
    written nationally in one of `regions`?"""
    if not regions:
        try:
            return phonenumbers.is_valid_number(phonenumbers.parse(number, None))
        except phonenumbers.NumberParseException:
            return False
    return any(_valid_in(number, region) for region in regions)


def _valid_in(number, region):
    # The national number is read as libphonenumber's parser reads it (the trunk prefix off, or the
    # country code written without "+" off), without the parser's other work, since only digits come
    # here; most regions are ruled out by length alone.
    prefix, lengths, code = _region(region)
    for national in (number, number.removeprefix(str(code))):
        national = national[len(prefix):] if prefix and national.startswith(prefix) else national
        if len(national) in lengths and not national.startswith("0") and phonenumbers.is_valid_number_for_region(
                phonenumbers.PhoneNumber(country_code=code, national_number=int(national)), region):
            return True
        if not number.startswith(str(code)):
            return False
    return False


@cache
def _region(region):
    """(trunk prefix, lengths a national number may have, country code), from libphonenumber's metadata."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    return (metadata.national_prefix_for_parsing or "", frozenset(metadata.general_desc.possible_length),
            metadata.country_code)
