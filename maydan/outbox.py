"""What every outbox shares (grades, notifications): a row is due, leased while sent, retried with backoff.

A row waits until `next_attempt_at`; a worker that takes it pushes `next_attempt_at` a lease ahead, so
another worker never sends it at once; a failure pushes it out exponentially, up to an hour.
"""
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q

LEASE = timedelta(minutes=2)  # longer than any send may take
MAX_BACKOFF = timedelta(hours=1)


def due(now, field="delivered_at"):
    """Rows not yet done whose next attempt has come."""
    return Q(**{f"{field}__isnull": True}) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def backoff(attempts, setting="MAYDAN_GRADE_RETRY_SECONDS"):
    base = getattr(settings, setting, 10)
    return min(timedelta(seconds=base * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def lease(rows, now):
    """Take the rows (a queryset already narrowed to what may be taken); how many were taken."""
    return rows.update(next_attempt_at=now + LEASE, attempts=F("attempts") + 1, last_error="")


def failed(rows, attempts, error, now, setting="MAYDAN_GRADE_RETRY_SECONDS"):
    """Keep the rows for a later attempt, with the reason."""
    return rows.update(last_error=f"{type(error).__name__}: {error}"[:1000],
                       next_attempt_at=now + backoff(attempts, setting))
