"""Hours rules and progress arithmetic. Pure Python: no Django, no adapters."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

MIN_MINUTES = 1
MAX_MINUTES = 16 * 60
DEFAULT_TARGET_HOURS = {"BSW": 400, "MSW": 900}


def minutes_between(start: time, end: time) -> int:
    """Minutes from start to end on one day; an end before the start is not crossing midnight but a mistake."""
    delta = datetime.combine(date.min, end) - datetime.combine(date.min, start)
    return int(delta / timedelta(minutes=1))


def overlaps(a_start: time, a_end: time, b_start: time, b_end: time) -> bool:
    """Half-open intervals: an entry may start the minute another ends."""
    return a_start < b_end and b_start < a_end


DAY_MINUTES = 24 * 60


def free_minutes(intervals) -> int:
    """Minutes of a day left free by timed entries [(start, end)], overlapping ones counted once.

    The rule for entries logged as a duration only (no start or end): they have no place on
    the clock, so they must fit in this free time, together. A day's entries never add up to
    more than 24 hours, and a duration never claims time a timed entry already holds.
    """
    busy, reach = 0, None
    for start, end in sorted((s, e) for s, e in intervals if s and e):
        if reach is None or start >= reach:
            busy += minutes_between(start, end)
            reach = end
        elif end > reach:
            busy += minutes_between(reach, end)
            reach = end
    return DAY_MINUTES - busy


def hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def percent(done_minutes: int, target_hours: float) -> float:
    """Share of the target done, to one decimal: 3 h of 400 h shows as 0.8, not 0."""
    if target_hours <= 0:
        return 100.0
    return min(100.0, round(done_minutes * 100 / (target_hours * 60), 1))


@dataclass(frozen=True)
class Bar:
    """One progress bar: approved hours against a target, with what is still on its way."""

    key: str
    target_hours: float
    approved_minutes: int = 0
    pending_minutes: int = 0
    returned_minutes: int = 0

    @property
    def approved_hours(self):
        return hours(self.approved_minutes)

    @property
    def pending_hours(self):
        return hours(self.pending_minutes)

    @property
    def returned_hours(self):
        return hours(self.returned_minutes)

    @property
    def percent(self):
        return percent(self.approved_minutes, self.target_hours)

    @property
    def pending_percent(self):
        return round(min(100 - self.percent, percent(self.pending_minutes, self.target_hours)), 1)

    @property
    def complete(self):
        return self.approved_minutes >= self.target_hours * 60


@dataclass(frozen=True)
class Progress:
    total: Bar
    categories: list = field(default_factory=list)

    @property
    def score(self) -> float:
        """The log's grade: share of the total target approved, 0..1."""
        if self.total.target_hours <= 0:
            return 1.0
        return min(1.0, self.total.approved_minutes / (self.total.target_hours * 60))


def progress(rows, target_hours, category_targets):
    """Build bars from rows of (status_group, category keys, minutes).

    status_group is "approved", "pending" or "returned"; an entry counts in every
    category it belongs to (its time kind and its activity type).
    """
    sums = {}
    for group, keys, minutes in rows:
        for key in ("total", *keys):
            sums.setdefault(key, {"approved": 0, "pending": 0, "returned": 0})[group] += minutes

    def bar(key, target):
        s = sums.get(key, {})
        return Bar(key, float(target), s.get("approved", 0), s.get("pending", 0), s.get("returned", 0))

    return Progress(
        total=bar("total", target_hours),
        categories=[bar(k, t) for k, t in category_targets.items()],
    )
