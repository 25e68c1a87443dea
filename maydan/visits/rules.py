"""Site visits' pure rules: vocabularies, the placement's mid-term and the missing-visit alert. No Django models."""
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

KINDS = {"on_site": _("Visit at the agency"), "virtual": _("Virtual visit")}
# Who the academic supervisor met on the visit.
MET = {
    "student": _("The student"),
    "agency_supervisor": _("The agency supervisor"),
    "agency_manager": _("The agency's manager"),
    "other_staff": _("Other agency staff"),
    "service_users": _("Service users (no names)"),
}
PROGRESS = {
    "on_track": _("On track"),
    "some_concerns": _("Some concerns"),
    "at_risk": _("At risk"),
}
MIN_MINUTES, MAX_MINUTES = 15, 8 * 60
MAX_TEXT = 2000
# The evaluation form whose due date stands for mid-term when a placement has no dates.
MIDTERM_FORM = "midterm"


def midterm(starts_on, ends_on, midterm_due=None):
    """The day half the placement period has passed; the mid-term evaluation's due date when the period is
    unknown; None when neither is known."""
    if starts_on and ends_on and ends_on >= starts_on:
        return starts_on + timedelta(days=(ends_on - starts_on).days // 2)
    return midterm_due


def visit_missing(starts_on, ends_on, today, recorded_visits, midterm_due=None):
    """Mid-term has passed and no visit is recorded for the placement: the liaison should go (or say they went)."""
    middle = midterm(starts_on, ends_on, midterm_due)
    return middle is not None and today > middle and not recorded_visits
