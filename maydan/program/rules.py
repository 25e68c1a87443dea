"""The program level's pure rules: vocabularies, agreement flags, terms, demand against capacity."""
import re
from dataclasses import dataclass
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

FIELDS = {
    "child_welfare": _("Child welfare"),
    "e_therapy": _("E-therapy"),
    "community_development": _("Community development"),
    "elder_care": _("Elder care"),
    "disability": _("Disability"),
    "refugees": _("Refugees"),
    "health": _("Health care"),
    "school": _("School social work"),
}
LANGUAGES = {"ar": _("Arabic"), "en": _("English"), "fr": _("French")}

# An agreement ending within this many days is flagged for renewal.
AGREEMENT_WARNING_DAYS = 60
MAX_CAPACITY = 50
TERM = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,31}$")

AGREEMENT_NONE, AGREEMENT_ENDED, AGREEMENT_ENDING, AGREEMENT_VALID = "none", "ended", "ending", "valid"


def agreement_state(starts, ends, today):
    """How an affiliation agreement stands on `today`: none, ended, ending (within 60 days) or valid."""
    if starts is None or ends is None:
        return AGREEMENT_NONE
    return end_state(ends, today, AGREEMENT_WARNING_DAYS)


def end_state(ends, today, warning_days):
    """How something valid through `ends` stands on `today`: ended, ending (within `warning_days`) or valid."""
    if ends < today:
        return AGREEMENT_ENDED
    if ends <= today + timedelta(days=warning_days):
        return AGREEMENT_ENDING
    return AGREEMENT_VALID


def is_term(value):
    return bool(TERM.match(value or ""))


@dataclass
class Demand:
    """One opening's seats against the students who ranked it (first choice, and at any rank)."""

    opening_id: int
    capacity: int
    first_choice: int = 0
    ranked: int = 0
    filled: int = 0

    @property
    def pressure(self):
        """Students who ranked it per seat: above 1, more want it than it can take."""
        return round(self.ranked / self.capacity, 2) if self.capacity else 0.0


def demand(capacities, rankings, filled):
    """{opening id: Demand} from {opening: seats}, the students' rankings and {opening: seats taken}."""
    table = {opening: Demand(opening, seats, filled=filled.get(opening, 0)) for opening, seats in capacities.items()}
    for ranking in rankings:
        for position, opening in enumerate(ranking):
            row = table.get(opening)
            if row is None:
                continue
            row.ranked += 1
            row.first_choice += position == 0
    return table
