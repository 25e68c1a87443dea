"""Handing an agency link on, on a phone: Copy where the Clipboard API works, the read-only address
where it does not, an e-mail and a WhatsApp share link that carry it."""
from urllib.parse import parse_qs, urlparse

import pytest

from lti_tool import demo_setup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def issue_link(page, site):
    page.goto(f"{site}/sandbox/launch?person=instructor&course=field-training-1&lang=en")
    page.wait_for_selector(".maydan")
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.click("tr[data-placement] button[value=view] >> nth=0")
    page.wait_for_selector("input[name=name]")
    page.fill("input[name=name]", "Rami Fawzy")
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.click("form:has(input[name=action][value=issue_link]) button")
    page.wait_for_selector("#maydan-new-link")
    return page.input_value("#maydan-new-link")


def test_copy_button_puts_the_link_on_the_clipboard(browser, site):
    demo_setup.prepare()
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="en-GB")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = context.new_page()
    address = issue_link(page, site)
    assert address.startswith(site + "/maydan/agency/")
    page.click("button[data-copy=maydan-new-link]")
    page.wait_for_selector("[data-copied-for=maydan-new-link]:not([hidden])")
    assert page.evaluate("navigator.clipboard.readText()") == address
    mail = urlparse(page.get_attribute("a[href^='mailto:']", "href"))
    assert address in parse_qs(mail.query)["body"][0]
    share = urlparse(page.get_attribute("a[href^='https://wa.me/']", "href"))
    assert share.netloc == "wa.me" and address in parse_qs(share.query)["text"][0]
    context.close()


def test_without_the_clipboard_api_the_address_is_still_there_to_select(browser, site):
    """An older browser (or one that refuses the Clipboard API): no Copy button that cannot work; the
    read-only address can be selected and copied by hand. (The server writes the button hidden, so a
    page without JavaScript shows none either.)"""
    demo_setup.prepare()
    context = browser.new_context(viewport={"width": 360, "height": 800})
    context.add_init_script("Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined})")
    page = context.new_page()
    address = issue_link(page, site)
    assert address.startswith(site + "/maydan/agency/")
    assert page.get_attribute("#maydan-new-link", "readonly") is not None
    assert page.get_attribute("button[data-copy=maydan-new-link]", "hidden") is not None
    assert not page.is_visible("button[data-copy=maydan-new-link]")
    page.click("#maydan-new-link")
    page.keyboard.press("Control+A")
    assert page.evaluate("getSelection().toString() || document.activeElement.value") == address
    context.close()
