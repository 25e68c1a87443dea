"""Finds client identifiers in free text so they can be refused before anything is stored.

Pure Python. A client in a field log is a code (e.g. "C-014"), never a name, a national
ID, a phone number or an e-mail address. The finder errs on the side of asking: a false
alarm costs the student a rewording, a miss puts a client's identity on record.
"""
import re
from dataclasses import dataclass

NATIONAL_ID = "national_id"
PHONE = "phone"
EMAIL = "email"
NAME = "name"

# Arabic-Indic and Extended Arabic-Indic digits read as ASCII, one for one, so spans stay aligned.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Egyptian national ID: 14 digits, century digit 2 or 3; any other 14-digit run is refused too.
_NATIONAL_ID = re.compile(r"(?<!\d)\d{14}(?!\d)")
_SEP = r"[\s.\-()]?"
_PHONE = re.compile(
    r"(?<![\d\w])(?:"
    r"(?:\+|00)20" + _SEP + r"\d(?:" + _SEP + r"\d){7,9}"          # +20 / 0020, mobile or landline
    r"|01[0125](?:" + _SEP + r"\d){8}"                              # 010/011/012/015 mobiles
    r"|0[2-9]\d?(?:" + _SEP + r"\d){7,8}"                           # 02-xxxx-xxxx Cairo and other landlines
    r"|\+\d{1,3}" + _SEP + r"\d(?:" + _SEP + r"\d){6,12}"           # any international number
    r")(?!\d)"
)

# Words that introduce a person's name outright: the word after them is a name.
_EN_NAMING = r"(?:named|called|name\s+is|Mr\.?|Mrs\.?|Ms\.?|Miss|Mister|Madam)"
def _words(text):
    """A regex alternation, longest word first, so «العميلة» is not read as «العميل» + «ة»."""
    return "(?:" + "|".join(sorted(text.split(), key=len, reverse=True)) + ")"


_AR_NAMING = _words("اسمه اسمها واسمه واسمها يدعى تدعى يُدعى تُدعى السيد السيدة الأستاذ الأستاذة الحاج")
# Words that introduce a client: the word after them is a name when it looks like one.
# «الحاجة» is here, not above: it is also the everyday word for "the need" («حسب الحاجة»).
_EN_CLIENT = r"(?:client|patient|beneficiary|child|mother|father|son|daughter|husband|wife)"
_AR_CLIENT = _words(
    "العميل العميلة للعميل للعميلة المريض المريضة الحالة الطفل الطفلة الأم الأب الابن الابنة "
    "الزوج الزوجة المستفيد المستفيدة الحاجة"
)

_AR_WORD = r"[\u0621-\u064A\u0671-\u06D3]+"
_CAPITALISED = r"[A-Z][a-z]+(?:['’-][A-Za-z]+)?"
_EN_NAME = re.compile(r"\b" + _EN_NAMING + r"\s+([A-Za-z][A-Za-z'’-]*[A-Za-z](?:\s+" + _CAPITALISED + r")?)")
_EN_CLIENT_NAME = re.compile(r"(?i:\b" + _EN_CLIENT + r")\s+(" + _CAPITALISED + r"(?:\s+" + _CAPITALISED + r")?)\b")
_AR_NAME = re.compile(_AR_NAMING + r"\s+(" + _AR_WORD + r"(?:\s+" + _AR_WORD + r")?)")
_AR_CLIENT_NAME = re.compile(_AR_CLIENT + r"(?:\s*[:،,]\s*|\s+)(" + _AR_WORD + r")")

# Common given names, so that "the client Ahmed" and "العميل محمد" are caught even though
# Arabic has no capital letters and English notes are often typed in lower case.
COMMON_NAMES_AR = frozenset("""
محمد أحمد محمود مصطفى علي عمر خالد حسن حسين إبراهيم ابراهيم يوسف عبدالله عبد مصطفي طارق كريم
سامي سمير هاني هشام وليد ياسر عادل جمال ماجد سعيد رامي شريف أشرف اشرف عمرو أيمن ايمن مينا جرجس
بيشوي ماريو فادي رامز صلاح سيد سالم ناصر فارس زياد آدم ادم مالك حمزة أنس انس
فاطمة مريم عائشة زينب نور نورا هدى منى سارة ساره ليلى سلمى رنا دينا ريم هالة هند إيمان ايمان
أسماء اسماء شيماء ياسمين آية اية رحمة حبيبة جنى ملك مي نادية سعاد آمال امال كريمة سناء رشا
مروة دعاء نهى إسراء اسراء ولاء مارينا مريانا كيرلس تريزا فيرونيكا نرمين شيرين أمل امل خديجة
""".split())
COMMON_NAMES_LATIN = frozenset("""
mohamed mohammed muhammad ahmed ahmad mahmoud mostafa mustafa ali omar khaled hassan hussein
ibrahim youssef yousef abdallah abdullah tarek karim sami samir hany hesham walid yasser adel
gamal maged rami sherif ashraf amr ayman mina girgis bishoy fady salah sayed salem nasser
fares ziad adam malek hamza anas fatma fatima mariam maryam aisha zeinab nour noura hoda mona
sara sarah laila layla salma rana dina reem hala hend eman iman asmaa shaimaa yasmin yasmine aya
rahma habiba malak mai nadia soad amal karima sanaa rasha marwa doaa noha esraa walaa marina
kirollos nermin shereen sherine khadija john mary david michael sarah emma james
""".split())


# Title-cased words that follow "Client" in headings and are not names.
_EN_NOT_NAMES = frozenset("""
was is are and the has had have said says came felt feels will would did does can could
agreed refused reported attended shared asked told seemed appeared session code plan
""".split())


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str


def find_identifiers(text):
    """Every client identifier found in `text`, in reading order, overlapping finds merged."""
    if not text:
        return []
    digits = text.translate(_DIGITS)
    spans = []
    for kind, pattern in ((EMAIL, _EMAIL), (NATIONAL_ID, _NATIONAL_ID), (PHONE, _PHONE)):
        spans += [(m.start(), m.end(), kind) for m in pattern.finditer(digits)]
    for pattern in (_EN_NAME, _AR_NAME):
        spans += [(m.start(1), m.end(1), NAME) for m in pattern.finditer(text)]
    for m in _EN_CLIENT_NAME.finditer(text):
        if m.group(1).split()[0].lower() not in _EN_NOT_NAMES:
            spans.append((m.start(1), m.end(1), NAME))
    for m in re.finditer(r"(?i:\b" + _EN_CLIENT + r")\s+([a-z]+)", text):
        if m.group(1).lower() in COMMON_NAMES_LATIN:
            spans.append((m.start(1), m.end(1), NAME))
    for m in _AR_CLIENT_NAME.finditer(text):
        word = m.group(1)
        if word in COMMON_NAMES_AR or word.removeprefix("ل") in COMMON_NAMES_AR:
            spans.append((m.start(1), m.end(1), NAME))
    return _merge(text, spans)


def _merge(text, spans):
    findings = []
    for start, end, kind in sorted(spans):
        if findings and start < findings[-1].end:
            last = findings[-1]
            if end > last.end:
                findings[-1] = Finding(last.kind, last.start, end, text[last.start:end])
            continue
        findings.append(Finding(kind, start, end, text[start:end]))
    return findings


CLIENT_CODE = re.compile(r"^[A-Za-z0-9\u0621-\u064A\u0660-\u0669][A-Za-z0-9\u0621-\u064A\u0660-\u0669_/\-]{0,19}$")


def is_client_code(value):
    """A client code is short, has no spaces, and is not itself an identifier."""
    return bool(CLIENT_CODE.match(value)) and not find_identifiers(value) and not (
        value.isdigit() and len(value) > 6
    )
