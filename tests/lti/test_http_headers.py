"""What browsers are told: production's home page, the agency link never framed, cookies no other site sends."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.urls import reverse

from lti_tool import refusals
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


@pytest.mark.parametrize("debug", [False, True])
def test_data_posted_to_an_address_without_its_final_slash_is_not_found_and_a_get_still_redirects(db, settings,
                                                                                                  debug):
    """Django would redirect such a post, and the browser would follow with a GET that drops the data; with DEBUG on
    (the demo) it failed with a 500 instead."""
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)
    for address in ("/lti/app", "/maydan/agency/a-link-token", "/maydan/mail/preferences/a-token"):
        assert client.post(address, {"action": "view", "ctx": "x"}).status_code == 404, address
        assert client.put(address, "data").status_code == 404, address
    for read in (client.get, client.head):
        redirected = read("/maydan/agency/a-link-token")
        assert redirected.status_code == 301 and redirected["Location"] == "/maydan/agency/a-link-token/"


def test_an_unknown_address_answers_404_in_the_person_s_language(db):
    """Django's own page says "Not Found" in English only."""
    for address, headers, language in (("/no-such-page", {"Accept-Language": "ar"}, "ar"),
                                       ("/no-such-page", {"Accept-Language": "en"}, "en"),
                                       ("/lti/no-such-screen?lang=en", {"Accept-Language": "ar"}, "en"),
                                       ("/maydan/agency/a-token/more", {}, "ar")):
        response = Client(headers=headers).get(address)
        page = response.content.decode()
        assert response.status_code == 404, address
        with translation.override(language):
            assert escape(str(refusals.NOT_FOUND)) in page, (address, page[:300])
        assert (f'<html lang="{language}" dir="rtl"' if language == "ar" else '<html lang="en"') in page
    posted = Client().post("/lti/app", {"lang": "en", "ctx": "x"})
    assert posted.status_code == 404 and 'lang="en"' in posted.content.decode()
