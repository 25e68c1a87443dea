"""On a phone, in Arabic, an agency supervisor opens their link, returns one entry with a comment and
approves the rest of the week in one action.

Real Chromium at 390 px, the core page served by the live server; the entries and the link are made by
the core services a student and the academic supervisor use.
"""
from datetime import timedelta

import pytest

from maydan import fieldlog, people, roles
from maydan.fieldlog import links
from maydan.fieldlog.input import today_in
from maydan.models import AuditEvent, LogEntry
from tests.conftest import entry_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
COURSE = ("https://lms.example.edu", "field-training-2")


def act(page, selector):
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.click(selector)
    page.wait_for_selector(".maydan:not([aria-busy])")


def test_agency_supervisor_returns_one_entry_and_approves_a_week_on_a_phone_in_arabic(browser, site, shoot):
    student = people.enter(*COURSE, "s-mona", {roles.STUDENT}, course_title="تدريب ميداني ٢", name="منى سامي")
    academic = people.enter(*COURSE, "a-hoda", {roles.ACADEMIC}, name="د. هدى سمير")
    monday = today_in(student.course.time_zone) - timedelta(days=today_in(student.course.time_zone).weekday() + 7)
    week = [fieldlog.save_entry(student, entry_form(date=(monday + timedelta(days=d)).isoformat(),
                                                    agency="دار الأمل"), submit=True) for d in (0, 1, 3)]
    _link, token = links.issue(academic, week[0].placement_id, days=14, supervisor_name="أ. نادية فوزي")

    page = browser.new_context(locale="ar-EG", viewport={"width": 390, "height": 844}).new_page()
    page.goto(links.url_for(token) + "?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl"
    greeting = page.locator(".maydan-greeting").inner_text()
    assert "مرحبًا، أ. نادية فوزي" in greeting and "منى سامي" in greeting and "دار الأمل" in greeting
    assert "٣" in greeting or "3" in greeting  # three entries wait
    assert "صالح حتى" in greeting
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "agency-week-1-greeting-ar")

    returned = week[1]
    card = page.locator(f"#entry-{returned.pk}")
    card.locator("input[name=comment]").fill("أضف رمز العميل وما اتفقتما عليه.")
    act(page, f"#entry-{returned.pk} button[value=return]")
    assert LogEntry.objects.get(pk=returned.pk).status == "returned"
    shoot(page, "agency-week-2-returned-ar")

    act(page, "button[value=approve_week] >> nth=0")
    assert "اعتُمد قيدان." in page.locator(".maydan-notice").inner_text()
    assert [LogEntry.objects.get(pk=e.pk).status for e in week] == ["approved", "returned", "approved"]
    assert AuditEvent.objects.filter(action="approve").count() == 2
    assert AuditEvent.objects.get(action="return").comment == "أضف رمز العميل وما اتفقتما عليه."
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "agency-week-3-approved-ar")
