"""The deep-linking picker in the sandbox's iframe, as in an LMS, on a phone in Arabic and English: a list of
cards (title in the teacher's language, kind, one line), chosen by a tap anywhere on a card or by the keyboard;
it fits 360 px with no serious axe violation.
"""
import pytest

from lti_tool import demo_setup

from .test_every_screen_on_phones import phone_walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_picker_cards_fit_a_phone_and_answer_taps_and_keys(browser, site, language):
    demo_setup.prepare()
    walk = phone_walk(browser, site, language)
    page = walk.page
    try:
        page.goto(f"{site}/sandbox/?lang={language}")
        page.check("input[name=person][value=instructor]")
        page.click("#sandbox-add-activity")
        frame = page.frame(name="sandbox-tool")
        frame.wait_for_selector("#maydan-deep-linking")
        cards = frame.locator(".maydan-picker-card")
        assert cards.count() >= 5
        log = frame.locator(".maydan-picker-card:has(input[value=fieldlog])")
        assert log.locator("label").inner_text() == ("سجل التدريب الميداني" if language == "ar" else "Field training log")
        chat = frame.locator(".maydan-picker-card:has(input[value='simulation:etherapy-chat'])")
        assert ("محاكاة حالة" if language == "ar" else "Case simulation") in chat.inner_text()
        # A tap on the card's description ticks its box; the keyboard's space does too.
        box = chat.locator("input")
        assert not box.is_checked()
        chat.locator(".maydan-picker-line").click(force=True)  # lands on the card, under the title's cover
        assert box.is_checked()
        box.focus()
        frame.page.keyboard.press("Space")
        assert not box.is_checked()
        # The picker measured on its own, as the iframe shows it.
        page.set_content(frame.content())
        page.wait_for_selector(".maydan-picker")
        walk.check("author-deep-linking-cards")
    finally:
        walk.context.close()
    assert walk.problems == [], "\n".join(walk.problems)
