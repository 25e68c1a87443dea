"""An administrator registers a Moodle site from the command line."""
import pytest
from django.core.management import CommandError, call_command

from lti_tool.models import Registration

MOODLE = "https://moodle.example.edu"
ARGS = ["--issuer", MOODLE, "--client-id", "AbC123", "--auth-login-url", MOODLE + "/mod/lti/auth.php",
        "--auth-token-url", MOODLE + "/mod/lti/token.php", "--key-set-url", MOODLE + "/mod/lti/certs.php"]


def test_register_then_update_a_moodle_site(db):
    call_command("lti_add_platform", *ARGS, "--deployment-id", "1")
    call_command("lti_add_platform", *ARGS, "--deployment-id", "1", "--deployment-id", "2")
    row = Registration.objects.get()
    assert (row.issuer, row.client_id, row.deployment_ids) == (MOODLE, "AbC123", ["1", "2"])
    assert row.key_set_url.endswith("/mod/lti/certs.php")


def test_a_bad_url_is_refused_and_nothing_is_written(db):
    bad = [a if a != MOODLE + "/mod/lti/certs.php" else "certs.php" for a in ARGS]
    with pytest.raises(CommandError, match="key-set-url"):
        call_command("lti_add_platform", *bad, "--deployment-id", "1")
    assert not Registration.objects.exists()


def test_the_maydan_command_has_an_lti_add_platform_alias(db, capsys):
    from lti_tool import cli

    cli.main(["lti", "add-platform", *ARGS, "--deployment-id", "7"])
    assert Registration.objects.get().deployment_ids == ["7"]
    assert "registered" in capsys.readouterr().out
