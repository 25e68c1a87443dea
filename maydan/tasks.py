"""The core's background and scheduled work, as Celery tasks (Open edX's LMS workers pick them up by
these names; the tool's beat schedule runs them). Each is also a plain function: the management
commands and the embedded demo call them in-process."""
import logging

from celery import shared_task

log = logging.getLogger(__name__)

SEND_NOTIFICATIONS = "maydan.notify.send_due"
RUN_DIGESTS = "maydan.notify.run_digests"
PURGE_RECORDINGS = "maydan.grading.purge_recordings"
READINESS_UPKEEP = "maydan.readiness.upkeep"


def beat_schedule(digest_seconds=3600.0):
    """The core's schedule for Celery beat (the tool's settings use it; an Open edX deployment may too).
    The digest run is idempotent (once per person, kind and period): run hourly, it catches a worker that was
    down at the usual hour."""
    return {
        "maydan-send-notifications": {"task": SEND_NOTIFICATIONS, "schedule": 60.0},
        "maydan-digests-and-reminders": {"task": RUN_DIGESTS, "schedule": float(digest_seconds)},
        "maydan-purge-recordings": {"task": PURGE_RECORDINGS, "schedule": 86400.0},
        # Reminders are once per document and expiry day, so running it more than daily sends nothing twice.
        "maydan-readiness-upkeep": {"task": READINESS_UPKEEP, "schedule": 86400.0},
    }


@shared_task(name=SEND_NOTIFICATIONS, ignore_result=True)
def send_notifications():
    """Send the notifications that are due (those the mail server refused wait for their next attempt)."""
    from .notify import services

    return services.send_due()


@shared_task(name=RUN_DIGESTS, ignore_result=True)
def run_digests():
    """Write today's digests and reminders (once per person, kind and period), then send them."""
    from .notify import digests, services

    written = digests.run()
    services.send_due()
    return written


@shared_task(name=PURGE_RECORDINGS, ignore_result=True)
def purge_recordings():
    """Delete process recordings past their course's retention period, each deletion audited."""
    from .grading import recordings
    from .models import Course, ProcessRecording

    courses = Course.objects.filter(pk__in=ProcessRecording.objects.values("placement__course"))
    return sum(recordings.purge_expired(course) for course in courses)


@shared_task(name=READINESS_UPKEEP, ignore_result=True)
def readiness_upkeep():
    """Delete readiness documents past their program's retention (each deletion audited), remind students of
    documents about to expire, and send those reminders. Returns (deleted, reminded)."""
    from .notify import services
    from .readiness import upkeep

    deleted, reminded = upkeep.purge_expired(), upkeep.remind_expiring()
    services.send_due()
    return deleted, reminded
