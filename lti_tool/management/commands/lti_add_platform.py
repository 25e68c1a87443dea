"""Register an LTI 1.3 platform (e.g. a Moodle site) with the tool, or update its registration."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from lti_tool.models import Registration


class Command(BaseCommand):
    help = (
        "Register an LTI 1.3 platform. For Moodle: --issuer https://moodle.example.edu "
        "--client-id <Client ID> --auth-login-url https://moodle.example.edu/mod/lti/auth.php "
        "--auth-token-url https://moodle.example.edu/mod/lti/token.php "
        "--key-set-url https://moodle.example.edu/mod/lti/certs.php --deployment-id <Deployment ID>"
    )

    def add_arguments(self, parser):
        parser.add_argument("--issuer", required=True)
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--auth-login-url", required=True)
        parser.add_argument("--auth-token-url", default="")
        parser.add_argument("--key-set-url", required=True)
        parser.add_argument("--deployment-id", action="append", required=True, dest="deployment_ids")

    def handle(self, *args, **options):
        check = URLValidator(schemes=["https", "http"])
        for name in ("issuer", "auth_login_url", "auth_token_url", "key_set_url"):
            if options[name]:
                try:
                    check(options[name])
                except ValidationError:
                    raise CommandError(f"--{name.replace('_', '-')} must be a URL, got {options[name]!r}")
        row, created = Registration.objects.update_or_create(
            issuer=options["issuer"].rstrip("/"),
            client_id=options["client_id"],
            defaults={
                "auth_login_url": options["auth_login_url"],
                "auth_token_url": options["auth_token_url"],
                "key_set_url": options["key_set_url"],
                "key_set": None,
                "deployment_ids": sorted(set(options["deployment_ids"])),
            },
        )
        self.stdout.write(f"{'registered' if created else 'updated'}: {row} deployments {row.deployment_ids}")
