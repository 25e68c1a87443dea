"""On a 360 px phone, in Arabic and English, a student saves two drafts, corrects one, submits it and withdraws the
other: each answer shows the entry as it now is, and leaves every other entry exactly as it was drawn before (the
log keeps drawn entries and draws again only those that changed). Through the LTI tool with JavaScript and
without (the forms post and the page answers), and through the XBlock in the workbench.

Real Chromium, a real LTI launch from the sandbox platform, the tool served by the live server.
"""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from maydan.fieldlog.input import today_in
from maydan.models import LogEntry

from .test_course_settings_phone import accessible, fits
from .test_field_log_journey import act

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WORDS = {"ar": ("زيارة منزلية للأسرة.", "زيارة منزلية للأسرة، بعد التصحيح.", "اجتماع الحالة مع الفريق."),
         "en": ("Home visit to the family.", "Home visit to the family, corrected.", "Case meeting with the team.")}


def phone(browser, language, javascript=True):
    return browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                               locale="ar-EG" if language == "ar" else "en-GB", java_script_enabled=javascript)


def post_without_script(page, selector):
    """Without JavaScript a button posts its form and the browser loads the answer as a new page."""
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_selector(".maydan")


def drawn(page, entry):
    return page.locator(f"#entry-{entry.pk}").evaluate("card => card.outerHTML")


def save_draft(page, post, day, code, description):
    page.fill("input[name=date]", day)
    page.fill("input[name=start_time]", "09:00")
    page.fill("input[name=end_time]", "10:30")
    page.select_option("select[name=activity_type]", "home_visit")
    page.fill("input[name=client_code]", code)
    page.fill("textarea[name=description]", description)
    post(page, "button[name=submit][value='0']")
    return LogEntry.objects.get(client_code=code)


def correct_submit_withdraw(page, post, language):
    """The student's three actions on their log; after each, the changed entry and only it is new."""
    first_words, corrected, second_words = WORDS[language]
    yesterday = today_in("Africa/Cairo") - timedelta(days=1)
    first = save_draft(page, post, (yesterday - timedelta(days=1)).isoformat(), "C-041", first_words)
    second = save_draft(page, post, yesterday.isoformat(), "C-042", second_words)
    untouched = drawn(page, second)

    post(page, f"#entry-{first.pk} button[name=action][value=view]")  # Edit: the form holds the entry
    assert page.input_value("textarea[name=description]") == first_words
    page.fill("textarea[name=description]", corrected)
    post(page, "button[name=submit][value='0']")
    expect(page.locator(f"#entry-{first.pk}")).to_contain_text(corrected)
    assert drawn(page, second) == untouched

    post(page, f"#entry-{first.pk} button[name=action][value=submit]")
    expect(page.locator(f"#entry-{first.pk}")).to_have_class(re.compile("maydan-status-submitted"))
    assert page.locator(f"#entry-{first.pk} .maydan-history li").count() == 3  # created, edited, submitted
    assert drawn(page, second) == untouched

    post(page, f"#entry-{second.pk} button[name=action][value=withdraw]")
    expect(page.locator(f"#entry-{second.pk}")).to_have_class(re.compile("maydan-status-withdrawn"))
    assert page.locator(f"#entry-{second.pk} button").count() == 0
    assert dict(LogEntry.objects.values_list("client_code", "status")) == {"C-041": "submitted", "C-042": "withdrawn"}
    assert fits(page)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_log_answers_each_action_with_the_entry_it_changed_through_lti(browser, site, shoot, language):
    context = phone(browser, language)
    page = context.new_page()
    page.goto(f"{site}/sandbox/launch?person=student_1&course=field-training-1&lang={language}")
    page.wait_for_selector(".maydan[data-endpoint]")
    assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
    correct_submit_withdraw(page, act, language)
    assert accessible(page) == []
    shoot(page, f"log-answers-lti-360-{language}")
    context.close()


@pytest.mark.parametrize("language", ["ar", "en"])
def test_without_javascript_each_answer_is_a_whole_page_with_the_same_entries(browser, site, shoot, language):
    context = phone(browser, language, javascript=False)
    page = context.new_page()
    page.goto(f"{site}/sandbox/launch?person=student_1&course=field-training-1&lang={language}")
    while not page.locator(".maydan").count():  # each hop of the launch waits for its Continue button
        with page.expect_navigation():
            page.click("button[type=submit]")
    correct_submit_withdraw(page, post_without_script, language)
    shoot(page, f"log-answers-no-script-360-{language}")
    context.close()


@pytest.mark.parametrize("language, person", [("ar", "student_1"), ("en", "student_en")])
def test_the_xblock_answers_each_action_with_the_entry_it_changed(browser, site, shoot, language, person):
    context = phone(browser, language)
    page = context.new_page()
    page.goto(f"{site}/workbench/scenario/maydan_fieldlog.0/?student={person}")
    page.wait_for_selector(".maydan form")
    correct_submit_withdraw(page, act, language)
    shoot(page, f"log-answers-xblock-360-{language}")
    context.close()
