"""The grade outbox: a grade is written here first, then adapters deliver it.

Delivery is claim, send, finish, with no transaction held while sending (a platform call
may take seconds, and may reach a platform that writes to this very database). A claimed
row is leased (its next attempt pushed into the future), so two workers never send it at
once; a failure pushes the next attempt out exponentially; a row is marked delivered only
if the score sent is still its score, so a grade changed while in flight goes out again.
"""
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, outbox
from .errors import Forbidden, NotFound
from .models import GradeDestination, GradeOutbox

log = logging.getLogger(__name__)

LEASE, MAX_BACKOFF = outbox.LEASE, outbox.MAX_BACKOFF


def register_destination(course, address, activity="fieldlog"):
    """Note that grades of `activity` ("fieldlog", "simulation:<key>", ...) go to `address` too."""
    GradeDestination.objects.get_or_create(course=course, address=address, defaults={"activity": activity})


def queue_grade(course, student, activity, score):
    """Queue a student's grade (0..1) of one activity for every place the course shows it."""
    for address in GradeDestination.objects.filter(course=course, activity=activity).values_list(
        "address", flat=True
    ):
        # An undelivered older grade is superseded, so a platform never receives stale values.
        updated = GradeOutbox.objects.filter(
            destination=address, student=student, delivered_at__isnull=True
        ).update(score=score, updated_at=timezone.now())
        if not updated:
            GradeOutbox.objects.create(course=course, student=student, destination=address, score=score)


def queue_fieldlog_grade(placement, score):
    queue_grade(placement.course, placement.student, "fieldlog", score)


def pending(destination, student):
    return GradeOutbox.objects.filter(destination=destination, student=student, delivered_at__isnull=True).first()


def due(destinations=None, limit=100):
    """Rows waiting to be sent now, oldest first; `destinations` narrows them (a queryset or list)."""
    rows = GradeOutbox.objects.filter(outbox.due(timezone.now()))
    if destinations is not None:
        rows = rows.filter(destination__in=destinations)
    return list(rows.select_related("student").order_by("next_attempt_at", "id")[:limit])


@dataclass(frozen=True)
class Claim:
    """A row taken for sending: the score and timestamp to send, as they were when claimed."""

    row: GradeOutbox
    score: float
    timestamp: object


def claim(row, *, now_or_never=False):
    """Lease a row for sending; None if it is delivered, leased by another worker or not due yet.

    `now_or_never` skips the backoff wait (a person asked for it), never another's lease.
    """
    now = timezone.now()
    rows = GradeOutbox.objects.filter(pk=row.pk, delivered_at__isnull=True)
    if not now_or_never:
        rows = rows.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    else:
        rows = rows.exclude(next_attempt_at__gt=now, last_error="")  # "" + future = in flight
    # Only if the grade is still the one read: then the row in hand is what gets sent.
    if not outbox.lease(rows.filter(updated_at=row.updated_at), now):
        return None
    row.attempts += 1
    row.next_attempt_at, row.last_error = now + LEASE, ""
    return Claim(row, row.score, row.updated_at)


backoff = outbox.backoff


def finish(taken, error=None):
    """Record the outcome of sending a claimed row; True if it is now delivered."""
    now = timezone.now()
    rows = GradeOutbox.objects.filter(pk=taken.row.pk, delivered_at__isnull=True)
    if error is not None:
        outbox.failed(rows, taken.row.attempts, error, now)
        return False
    if rows.filter(score=taken.score, updated_at=taken.timestamp).update(delivered_at=now, next_attempt_at=None):
        return True
    rows.update(next_attempt_at=None)  # the grade changed while in flight: send the new one
    return False


def deliver(row, send, *, now_or_never=True):
    """Call send(score); mark the row delivered only if it went through."""
    return send_rows([row], lambda taken: send(taken.score), now_or_never=now_or_never)[0] == 1


def send_rows(rows, send, *, now_or_never=False, channel="grade"):
    """Claim each row, send(claim) it and record the outcome; (delivered, failed) counts.

    Every delivery channel (Open edX publish and gradebook, LTI AGS) goes through here."""
    delivered = failed = 0
    for row in rows:
        taken = claim(row, now_or_never=now_or_never)
        if taken is None:
            continue
        try:
            send(taken)
        except Exception as exc:  # a platform failure must not lose the grade: keep it queued
            log.info("%s delivery of grade %s failed: %s", channel, row.pk, exc)
            finish(taken, exc)
            failed += 1
        else:
            delivered += finish(taken)
    return delivered, failed


# --- what a teacher sees and may do ---------------------------------------------------------


def delivery_status(actor, destinations):
    """The newest row per (destination, student) for the course's supervisors."""
    _require_supervisor(actor)
    latest = {}
    for row in (GradeOutbox.objects.filter(course=actor.course, destination__in=list(destinations))
                .select_related("student").order_by("id")):
        latest[(row.destination, row.student_id)] = row
    return sorted(latest.values(), key=lambda r: (r.destination, r.student.name or r.student.subject))


@transaction.atomic
def resend(actor, row_id):
    """Send a student's grade again: a waiting one now, a delivered one as a new row."""
    _require_supervisor(actor)
    row = GradeOutbox.objects.filter(course=actor.course, pk=row_id).first()
    if row is None:
        raise NotFound(_("This grade does not exist."))
    waiting = pending(row.destination, row.student)
    if waiting is not None:
        GradeOutbox.objects.filter(pk=waiting.pk).update(next_attempt_at=None)
    else:
        waiting = GradeOutbox.objects.create(
            course=row.course, student=row.student, destination=row.destination, score=row.score
        )
    audit.record(actor, "grade_resent", changes={"grade": waiting.pk, "student": row.student.subject})
    return waiting


def _require_supervisor(actor):
    if not actor.supervises_course:
        raise Forbidden(_("Only the supervisors of this course can see grade delivery."))
