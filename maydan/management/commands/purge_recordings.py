"""Delete process recordings older than their course's retention period (run it daily, e.g. from cron).

Recordings are also purged whenever a list of them is read; this reaches courses nobody opens.
"""
from django.core.management.base import BaseCommand

from maydan.grading import recordings
from maydan.models import Course, ProcessRecording


class Command(BaseCommand):
    help = "Delete process recordings past their course's retention period, each deletion audited."

    def handle(self, *args, **options):
        courses = Course.objects.filter(pk__in=ProcessRecording.objects.values("placement__course"))
        deleted = sum(recordings.purge_expired(course) for course in courses)
        self.stdout.write(f"{deleted} recording(s) deleted")
