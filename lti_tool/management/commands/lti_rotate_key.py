from django.core.management.base import BaseCommand

from lti_tool.keys import add_tool_key
from lti_tool.models import ToolKey


class Command(BaseCommand):
    help = "Add a new tool signing key; with --retire, stop publishing every older key."

    def add_arguments(self, parser):
        parser.add_argument("--retire", action="store_true", help="deactivate all keys but the newest")

    def handle(self, *args, retire=False, **options):
        key = add_tool_key()
        if retire:
            ToolKey.objects.exclude(pk=key.pk).update(active=False)
        self.stdout.write(f"new signing key {key.kid}")
