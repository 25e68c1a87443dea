"""The cohort's alert rules and evidence flags. Pure Python: no Django, no adapters.

Each rule takes plain numbers and dates and says whether a coordinator should look.
"""
import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

# Bunched hours: more than this in one day or one week is unlikely to be real field time.
MAX_DAY_MINUTES = 12 * 60
MAX_WEEK_MINUTES = 40 * 60
# An entry waiting longer than this for the agency's approval is overdue.
APPROVAL_DAYS = 7
# Behind schedule: approved hours under this share of the hours the period has used up so far.
PACE_TOLERANCE = 0.8
# An accreditation reviewer wants at least this many assessments of each competency.
MIN_ASSESSMENTS = 2

BEHIND, BUNCHED_DAY, BUNCHED_WEEK, OVERDUE = "behind", "bunched_day", "bunched_week", "overdue"
NO_VISIT = "no_visit"
FEW_ASSESSMENTS, NO_REAL_PRACTICE, NO_SIMULATION = "few_assessments", "no_real_practice", "no_simulation"


def expected_minutes(target_hours, starts_on, ends_on, today):
    """Minutes a student on an even pace would have by `today`; None when the period is unknown."""
    if not starts_on or not ends_on or ends_on < starts_on:
        return None
    if today <= starts_on:
        return 0
    days = (ends_on - starts_on).days + 1
    elapsed = min(days, (today - starts_on).days)
    return target_hours * 60 * elapsed / days


def behind_schedule(approved_minutes, target_hours, starts_on, ends_on, today, tolerance=PACE_TOLERANCE):
    """Approved hours lag the even pace through the placement period by more than the tolerance."""
    expected = expected_minutes(target_hours, starts_on, ends_on, today)
    if not expected:
        return False
    return approved_minutes < expected * tolerance


def week_of(day):
    return day - timedelta(days=day.weekday())


def bunched(day_minutes, max_day=MAX_DAY_MINUTES, max_week=MAX_WEEK_MINUTES):
    """(days over the daily limit, Mondays of weeks over the weekly limit) from {date: minutes}."""
    weeks = {}
    for day, minutes in day_minutes.items():
        weeks[week_of(day)] = weeks.get(week_of(day), 0) + minutes
    days = sorted(d for d, m in day_minutes.items() if m > max_day)
    return days, sorted(w for w, m in weeks.items() if m > max_week)


def overdue_before(today, days=APPROVAL_DAYS):
    """An entry submitted on a day before this one has waited more than `days` days for approval."""
    return today - timedelta(days=days)


def overdue(submitted_at_dates, today, days=APPROVAL_DAYS):
    """How many entries have waited more than `days` days for approval."""
    return sum(1 for sent in submitted_at_dates if sent is not None and sent < overdue_before(today, days))


@dataclass(frozen=True)
class Alerts:
    behind: bool = False
    bunched_days: tuple = ()
    bunched_weeks: tuple = ()
    overdue: int = 0
    # Past mid-term with no site visit recorded (visits.rules.visit_missing).
    no_visit: bool = False

    @property
    def kinds(self):
        found = [BEHIND] if self.behind else []
        found += [BUNCHED_DAY] if self.bunched_days else []
        found += [BUNCHED_WEEK] if self.bunched_weeks else []
        found += [OVERDUE] if self.overdue else []
        return found + ([NO_VISIT] if self.no_visit else [])

    def __bool__(self):
        return bool(self.kinds)


def evidence_flags(evaluations, simulations, practice_minutes, minimum=MIN_ASSESSMENTS):
    """What an accreditation reviewer would miss for one student's competency.

    evaluations: how many evaluations scored it; simulations: how many finished simulation
    attempts assessed it; practice_minutes: approved field hours tagged with it.
    """
    flags = []
    if evaluations + simulations < minimum:
        flags.append(FEW_ASSESSMENTS)
    if not practice_minutes and not evaluations:
        flags.append(NO_REAL_PRACTICE)
    if not simulations:
        flags.append(NO_SIMULATION)
    return flags


def student_code(secret, course_id, person_id):
    """A stable pseudonym for research data: the same student gets the same code in every export
    of the course, and it cannot be turned back into the person without the server's secret."""
    digest = hmac.new(str(secret).encode(), f"{course_id}:{person_id}".encode(), hashlib.sha256).hexdigest()
    return "S-" + digest[:8].upper()


