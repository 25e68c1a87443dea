"""A supervisor imports a Zoom invitation file in Arabic in the workbench and cancels its next meeting; a student
sees the session and the calendar address.

Real Chromium, the workbench served by the live server, CSRF enforced as in the LMS.
"""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from maydan.sessions.models import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
INVITE = Path(__file__).parent.parent / "fixtures" / "sessions" / "zoom_invite.ics"
SCENARIO = "/workbench/scenario/maydan_sessions.0/"


def test_invitation_file_imported_then_seen_by_a_student(browser, site, shoot):
    hoda = browser.new_context(locale="ar-EG", viewport={"width": 1200, "height": 900}).new_page()
    hoda.goto(f"{site}{SCENARIO}?student=academic_1")
    hoda.wait_for_selector(".maydan[data-endpoint]")
    assert hoda.get_attribute(".maydan", "dir") == "rtl"
    next_term = INVITE.read_bytes().replace(b"2026", b"2030")
    hoda.set_input_files("input[data-text-into=ics]",
                         {"name": "invite.ics", "mimeType": "text/calendar", "buffer": next_term})
    hoda.wait_for_function("document.querySelector('textarea[name=ics]').value.includes('BEGIN:VCALENDAR')")
    with hoda.expect_response(lambda r: r.request.method == "POST"):
        hoda.click("form:has(input[name=action][value=import_ics]) button.maydan-primary")
    hoda.wait_for_selector(".maydan-notice")
    assert Session.objects.get().passcode == "492817"
    shoot(hoda, "sessions-1-supervisor-imported-ar")
    first = hoda.get_attribute(".maydan-session input[name=meeting]", "value")
    with hoda.expect_response(lambda r: r.request.method == "POST"):
        hoda.click(".maydan-session button[value=cancel_meeting]")  # only the next meeting
    # The import's notice is still on the page until the new one replaces it: wait for the new words.
    expect(hoda.locator(".maydan-notice")).to_contain_text("أُلغي موعد")
    assert Session.objects.get().exceptions == {first: None}
    assert hoda.get_attribute(".maydan-session input[name=meeting]", "value") > first  # the next one now
    shoot(hoda, "sessions-1b-supervisor-cancelled-one-meeting-ar")

    sara = browser.new_context(locale="ar-EG", viewport={"width": 1200, "height": 900}).new_page()
    sara.goto(f"{site}{SCENARIO}?student=student_1")
    sara.wait_for_selector(".maydan-session")
    join = sara.locator("a.maydan-join").first
    assert join.get_attribute("href").startswith("https://us06web.zoom.us/j/84512345678")
    feed = sara.input_value(".maydan-feed-url")
    assert feed.startswith("webcal://") and "/maydan/feed/" in feed
    assert "import_ics" not in sara.content()
    shoot(sara, "sessions-2-student-upcoming-ar")
