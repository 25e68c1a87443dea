"""What browsers are told: production's home page, the agency link never framed, cookies no other site sends."""
import os
import subprocess
import sys
from pathlib import Path

from django.test import Client
from django.urls import reverse

from maydan.fieldlog import links
from maydan.models import Placement

from .flow import post, until_form

ROOT = Path(__file__).resolve().parents[2]


def _production(tmp_path, probe):
    env = dict(os.environ, DJANGO_DEBUG="0", SECRET_KEY="k" * 60 + "-production-secret", ALLOWED_HOSTS="testserver",
               MAYDAN_VAR=str(tmp_path), DJANGO_SETTINGS_MODULE="lti_tool.settings")
    for name in ("DATABASE_URL", "REDIS_URL", "MAYDAN_CACHE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    code = "import django; django.setup()\nfrom django.conf import settings\nfrom django.test import Client\n" + probe
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)


def test_the_production_home_page_answers_in_both_languages_without_the_demo_sites(tmp_path):
    result = _production(tmp_path, (
        "for lang in ('ar', 'en'):\n"
        "    r = Client().get('/?lang=' + lang, secure=True)\n"
        "    body = r.content.decode()\n"
        "    print(r.status_code, 'sandbox' in body, 'workbench' in body, '/lti/launch' in body)\n"))
    assert result.stdout.splitlines() == ["200 False False True"] * 2, result.stdout + result.stderr


def test_django_cookies_are_same_site_lax_in_production(tmp_path):
    result = _production(tmp_path, "print(settings.SESSION_COOKIE_SAMESITE, settings.CSRF_COOKIE_SAMESITE,"
                                   " settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)")
    assert result.stdout.strip() == "Lax Lax True True", result.stdout + result.stderr


def test_the_agency_link_page_refuses_to_be_framed_open_or_refused(cohort):
    placement = Placement.objects.get(course=cohort.course, student=cohort.student.person)
    _link, token = links.issue(cohort.academic, placement.pk)
    pages = [Client().get(reverse("maydan:agency-link", args=[token])),
             Client().post(reverse("maydan:agency-link", args=[token]), {"action": "view"}),
             Client().get(reverse("maydan:agency-link", args=["not-a-token"]))]
    assert [p.status_code for p in pages][0] == 200 and pages[2].status_code >= 400
    for page in pages:
        assert page["X-Frame-Options"] == "DENY"
        assert page["Content-Security-Policy"] == "frame-ancestors 'none'"


def test_the_launched_screens_still_open_inside_a_platform_frame():
    """Only the agency page is never framed: the LTI login and launch live in the platform's iframe."""
    response = Client().post(reverse("lti:login"), {"target_link_uri": "https://elsewhere.example/"})
    assert "X-Frame-Options" not in response and "Content-Security-Policy" not in response


# The LTI tool's own requests go without Django's session, locale, authentication and messages middleware
# (lti_tool/middleware.py); everywhere else they hold as Django's.

def test_a_launch_answers_with_its_state_cookie_only_and_no_session_or_csrf_cookie(sandbox):
    client = Client(headers={"Accept-Language": "ar"})
    form = until_form(client, lang="en")
    response = post(client, form)
    assert response.status_code == 200
    assert not {"sessionid", "csrftoken", "messages"} & set(response.cookies), response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert '<html lang="en"' in response.content.decode()  # the launch's language, not the browser's


def test_the_admin_still_refuses_a_post_without_its_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "someone", "password": "anything"})
    assert response.status_code == 403


def test_the_admin_still_keeps_its_session_and_speaks_the_browsers_language(db, django_user_model):
    django_user_model.objects.create_superuser("coordinator", "c@example.org", "a long passphrase")
    for language, words in (("en", '<html lang="en"'), ("ar", '<html lang="ar" dir="rtl"')):
        assert words in Client(headers={"Accept-Language": language}).get("/admin/login/").content.decode()
    client = Client(enforce_csrf_checks=True)
    page = client.get("/admin/login/")
    token = page.cookies["csrftoken"].value
    signed_in = client.post("/admin/login/?next=/admin/", {"username": "coordinator", "password": "a long passphrase",
                                                          "csrfmiddlewaretoken": token})
    assert signed_in.status_code == 302 and "sessionid" in signed_in.cookies
    assert client.get("/admin/").status_code == 200
