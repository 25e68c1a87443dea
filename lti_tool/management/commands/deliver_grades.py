"""Deliver queued grades to the platforms' line items (LTI AGS): once (the same task Celery beat schedules),
or as a worker loop."""
from django.core.management.base import BaseCommand

from lti_tool import ags, tasks


class Command(BaseCommand):
    help = "Send the grades waiting in the outbox to LTI platforms. --loop keeps running (a worker)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep delivering until stopped")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between rounds when idle")

    def handle(self, *args, loop=False, interval=2.0, **options):
        if loop:
            self.stdout.write("delivering grades; stop with Ctrl+C")
            try:
                ags.run_forever(interval=interval)
            except KeyboardInterrupt:
                pass
            return
        delivered, failed = tasks.deliver_grades()
        self.stdout.write(f"delivered {delivered}, failed {failed} (failed ones are retried later)")
