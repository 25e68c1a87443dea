"""A launch's language: the platform's locale, then the course's chosen language, then the browser, then Arabic.

Open edX's LTI consumer sends no locale: those launches are signed here without one.
"""
import pytest
from django.test import Client

from .flow import CLAIM, claims, launch, resign, until_form
from .test_course_settings import save, staff_ctx

PRESENTATION = CLAIM + "launch_presentation"


def launch_without_locale(client, person="student_1", course="field-training-1", **headers):
    form = until_form(client, person=person, course=course)
    presentation = {k: v for k, v in claims(form["id_token"])[PRESENTATION].items() if k != "locale"}
    id_token = resign(form["id_token"], **{PRESENTATION: presentation})
    page = client.post(form["action"], {"id_token": id_token, "state": form["state"]}, **headers)
    assert page.status_code == 200, page.content.decode()
    return page.content.decode()


def set_course_language(language):
    client = Client()
    assert save(client, staff_ctx(client, lang="en"), language=language).status_code == 200


def is_arabic(page):
    return '<html lang="ar" dir="rtl">' in page and "سجل التدريب الميداني" in page


def is_english(page):
    return '<html lang="en" dir="ltr">' in page and "Field training log" in page


def test_a_course_set_to_arabic_renders_arabic_right_to_left_whatever_the_browser(sandbox):
    set_course_language("ar")
    assert is_arabic(launch_without_locale(Client(), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert is_arabic(launch_without_locale(Client(), person="instructor"))


def test_a_course_set_to_english_renders_english_for_an_arabic_browser(sandbox):
    set_course_language("en")
    assert is_english(launch_without_locale(Client(), HTTP_ACCEPT_LANGUAGE="ar-EG,ar;q=0.9"))


def test_with_no_course_setting_the_browser_decides(sandbox):
    set_course_language("")
    assert is_english(launch_without_locale(Client(), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8"))
    assert is_arabic(launch_without_locale(Client(), HTTP_ACCEPT_LANGUAGE="ar"))


def test_with_nothing_at_all_it_is_arabic(sandbox):
    assert is_arabic(launch_without_locale(Client()))
    # the first launch of a course does not choose its language for the next ones
    assert is_english(launch_without_locale(Client(), person="student_2", HTTP_ACCEPT_LANGUAGE="en"))


@pytest.mark.parametrize("course_language, locale, expected", [("ar", "en", is_english), ("en", "ar", is_arabic)])
def test_the_platforms_locale_comes_first(sandbox, course_language, locale, expected):
    set_course_language(course_language)
    assert expected(launch(Client(), lang=locale).content.decode())


def test_the_setting_of_one_course_does_not_speak_for_another(sandbox):
    set_course_language("ar")
    assert is_english(launch_without_locale(Client(), course="field-training-2", HTTP_ACCEPT_LANGUAGE="en"))
