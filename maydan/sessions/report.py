"""Reading a meeting's participant report (CSV as Zoom or Microsoft Teams exports it) and matching names.
Pure Python.

Zoom's report comes in several shapes: with or without a meeting summary block before
the participants, with a UTF-8 byte-order mark, "Name (Original Name)" or "Name (original
name)", "User Email" or "Email", times as "11/04/2025 06:02:13 PM" or ISO. A person who
drops out and rejoins has several rows; their time is the union of their intervals, so
two devices at once are not counted twice. Teams' attendance report is UTF-16 and tab-separated, in
numbered sections ("1. Summary", "2. Participants", "3. In-Meeting Activities"): its participants are read,
with durations written "1h 29m 5s" and times "4/7/26, 6:01:15 PM".
"""
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from .. import untrusted
from .errors import FormatError

MAX_BYTES = 2_000_000
MAX_ROWS = 5000
MAX_SUMMARY_LINES = 50  # Zoom's meeting summary and blank lines before the participants' header
MAX_FIELD = 1000

_COLUMNS = {
    "name": ("name (original name)", "name", "full name", "participant", "participant name", "display name", "الاسم"),
    "email": ("user email", "email", "e-mail", "email address", "attendee email", "participant id (upn)",
              "البريد الإلكتروني"),
    "join": ("join time", "join", "joined", "first join", "وقت الانضمام"),
    "leave": ("leave time", "leave", "left", "last leave", "وقت المغادرة"),
    "minutes": ("duration (minutes)", "duration (mins)", "duration", "total duration (minutes)", "in-meeting duration",
                "attendance duration", "المدة (دقائق)"),
}
_TIME_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%m/%d/%y, %I:%M:%S %p", "%m/%d/%Y, %I:%M:%S %p", "%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p",
)
_SECTION = re.compile(r"^\d+\.\s+\S")  # "3. In-Meeting Activities": where Teams' participants end
_SPELLED = re.compile(r"^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?$")


@dataclass(frozen=True)
class Row:
    line: int
    name: str
    email: str
    join: datetime | None  # naive, the report's local time
    leave: datetime | None
    minutes: int


@dataclass
class Participant:
    """One person of the report: their rows merged."""

    name: str
    email: str
    minutes: int
    first_join: datetime | None
    last_leave: datetime | None
    lines: list
    intervals: list
    untimed_minutes: int = 0

    def absorb(self, other):
        """Another set of rows found to be the same person (a second device under another name)."""
        self.intervals = sorted(self.intervals + other.intervals)
        self.untimed_minutes += other.untimed_minutes
        self.minutes = _union_minutes(self.intervals) + self.untimed_minutes
        self.lines = sorted(self.lines + other.lines)
        self.email = self.email or other.email
        joins = [t for t in (self.first_join, other.first_join) if t]
        leaves = [t for t in (self.last_leave, other.last_leave) if t]
        self.first_join, self.last_leave = min(joins, default=None), max(leaves, default=None)


def _header_key(cell):
    return re.sub(r"\s+", " ", (cell or "").replace("\ufeff", "").strip().lower())


def _columns(header):
    keys = [_header_key(c) for c in header]
    found = {}
    for field, names in _COLUMNS.items():
        for index, key in enumerate(keys):
            if key in names:
                found[field] = index
                break
    return found


def _time(value, line):
    value = (value or "").strip()
    if not value:
        return None
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise FormatError("bad_time", line=line, value=value[:40])


def _minutes(value, line):
    """Whole minutes from "87", "87.5" or Teams' "1h 27m 30s"."""
    spelled = _SPELLED.match(value.lower())
    if spelled and any(spelled.groups()):
        hours_, minutes_, seconds = (int(part or 0) for part in spelled.groups())
        return hours_ * 60 + minutes_ + seconds // 60
    try:
        return int(float(value))
    except (ValueError, OverflowError):  # "abc"; "1e400" and "inf" overflow int()
        raise FormatError("bad_minutes", line=line, value=value[:20])


def read(data):
    """[Row] from the report's bytes or text, or FormatError saying which line and why."""
    try:
        lines = untrusted.read_csv(data, max_bytes=MAX_BYTES, max_rows=MAX_ROWS + MAX_SUMMARY_LINES,
                                   max_field=MAX_FIELD, tabs=True)
    except untrusted.Unreadable as error:
        raise FormatError("unreadable_file", error=error) from None
    if not any(cell.strip() for cells in lines for cell in cells):
        raise FormatError("empty")
    # The participants' header is the first line naming both a person and a join time or duration
    # (Zoom's meeting summary block, when present, comes before it).
    for index, header in enumerate(lines):
        columns = _columns(header)
        if "name" in columns and ("join" in columns or "minutes" in columns):
            break
    else:
        raise FormatError("no_header")
    rows = []
    for number, cells in enumerate(lines[index + 1:], start=index + 2):
        filled = [c.strip() for c in cells if c.strip()]
        if not filled:
            continue
        if len(filled) == 1 and _SECTION.match(filled[0]):
            break
        if len(rows) >= MAX_ROWS:
            raise FormatError("too_many_rows", max=MAX_ROWS)

        def cell(field):
            position = columns.get(field)
            return cells[position].strip() if position is not None and position < len(cells) else ""

        name = cell("name")
        if not name:
            raise FormatError("no_name", line=number)
        join, leave = _time(cell("join"), number), _time(cell("leave"), number)
        if join and leave and leave < join:
            raise FormatError("leave_before_join", line=number)
        raw_minutes = cell("minutes")
        if raw_minutes:
            minutes = _minutes(raw_minutes, number)
            if not 0 <= minutes <= 24 * 60:
                raise FormatError("bad_minutes", line=number, value=raw_minutes[:20])
        elif join and leave:
            minutes = int((leave - join).total_seconds() // 60)
        else:
            raise FormatError("no_duration", line=number)
        rows.append(Row(number, name, cell("email").lower(), join, leave, minutes))
    if not rows:
        raise FormatError("no_rows")
    return rows


def participants(rows):
    """Rows merged per person (by e-mail, else by name), with the union of their intervals."""
    groups = {}
    for row in rows:
        key = ("email", row.email) if row.email else ("name", normalize_name(row.name))
        groups.setdefault(key, []).append(row)
    result = []
    for group in groups.values():
        timed = sorted((r.join, r.leave) for r in group if r.join and r.leave)
        untimed = sum(r.minutes for r in group if not (r.join and r.leave))
        first = group[0]
        result.append(Participant(
            name=first.name, email=next((r.email for r in group if r.email), ""),
            minutes=_union_minutes(timed) + untimed,
            first_join=min((r.join for r in group if r.join), default=None),
            last_leave=max((r.leave for r in group if r.leave), default=None),
            lines=[r.line for r in group], intervals=timed, untimed_minutes=untimed,
        ))
    return result


def _union_minutes(intervals):
    total, current_start, current_end = 0.0, None, None
    for start, end in intervals:
        if current_end is None or start > current_end:
            if current_end is not None:
                total += (current_end - current_start).total_seconds()
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += (current_end - current_start).total_seconds()
    return int(total // 60)


_TASHKEEL = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})


def normalize_name(name):
    """A name reduced for comparison: case, diacritics (tashkeel, tatweel), alef/ya/ta marbuta forms,
    titles in brackets ("Sara (iPhone)") and spacing do not matter."""
    text = unicodedata.normalize("NFKC", name or "")
    text = re.sub(r"\([^)]*\)", " ", text)
    text = _TASHKEEL.sub("", text).translate(_ARABIC_FOLD).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def name_keys(name):
    """Every form under which a person may appear: the whole name and each part of "English / عربي"."""
    keys = {normalize_name(name)}
    keys.update(normalize_name(part) for part in re.split(r"[/|]", name or "") if part.strip())
    bracketed = re.findall(r"\(([^)]*)\)", name or "")
    keys.update(normalize_name(part) for part in bracketed)
    return {k for k in keys if k}


def match(participants_, people):
    """Pair participants with people [(id, name, email)]: by e-mail first, then by an unambiguous name.

    Returns (matched [(participant, person id)], unmatched [participant]).
    """
    by_email, by_name = {}, {}
    for person_id, name, email in people:
        if email:
            by_email.setdefault(email.strip().lower(), set()).add(person_id)
        for key in name_keys(name):
            by_name.setdefault(key, set()).add(person_id)
    found, unmatched = {}, []
    for participant in participants_:
        ids = by_email.get(participant.email, set()) if participant.email else set()
        if len(ids) != 1:
            ids = set()
            for key in name_keys(participant.name):
                ids |= by_name.get(key, set())
        if len(ids) != 1:
            unmatched.append(participant)
            continue
        person_id = next(iter(ids))
        if person_id in found:
            found[person_id].absorb(participant)
        else:
            found[person_id] = participant
    return [(p, person_id) for person_id, p in found.items()], unmatched
