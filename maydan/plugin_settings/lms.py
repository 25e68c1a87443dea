"""The LMS's settings on top of the common ones: the periodic tasks for its Celery beat.

The LMS's Celery app reads Django's settings with no namespace (`config_from_object("django.conf:settings")`
in openedx/core/lib/celery), so beat takes its schedule from the old-style name CELERYBEAT_SCHEDULE. Only
the LMS schedules Maydan's work: its workers have the LMS's e-mail settings and gradebook; Studio's none.
An entry the operator already set under one of these names stays as they set it.
"""
from maydan.tasks import beat_schedule
from xblocks.tasks import DELIVER_GRADEBOOK

from . import plugin_settings as common_settings
from .production import plugin_settings as production_settings

# The outbox holds each undelivered grade until it is due again (backing off up to an hour): this only
# wakes it up.
GRADEBOOK_RETRY_SECONDS = 300.0


def schedule():
    return {
        **beat_schedule(),
        "maydan-deliver-gradebook": {"task": DELIVER_GRADEBOOK, "schedule": GRADEBOOK_RETRY_SECONDS},
    }


def add_schedule(settings):
    current = getattr(settings, "CELERYBEAT_SCHEDULE", None)
    if current is None:
        current = settings.CELERYBEAT_SCHEDULE = {}
    for name, entry in schedule().items():
        current.setdefault(name, entry)


def plugin_settings(settings):
    common_settings(settings)
    add_schedule(settings)


def production_plugin_settings(settings):
    production_settings(settings)
    # The operator's YAML may have replaced the whole schedule after the common settings ran.
    add_schedule(settings)
