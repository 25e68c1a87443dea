"""Readiness rules on plain dates: when a document stops being valid, how it stands, when a placement may start.

Pure: no Django model or database (the program rules it shares are as plain)."""
from datetime import timedelta

from ..program import rules as program_rules

# A document that stops being valid within this many days is flagged to the student and the coordinator.
EXPIRY_WARNING_DAYS = 30
MAX_VALID_DAYS = 3660  # ten years
DEFAULT_RETENTION_DAYS = 365
MAX_RETENTION_DAYS = 3660

# How one requirement stands for one student.
MISSING, WAITING, RETURNED, VALID, EXPIRING, EXPIRED = "missing", "waiting", "returned", "valid", "expiring", "expired"
MET = (VALID, EXPIRING)
_BY_END = {program_rules.AGREEMENT_ENDED: EXPIRED, program_rules.AGREEMENT_ENDING: EXPIRING,
           program_rules.AGREEMENT_VALID: VALID}
FLAGGED = (EXPIRING, EXPIRED)


def valid_until(issued_on, expires_on, valid_days):
    """The last day a document is valid: the earlier of its own expiry and `valid_days` from issue; None: no end."""
    ends = [day for day in (expires_on, issued_on + timedelta(days=valid_days) if valid_days else None) if day]
    return min(ends) if ends else None


def validity(until, today):
    """VALID, EXPIRING (within EXPIRY_WARNING_DAYS) or EXPIRED for an approved document valid until `until`."""
    if until is None:
        return VALID
    return _BY_END[program_rules.end_state(until, today, EXPIRY_WARNING_DAYS)]


def state(approved_until, has_approved, pending_status, today):
    """How a requirement stands: an approved document counts while valid; else the newest one's review.

    `pending_status` is the status of a newer document still waiting or returned (None when there is none).
    A valid approved document stays the student's answer while its renewal waits for review."""
    if has_approved:
        standing = validity(approved_until, today)
        if standing != EXPIRED or pending_status is None:
            return standing
    if pending_status == "submitted":
        return WAITING
    if pending_status == "returned":
        return RETURNED
    return MISSING


def ready(states):
    """A placement is ready to start when every required document is approved and valid today."""
    return all(s in MET for s in states)


def kept_until(ended, retention_days):
    """The day a document that stopped counting on `ended` (replaced, returned or expired) is deleted."""
    return ended + timedelta(days=retention_days)
