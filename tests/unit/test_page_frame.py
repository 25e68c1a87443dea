"""The page around every launched screen and the staff's tools bar above it, written in Python (maydan.page_frame,
lti_tool.supervisor_bar): the same HTML their templates drew (tests/fixtures/page_frame holds them as they were),
words in the reader's language, and nothing of a launch (its token) kept from one answer to the next."""
from itertools import product
from pathlib import Path

import pytest
from django.template import Context, Engine
from django.test import RequestFactory
from django.urls import clear_script_prefix, set_script_prefix
from django.utils import translation
from django.utils.safestring import mark_safe

from lti_tool import supervisor_bar
from lti_tool.service_views import supervisor_bar as bar_for
from maydan import page_frame, pages, ui
from maydan.models import Course

REFERENCE = Engine(dirs=[str(Path(__file__).resolve().parent.parent / "fixtures" / "page_frame")],
                   libraries={"i18n": "django.templatetags.i18n", "static": "django.templatetags.static"})
TOKENS = ['tok"en<&>', "eyJwIjoxfQ:1tX9Zk:abc-_{0}{token}", ""]


def reference(name, **values):
    return REFERENCE.get_template(name).render(Context(values))


def screen(actor, language, activity="fieldlog", endpoint="/act?a=1&b=2"):
    return ui.Screen(actor=actor, language=language, activity=activity, endpoint=endpoint)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_page_is_the_page_the_template_drew(cohort, language):
    inner = mark_safe('<p class="x">Sara &amp; <b>Omar</b> «مرحبا» {0} {title}</p>\n')
    for actor, endpoint, title in product(
            (cohort.student, cohort.academic), ("/act?a=1&b=2", '/lti/act?"x"<y>'),
            ("Field training log", 'Case: "Rent" & <arrears> {0}', "سجل التدريب الميداني", mark_safe("<i>ok</i>"))):
        shown = screen(actor, language, endpoint=endpoint)
        assert page_frame.page(shown, inner, title) == reference(
            "maydan/page.html", screen=shown, inner=inner, title=title)


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("activity", ["fieldlog", "no-such-activity"])
def test_a_launched_page_is_titled_in_the_reader_s_language(cohort, language, activity):
    shown = screen(cohort.student, language, activity=activity)
    inner = mark_safe("<p>screen</p>")
    with translation.override(language):
        title = translation.gettext("Field training log")
    page = pages.screen_response(RequestFactory().get("/"), shown, inner).content.decode()
    assert page == reference("maydan/page.html", screen=shown, inner=inner, title=title)
    assert (f"<title>{title}</title>" in page and f'<html lang="{language}" dir="{ui.direction(language)}">' in page)
    assert ("سجل" in title) == (language == "ar")


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_bar_is_the_bar_the_template_drew(language):
    for supervise, configure, author in product((False, True), repeat=3):
        may = {"supervise": supervise, "configure": configure, "author": author}
        for token in TOKENS:
            with translation.override(language):
                drawn = reference("lti_tool/supervisor_bar.html", token=token, language=language, **may)
            assert supervisor_bar.draw(token, language, may) == drawn


def test_the_bar_follows_the_address_prefix_and_the_language():
    may = dict.fromkeys(("supervise", "configure", "author"), True)
    english = supervisor_bar.draw("t", "en", may)
    arabic = supervisor_bar.draw("t", "ar", may)
    assert "Course tools" in english and "Course tools" not in arabic and 'value="ar"' in arabic
    set_script_prefix("/tool/")
    try:
        prefixed = supervisor_bar.draw("t", "en", may)
        with translation.override("en"):
            assert prefixed == reference("lti_tool/supervisor_bar.html", token="t", language="en", **may)
        assert 'action="/tool/' in prefixed
    finally:
        clear_script_prefix()
    assert supervisor_bar.draw("t", "en", may) == english


def test_each_role_sees_the_tools_it_may_open_and_no_token_is_kept(cohort):
    Course.objects.filter(pk=cohort.course.pk).update(digits="arab")
    assert bar_for("secret-token-1", "en", cohort.student) == ""
    academic = bar_for("secret-token-2", "en", cohort.academic)
    coordinator = bar_for("secret-token-3", "ar", cohort.coordinator)
    assert 'id="maydan-cohort-dashboard"' in academic and 'value="secret-token-2"' in academic
    assert 'id="maydan-course-settings"' in coordinator and 'value="secret-token-3"' in coordinator
    assert "secret-token" not in repr(supervisor_bar.KEPT)


def test_the_page_follows_the_static_files_settings(cohort, settings):
    shown = screen(cohort.student, "en")
    inner = mark_safe("<p>x</p>")
    assert 'href="/static/maydan/maydan.css"' in page_frame.page(shown, inner, "T")
    settings.STATIC_URL = "https://cdn.example.org/s/"
    moved = page_frame.page(shown, inner, "T")
    assert moved == reference("maydan/page.html", screen=shown, inner=inner, title="T")
    assert 'src="https://cdn.example.org/s/maydan/maydan.js"' in moved
