from django.core.management.base import BaseCommand

from lti_tool.sandbox import ensure_sandbox_registration


class Command(BaseCommand):
    help = "Register the built-in sandbox LTI platform with the tool (idempotent)."

    def handle(self, *args, **options):
        row = ensure_sandbox_registration()
        self.stdout.write(f"sandbox platform registered: {row}")
