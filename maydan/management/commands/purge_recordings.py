"""Delete process recordings older than their course's retention period (scheduled daily by Celery beat;
this command runs the same task in-process, e.g. from cron).

Recordings are also purged whenever a list of them is read; this reaches courses nobody opens.
"""
from django.core.management.base import BaseCommand

from maydan.tasks import purge_recordings


class Command(BaseCommand):
    help = "Delete process recordings past their course's retention period, each deletion audited."

    def handle(self, *args, **options):
        self.stdout.write(f"{purge_recordings()} recording(s) deleted")
