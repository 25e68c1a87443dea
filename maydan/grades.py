"""The grade outbox: a grade is written here first, then adapters deliver it."""
from django.db import transaction
from django.utils import timezone

from .models import GradeDestination, GradeOutbox


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
        ).update(score=score)
        if not updated:
            GradeOutbox.objects.create(course=course, student=student, destination=address, score=score)


def queue_fieldlog_grade(placement, score):
    queue_grade(placement.course, placement.student, "fieldlog", score)


def pending(destination, student):
    return GradeOutbox.objects.filter(destination=destination, student=student, delivered_at__isnull=True).first()


@transaction.atomic
def deliver(row, send):
    """Call send(score); mark the row delivered only if it went through."""
    row = GradeOutbox.objects.select_for_update().get(pk=row.pk)
    if row.delivered_at:
        return False
    row.attempts += 1
    try:
        send(row.score)
    except Exception as exc:  # a platform failure must not lose the grade: keep it queued
        row.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        row.save(update_fields=["attempts", "last_error"])
        return False
    row.delivered_at = timezone.now()
    row.save(update_fields=["attempts", "delivered_at"])
    return True
