"""Likely matches for a name a meeting report shows: the same person in Arabic or Latin letters. Pure Python.

A name is reduced to its consonant skeleton in one shared alphabet: Arabic letters through a
small romanisation table, Latin spellings through the digraphs Egyptian, Levantine and French
transliterations use ("kh", "sh"/"ch", "gh", "th", "g" for ج). Vowels, و/ي/ا and ع are left out,
because that is where spellings of one name differ ("Mohamed", "Mohammad", "Muhammad", «محمد»
are all "mhmd"). Skeletons are then compared part by part with rapidfuzz's edit distance, which forgives the
rest (a missing letter, a name given in two parts of four, the order of the parts).
"""
import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from .report import name_keys, normalize_name

# Arabic letter -> skeleton symbol; letters absent here (alef forms, hamza, ع, و, ي, ى, ة) are vowels
# or carriers that transliterations write in many ways or not at all.
_ARABIC = {
    "ب": "b", "پ": "b", "ت": "t", "ث": "t", "ط": "t", "ج": "j", "گ": "j", "ح": "h", "ه": "h",
    "خ": "x", "د": "d", "ض": "d", "ذ": "z", "ز": "z", "ظ": "z", "ر": "r", "س": "s", "ص": "s",
    "ش": "S", "چ": "S", "غ": "G", "ف": "f", "ڤ": "f", "ق": "k", "ك": "k", "ک": "k",
    "ل": "l", "م": "m", "ن": "n",
}
# Latin digraphs first (longest first), then single letters, into the same symbols.
_LATIN_DIGRAPHS = (("kh", "x"), ("sh", "S"), ("ch", "S"), ("gh", "G"), ("th", "t"), ("dh", "z"),
                   ("ph", "f"), ("dj", "j"), ("ck", "k"))
_LATIN = str.maketrans({"g": "j", "q": "k", "c": "k", "v": "f", "p": "b"})
_ARABIC_VOWELS = {"ا": "a", "أ": "a", "إ": "i", "آ": "a", "ى": "a", "ة": "a", "و": "u", "ي": "i"}
_LATIN_VOWEL_CLASSES = str.maketrans({"o": "u", "w": "u", "e": "i", "y": "i"})
_LATIN_VOWELS = re.compile(r"[aeiouyw']")
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")

# Words that are not part of anyone's name: titles and the devices Zoom and Teams append.
_NOT_NAMES = {
    "dr", "prof", "mr", "mrs", "ms", "miss", "eng", "sheikh", "د", "ا", "أ", "م", "ا د", "دكتور", "دكتوره",
    "الدكتور", "الدكتوره", "استاذ", "استاذه", "الاستاذ", "الاستاذه", "مهندس", "مهندسه",
    "iphone", "ipad", "android", "galaxy", "samsung", "laptop", "phone", "mobile", "pc", "desktop", "zoom",
    "user", "s", "guest",
}
_PREFIXES = {"l", "bd", "bdl", "b"}  # al-/el-, Abd, Abdel/Abdul, Abu
PRESELECT_SCORE = 80  # a suggestion chosen for the supervisor: they still confirm or change it
LIKELY_SCORE = 60     # shown first in the list
SHORTLIST = 25        # people scored with care for each row of a large course


def _latin(word):
    """A Latin word without accents ("Chérif"), its digraphs written as one symbol each."""
    word = "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))
    word = re.sub(r"(?<=[aeiou])h$", "", word.replace("x", "ks"))  # "Sarah", "Fatmah"
    word = re.sub(r"c(?=[eiy])", "s", word)  # French "Youcef"
    for pair, symbol in _LATIN_DIGRAPHS:
        word = word.replace(pair, symbol)
    return word


def _token_skeleton(token):
    if _ARABIC_LETTER.search(token):
        if len(token) > 2 and token.endswith("ه"):  # a final ه is written or not: "Abdullah", "Abdulla"
            token = token[:-1]
        letters = "".join(_ARABIC.get(ch, "") for ch in token)
    else:
        letters = _LATIN_VOWELS.sub("", _latin(token)).translate(_LATIN)
    return re.sub(r"(.)\1+", r"\1", letters)


@lru_cache(maxsize=4096)  # a review compares each name with every student's
def skeleton(name):
    """The name's parts as consonant skeletons, titles and device words left out: "mhmd hmd".

    The article and "Abd"/"Abu" are joined to the part they belong to, however the report spaced
    them ("Abd El-Rahman", "Abdelrahman", «عبد الرحمن» are all "bdlrhmn").
    """
    words = [w for w in normalize_name(name).replace("_", " ").split() if w not in _NOT_NAMES]
    parts = [p for p in (_token_skeleton(w) for w in words if not w.isdigit()) if p]
    joined, pending = [], ""
    for part in parts:
        if part in _PREFIXES:
            pending += part
        else:
            joined.append(re.sub(r"(.)\1+", r"\1", pending + part))
            pending = ""
    return " ".join(joined + ([pending] if pending else []))


def _email_name(email):
    """The name an address spells ("omar.nabil92@..." -> "omar nabil"), if any."""
    local = (email or "").split("@")[0]
    return " ".join(re.split(r"[._\-+\d]+", local)).strip()


@lru_cache(maxsize=4096)
def _vowelled(name):
    """A looser romanisation that keeps the vowels, to tell «محمود» Mahmoud from «محمد» Mohamed."""
    out = []
    for word in normalize_name(name).split():
        if word in _NOT_NAMES:
            continue
        if _ARABIC_LETTER.search(word):
            out.append("".join(_ARABIC.get(ch, _ARABIC_VOWELS.get(ch, "")) for ch in word))
        else:
            out.append(_latin(word).translate(_LATIN).translate(_LATIN_VOWEL_CLASSES))
    return re.sub(r"(.)\1+", r"\1", " ".join(out))


def _parts_alike(short, long_):
    """Mean similarity of each part of the shorter name to a distinct part of the longer, closest first."""
    pairs = sorted(((Levenshtein.normalized_similarity(a, b), i, j) for i, a in enumerate(short)
                    for j, b in enumerate(long_)), reverse=True)
    used_short, used_long, total = set(), set(), 0.0
    for similarity, i, j in pairs:
        if i not in used_short and j not in used_long:
            used_short.add(i)
            used_long.add(j)
            total += similarity
    return total / len(short)


@lru_cache(maxsize=4096)
def _forms(name):
    """((skeleton parts, vowelled), ...) for each form the name takes ("English / عربي" is two)."""
    return tuple((tuple(skeleton(key).split()), _vowelled(key)) for key in name_keys(name))


def _pair_score(ours, theirs):
    """0-100: how alike two forms of names are: each part of the shorter against a part of the other.

    Parts are compared by edit distance (not by a longest common subsequence, for which "hd" would
    be most of "mhmd"); a name given in fewer parts scores a little less, a single part much less.
    The vowels weigh a fifth, enough to rank Mohamed above Mahmoud for "Mohamed".
    """
    (parts_a, vowels_a), (parts_b, vowels_b) = ours, theirs
    short, long_ = sorted((parts_a, parts_b), key=len)
    if not short:
        return 0
    alike = _parts_alike(short, long_)
    if len(short) < len(long_):
        alike *= 0.9 if len(short) >= 2 else 0.6
    return 80 * alike + 0.2 * fuzz.token_set_ratio(vowels_a, vowels_b)


def score(reported_name, reported_email, person_name):
    """How likely the person is the one the report names, 0-100."""
    return _best(_reported_forms(reported_name, reported_email), _forms(person_name))


def _reported_forms(name, email):
    return _forms(name) + (_forms(_email_name(email)) if _email_name(email) else ())


def _best(ours, theirs):
    return max((_pair_score(a, b) for a in ours for b in theirs), default=0)


def rank(reported_name, reported_email, people):
    """[(score, person)] of people [(person, name)] likely to be the one reported, best first."""
    ours = _reported_forms(reported_name, reported_email)
    if len(people) > SHORTLIST:
        people = _shortlist(ours, people)
    scored = [(round(_best(ours, _forms(name))), person) for person, name in people]
    likely = [(s, p) for s, p in scored if s >= LIKELY_SCORE]
    return sorted(likely, key=lambda pair: -pair[0])[:3]


def _shortlist(ours, people):
    """The people whose skeletons come closest by rapidfuzz's set ratio (order and extra parts forgiven),
    at most SHORTLIST per form of the reported name: the careful score is only worked out for them."""
    choices, owners = [], []
    for index, (_person, name) in enumerate(people):
        for parts, _vowels in _forms(name):
            choices.append(" ".join(parts))
            owners.append(index)
    kept = set()
    for parts, _vowels in ours:
        for _choice, _score, position in process.extract(" ".join(parts), choices, scorer=fuzz.token_set_ratio,
                                                          limit=SHORTLIST):
            kept.add(owners[position])
    return [people[index] for index in sorted(kept)]


def preselected(ranked):
    """The one person clearly best, or None when no one is close or two are as close."""
    if not ranked or ranked[0][0] < PRESELECT_SCORE:
        return None
    if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < 8:
        return None
    return ranked[0][1]
