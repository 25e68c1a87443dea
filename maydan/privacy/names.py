"""Personal names in a folded text, Arabic and Latin script.

A word is a name when the gazetteer (data/) knows it as one and the words around it agree:

1. after a naming word: «اسمه: أحمد», «يدعى», «المدعو», "named Laila", "her name is Hoda";
2. after a title: «السيدة فاطمة», «الحاج محمود», "Mrs. O'Brien", "Mr Salem";
3. after a kunya: «أم أحمد», «أبو كريم», "Om Youssef";
4. after a client or family word: «العميلة هبة», «والدته منى», "client: Ahmed", "the client ahmed";
5. anywhere, when it can only be a name: «حضر محمد الجلسة», "Ahmed came late".

A name that is also an everyday word (data/everyday.txt: سعيد happy, سالم safe, أمل hope, نور
light…) needs rule 1, 2 or 3, a colon after the client word, or another name beside it:
«الطفل سعيد» passes, «الطفل سعيد محمود» and «اسمه سعيد» do not. A found name takes in the
family names after it («منى عبد الرحمن الشريف», "Mona El-Sayed"). Public names (theorists,
hospitals and streets named after public figures) and names after an institution word
(«مستشفى أحمد ماهر», "Ahmed Maher Hospital") are nobody's client and pass.
"""
import re
from functools import lru_cache
from itertools import chain

from . import gazetteer
from .normalise import fold

NAME = "name"

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z][A-Za-z'’]*)*|[\u0621-\u064a\u0671-\u06d3]+")
# Between two words of one phrase: spaces only. Between a client word and its name also a colon.
_JOINED = re.compile(r"[ \t\u00a0]+")
_LABEL = re.compile(r"\s*[:：\-–—]\s*|\s*[،,]\s*|\s*[(\[«\"]\s*|\s+")
# «لدى الأم أمل»: the client word after one of these owns the noun that follows; it is not its name.
_POSSESSION = frozenset(fold("لدى عند عنده عندها لديه لديها ولدى وعند").split())


def _set(words):
    """Folded words, those ending in «ة» also as typed with «ه» («العميلة», «العميله»)."""
    folded = fold(words).lower().split()
    return frozenset(folded + [w[:-1] + "ه" for w in folded if w.endswith("ة")])


def _with_proclitics(words, clitics="وفبك"):
    """«العميل» also as «والعميل», «للعميل», «بالعميل»…; «ابنه» as «وابنه»."""
    out = set()
    for word in words:
        out |= {word} | {c + word for c in clitics}
        if word.startswith("ال"):
            out |= {"لل" + word[2:], "ولل" + word[2:], "وب" + word, "فال" + word[2:]}
    return frozenset(out)


_NAMING_AR = _with_proclitics(_set("اسمه اسمها اسمي يدعى تدعى يسمى تسمى يلقب تلقب ينادونه ينادونها المدعو المدعوة"), "و")
_CALLED = _with_proclitics(_set("يدعى تدعى يسمى تسمى المدعو المدعوة"), "و")
_NAMING_EN = _set("named nicknamed")
_NAME_WORD = _with_proclitics(_set("اسم"), "و")  # «اسم العميل: …», «اسم الطفلة …»
_TITLES_AR = _with_proclitics(_set(
    "السيد السيدة الأستاذ الأستاذة الحاج الحاجة الشيخ الآنسة الأنسة مدام أستاذ أستاذة الست طنط عم"))
_TITLES_EN = _set("mr mr. mrs mrs. ms ms. miss mister madam madame sheikh shaikh hajj haj hajja hagga hajjah ustaz ostaz")
_KUNYA = _with_proclitics(_set("أم ام أبو ابو أبي ابي أبا")) | _set("um umm om oum abu abou")
_CLIENT_AR = _with_proclitics(_set("""
العميل العميلة المريض المريضة الحالة الطفل الطفلة الأم الأب الابن الابنة الزوج الزوجة المستفيد
المستفيدة الشاب الشابة الفتاة الفتى السيدة الرجل المرأة الولد البنت الجد الجدة الأخ الأخت المسن
المسنة النزيل النزيلة التلميذ التلميذة الطالب الطالبة اليتيم اليتيمة الأرملة المطلقة الحدث الصغير
الصغيرة الجار الجارة الخال الخالة العم العمة الحفيد الحفيدة
أمه أمها أبوه أبوها ابنه ابنها ابنته ابنتها بنته بنتها زوجها زوجته أخوه أخته أخوها أختها والده
والدته والدها والدتها جده جدته جدها جدتها عمه عمته خاله خالته ابن بنت ولد أخ أخت طفل طفلة
الواد البت الراجل جوزها جوزي مراته مرات
"""))
_CLIENT_EN = _set("""
client clients patient beneficiary child kid boy girl mother mom mum father dad son daughter husband
wife brother sister grandmother grandma grandfather grandpa uncle aunt auntie cousin resident pupil
youth teen teenager widow orphan woman man lady baby infant toddler neighbour neighbor parent
caregiver guardian nephew niece spouse fiance fiancee
""")
# Places named after people: the name after (or, in English, before) one of these is a place's.
_INSTITUTIONS = _with_proclitics(_set("""
مستشفى مدرسة جمعية مؤسسة مركز دار جامعة مسجد جامع كنيسة مكتبة معهد نادي مجمع كلية شركة وحدة مصنع
شارع ش ميدان حي مدينة قرية عزبة كفر محطة كوبري قاعة جائزة برنامج مبادرة
""")) | _set("""
hospital school foundation center centre association society university mosque church library
institute club street st square road unit clinic station bridge hall award programme program
initiative prize fund
""")
# Capitalised words that follow "client" in headings and notes and are not names.
_EN_NOT_NAMES = _set("""
was is are and the has had have said says came felt feels will would did does can could agreed
refused reported attended shared asked told seemed appeared session code plan care protection unit
services service support helpline hotline team office committee council ministry record records
file files notes note form consent satisfaction survey feedback centered centred i he she they we
it this that in on at for with zoom whatsapp teams monday tuesday wednesday thursday friday saturday
sunday january february march april may june july august september october november december
arabic english id maydan
""")
_EN_NOT_NAMES_AT_ALL = _EN_NOT_NAMES - {"may", "will"}  # May and Will are names too
_CLIENT = _CLIENT_AR | _CLIENT_EN
# «الأخ الأكبر كريم»: an order word between the client word and the name.
_ORDER = _set("الأكبر الكبير الكبرى الكبيرة الأصغر الصغير الصغرى الصغيرة الأوسط الوسطى التوأم eldest elder older younger youngest")
_NOT_AFTER_TITLE = _set("رئيس مدير مشرف مرشد طالب قائد سفير عالم وزير نائب مسؤول محافظ")
_AR_FUNCTION = _set("في من عن إلى غير هو هي لا ما مع أو ثم قد لم لن كان كانت هذا هذه ذلك تلك")
_EN_PARTICLES = _set("el al abdel abdul abd abu abou bin ben ibn")
_AR_PARTICLES = _set("بن بنت ابن أبو ابو آل ال عبد الدين")


_CONTEXT = (_NAMING_AR | _NAMING_EN | _NAME_WORD | _TITLES_AR | _TITLES_EN | _KUNYA | _CLIENT_AR | _CLIENT_EN
            | _ORDER | _set("is as by called"))
_BARE = ("a given name", "a full name")  # the reasons given without any word of context


class _Word:
    """One word of the text: where it is, as written, and its look-up key (lower case, no 's)."""

    __slots__ = ("start", "end", "text", "key", "latin")

    def __init__(self, match):
        self.start, self.end, self.text = match.start(), match.end(), match.group()
        self.key = _KEYS.get(self.text) or _key(self.text)
        self.latin = self.text[0] < "\u0600"

    @property
    def capitalised(self):
        return self.text[0].isupper()


class _Words(dict):
    """The words of a text by their index, each built only when a rule looks at it (a dict, so a
    word already built is found without a call into Python)."""

    def __init__(self, matches):
        super().__init__()
        self.matches = matches

    def __missing__(self, index):
        word = self[index] = _Word(self.matches[index])
        return word

    def __len__(self):
        return len(self.matches)


_ROLES = {}  # token -> its role bits, for every token seen (never 0, so a look-up is never falsy)
_NAME, _CONTEXT_WORD, _NEITHER, _PUBLIC_START = 1, 2, 4, 8


def _role(token):
    """_NAME when the token may be a name, _CONTEXT_WORD when a name may follow it, _PUBLIC_START
    when a public name («طه حسين», "Ahmed Maher Hospital") begins with it; _NEITHER otherwise."""
    key, latin = _key(token), token[0] < "\u0600"
    role = ((_NAME if _given_key(key, latin) or key == "عبد" else 0)
            | (_CONTEXT_WORD if key in _CONTEXT else 0)
            | (_PUBLIC_START if gazetteer.public_names_from(key.replace("-", " ")) else 0)) or _NEITHER
    if len(_ROLES) < 65536:
        _ROLES[token] = role
    return role


def _may_follow(text, matches, index):
    """Could an unknown word after a context word still be a name: capitalised Latin, or after a colon?"""
    token = matches[index].group()
    return (token[0] < "\u0600" and token[0].isupper()) or ":" in text[matches[index - 1].end():matches[index].start()]


def find(text):
    matches = list(_TOKEN.finditer(text))
    role_of = _ROLES.get
    roles = [role_of(m.group()) or _role(m.group()) for m in matches]
    words = _Words(matches)
    # Most words are neither names nor after a context word: only the others are looked at.
    candidates = [i for i, (role, before) in enumerate(zip(roles, chain((_NEITHER,), roles)))
                  if role & _NAME or before & _CONTEXT_WORD]
    found, resume = [], 0
    for index in candidates:
        # A word after a context word that is no known name, not capitalised and not after a label
        # colon ("the client was", «الطفل في») is one no rule could take.
        if index < resume or not (roles[index] & _NAME or _may_follow(text, matches, index)):
            continue
        start, reason = _name_at(text, words, index)
        if reason is None:
            continue
        end = _extend(text, words, index)
        # Without a client word before it, a public name («طه حسين», "Bowlby") or a name before
        # "Hospital"/"Street" ("Ahmed Maher Hospital") is nobody's client.
        # A public name that takes in the context word too («السيدة زينب», a district; «ابن خلدون») passes.
        bare = reason in _BARE
        public_end = _public(words, roles, index if bare else index - 1, index, end)
        if public_end is not None:
            # Words after the public name are read afresh: «بحي السيدة زينب فاطمة» names Fatma.
            resume = max(public_end, index) + 1
            continue
        if not (bare and _place_after(words, end)):
            found.append((words[start].start, words[end].end, NAME, reason))
        resume = end + 1
    return found


def _key(word):
    key = word.lower().replace("’", "'").removesuffix("'s")
    if len(_KEYS) < 65536:
        _KEYS[word] = key
    return key


_KEYS = {}  # word -> its look-up key, for every word seen


def _given(word):
    """Is this word a given name, allowing for «و/ف/ب/ل» before it and "el-"/"abdel" forms."""
    return _given_key(word.key, word.latin)


@lru_cache(maxsize=65536)
def _given_key(key, latin):
    names = gazetteer.given()
    if not latin:
        return _known(key, names) or (len(key) > 3 and key[0] in "وفبلك" and _known(key[1:], names))
    if key in names:
        return True
    return key.replace("-", "") in names or key.removeprefix("el-").removeprefix("al-") in names


def _family(word):
    return _family_key(word.key, word.latin)


@lru_cache(maxsize=65536)
def _family_key(key, latin):
    if latin:
        key = key.replace("-", "")
        for prefix in ("el", "al"):
            key = key.removeprefix(prefix) if key.removeprefix(prefix) in gazetteer.family() else key
    return _known(key, gazetteer.family()) or _given_key(key, latin)


def _known(key, names):
    return any(k in names for k in gazetteer.variants(key))


def _everyday(word):
    return _everyday_key(word.key, word.latin)


@lru_cache(maxsize=65536)
def _everyday_key(key, latin):
    if not latin and key[0] in "وفبلك" and not _known(key, gazetteer.given()):
        key = key[1:]
    return _known(key, gazetteer.everyday())


def _noun_name(word):
    return any(k in gazetteer.noun_names() for k in gazetteer.variants(word.key))


def _clear_name(word):
    return _given(word) and not _everyday(word)


def _joined(text, a, b):
    return bool(_JOINED.fullmatch(text[a.end:b.start]))


def _name_at(text, words, i):
    """(first word of the finding, reason) when words[i] begins a name; (None, None) otherwise."""
    word = words[i]
    gap = text[words[i - 1].end:word.start] if i else ""
    # Every rule wants a known name, a capitalised Latin word, a label colon or «عبد …».
    if not (_given(word) or (word.latin and word.capitalised) or ":" in gap or word.key == "عبد"):
        return None, None
    # "Mrs. Salem": the dot of an abbreviated title does not end the sentence.
    prev = words[i - 1] if i and (_LABEL.fullmatch(gap) or (
        words[i - 1].key in _TITLES_EN and re.fullmatch(r"\.\s*", gap))) else None
    prev_key = prev.key if prev else ""
    labelled = prev is not None and not _JOINED.fullmatch(gap.lstrip("."))
    before = words[i - 2] if prev and i > 1 and _joined(text, words[i - 2], prev) else None
    if word.key in _AR_FUNCTION or word.key in _EN_NOT_NAMES_AT_ALL or _code(text, word):
        return None, None
    if _compound(text, words, i):
        return i, "a compound name («عبد …»)"

    if prev_key in _NAMING_AR or (before and before.key in _NAME_WORD and prev_key in _CLIENT_AR):
        # Any name, even an everyday word («اسمه سعيد»); an unknown word after «يدعى» (is called)
        # or as a label («اسمها: شهد»), not after «اسمه» alone («اسمه مكتوب في الملف»).
        strong = prev_key in _CALLED or ":" in gap
        if _given(word) or (strong and word.key not in _INSTITUTIONS and not word.key.startswith("ال")):
            return i, f"a word after the naming word «{prev.text}»"
    if prev_key in _NAMING_EN or (before and (before.key, prev_key) in {("name", "is"), ("known", "as"),
                                                                      ("goes", "by"), ("name", ":")}):
        if word.capitalised or _given(word):
            return i, f"a word after “{prev.text}”"
    if prev_key == "called" and _clear_name(word):
        return i, "a name after “called”"
    if prev_key in _TITLES_AR and not labelled and _given(word) and word.key not in _NOT_AFTER_TITLE:
        return i, f"a name after the title «{prev.text}»"
    if prev_key in _TITLES_EN and not labelled and (word.capitalised or _given(word)):
        return i, f"a name after the title “{prev.text}”"
    if prev_key in _KUNYA and not labelled and _given(word) and not _is_question_or(text, prev, word):
        return i - 1, f"a kunya («{prev.text} …»)"
    client_at = i - 1
    if prev_key in _ORDER and before is not None and before.key in _CLIENT:
        prev, prev_key, client_at = before, before.key, i - 2
    if prev_key in _CLIENT and prev_key not in _INSTITUTIONS:
        if _clear_name(word) and (word.capitalised or not word.latin or prev.latin):
            return i, f"a name after the client word «{prev.text}»"
        if _given(word) and (_name_follows(text, words, i) or ":" in gap):
            return i, f"a name after the client word «{prev.text}»"
        owner = client_at > 0 and words[client_at - 1].key in _POSSESSION
        if _noun_name(word) and not owner and not word.latin:
            return i, f"a name after the client word «{prev.text}»"
        if word.latin and prev.latin and word.capitalised and not prev.text[0].isupper() \
                and word.key not in _EN_NOT_NAMES:
            return i, f"a capitalised word after “{prev.text}”"
    if _clear_name(word) and (word.capitalised or not word.latin):
        # «مدرسة محمد فريد» is a school; in English the place word comes after ("… School").
        if not (prev_key in _INSTITUTIONS and not labelled and not word.latin and not prev.latin):
            return i, _BARE[0]
    if _given(word) and _name_follows(text, words, i) and _clear_name(words[i + 1]) and not word.latin:
        return i, _BARE[1]
    return None, None


def _name_follows(text, words, i):
    """Is words[i] followed, in the same phrase, by a family name or a clear given name?"""
    if i + 1 >= len(words) or not _joined(text, words[i], words[i + 1]):
        return False
    following = words[i + 1]
    return (_family(following) and not _everyday(following)) or _compound(text, words, i + 1)


def _code(text, word):
    """"C-014", "F-08-c", "A12": letters of a client code, not a name."""
    return word.latin and (len(word.text) < 2 or bool(re.match(r"-?\d", text[word.end:word.end + 2])))


def _compound(text, words, i):
    """«عبد الرحمن», «عبد الله»: servant-of compounds are always names."""
    return (words[i].key == "عبد" and i + 1 < len(words) and words[i + 1].key.startswith("ال")
            and _joined(text, words[i], words[i + 1]))


def _is_question_or(text, kunya, word):
    """«هل هو سعيد أم حزين؟»: «أم» is "or" here, not "mother of"."""
    sentence = re.split(r"[.!?؟\n]", text[max(0, kunya.start - 200):kunya.start])[-1]
    return kunya.key in ("ام", "وام") and _everyday(word) and bool(re.search(r"\bهل\b|سواء", sentence))


def _extend(text, words, i):
    """The last word of the name beginning at words[i]: its family names and particles come with it."""
    end = i + 1 if _compound(text, words, i) else i
    while end + 1 < len(words) and _joined(text, words[end], words[end + 1]):
        nxt = words[end + 1]
        after = words[end + 2] if end + 2 < len(words) and _joined(text, nxt, words[end + 2]) else None
        if nxt.latin != words[i].latin or nxt.key in _INSTITUTIONS or nxt.key in _AR_FUNCTION \
                or nxt.key in gazetteer.public_first_words():
            break
        # «على» (on) folds to «علي» (Ali): before a number or a definite noun it is the preposition.
        if nxt.key == "علي" and re.match(r"\s*(?:\d|ال)", text[nxt.end:nxt.end + 4]):
            break
        if nxt.latin:
            particle = nxt.key in _EN_PARTICLES and after is not None and after.capitalised
            if not (particle or (nxt.capitalised and nxt.key not in _EN_NOT_NAMES) or _family(nxt)):
                break
        elif nxt.key in _AR_PARTICLES and after is not None and (_family(after) or after.key.startswith("ال")):
            pass
        elif not _family(nxt):
            break
        end += 1
    return end


def _public(words, roles, first, head, end):
    """The index of the last word of the public name (a theorist, «مستشفى أحمد ماهر») that
    words[first..head] lie inside; None when they lie in none."""
    low = max(0, first - 3)
    if not any(roles[k] & _PUBLIC_START for k in range(low, first + 1)):
        return None
    keys = tuple(words[k].key.replace("-", " ") for k in range(low, min(end + 4, len(words))))
    for k, key in enumerate(keys):
        for public in gazetteer.public_names_from(key):
            last = low + k + len(public) - 1
            if keys[k:k + len(public)] == public and low + k <= first and head <= last:
                return last
    return None


def _place_after(words, end):
    after = words[end + 1] if end + 1 < len(words) else None
    return bool(after and after.latin and words[end].latin and after.key in _INSTITUTIONS and after.capitalised)
