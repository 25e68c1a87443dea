"""Delete readiness documents past their program's retention and remind students of documents about to
expire (scheduled daily by Celery beat; this command runs the same task in-process, e.g. from cron)."""
from django.core.management.base import BaseCommand

from maydan.tasks import readiness_upkeep


class Command(BaseCommand):
    help = "Delete readiness documents past retention (each deletion audited) and send expiry reminders."

    def handle(self, *args, **options):
        deleted, reminded = readiness_upkeep()
        self.stdout.write(f"{deleted} document(s) deleted, {reminded} reminder(s) written")
