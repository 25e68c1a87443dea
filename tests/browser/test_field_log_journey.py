"""A student logs an entry in Arabic, the agency supervisor approves it through a link, the bar moves.

Real Chromium, real LTI launches from the sandbox platform, the tool served by the live server.
"""
from datetime import timedelta

import pytest

from maydan.fieldlog.input import today_in
from maydan.models import LogEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def launch(page, site, person, lang="ar"):
    page.goto(f"{site}/sandbox/launch?person={person}&course=field-training-1&lang={lang}")
    page.wait_for_selector(".maydan[data-endpoint]")


def act(page, selector):
    """Click a button that posts the screen's form and wait for the new screen."""
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.click(selector)
    page.wait_for_selector(".maydan:not([aria-busy])")


def test_arabic_entry_approved_through_agency_link(browser, site, shoot):
    student = browser.new_context(locale="ar-EG", viewport={"width": 1200, "height": 900}).new_page()
    launch(student, site, "student_1")
    assert student.get_attribute("html", "dir") == "rtl"
    assert float(student.locator(".maydan-bar").first.get_attribute("aria-valuenow")) == 0

    day = (today_in("Africa/Cairo") - timedelta(days=1)).isoformat()
    student.fill("input[name=date]", day)
    student.fill("input[name=start_time]", "09:00")
    student.fill("input[name=end_time]", "12:00")
    student.select_option("select[name=activity_type]", "home_visit")
    student.fill("input[name=client_code]", "C-021")
    student.fill("textarea[name=description]", "زيارة منزلية للأسرة C-021 لمراجعة خطة الأمان.")
    student.fill("textarea[name=reflection]", "اتصلت بالأم على الرقم ٠١٠١٢٣٤٥٦٧٨ لتأكيد الموعد.")
    act(student, "button[name=submit][value='1']")

    # The privacy guard refuses the phone number, in Arabic, and keeps everything typed.
    error = student.locator("#err-reflection")
    assert "رقم هاتف" in error.inner_text() and "٠١٠١٢٣٤٥٦٧٨" in error.inner_text()
    assert student.input_value("textarea[name=description]").startswith("زيارة منزلية")
    assert not LogEntry.objects.exists()
    shoot(student, "1-student-privacy-guard-ar")

    student.fill("textarea[name=reflection]", "اتصلت بالأم هاتفيًا لتأكيد الموعد، وبدأت بالتعاقد قبل الأسئلة.")
    act(student, "button[name=submit][value='1']")
    assert student.locator(".maydan-notice").is_visible()
    assert LogEntry.objects.get().status == "submitted"
    shoot(student, "2-student-submitted-ar")

    supervisor = browser.new_context(locale="ar-EG", viewport={"width": 1200, "height": 900}).new_page()
    launch(supervisor, site, "instructor")
    placement = LogEntry.objects.get().placement_id
    act(supervisor, f"tr[data-placement='{placement}'] button[value=view]")
    supervisor.fill("input[name=name]", "أ. رامي فوزي")
    act(supervisor, "form:has(input[name=action][value=issue_link]) button")
    link = supervisor.input_value(".maydan-new-link input")
    assert link.startswith(site + "/maydan/agency/")
    shoot(supervisor, "3-academic-supervisor-link-ar")

    agency = browser.new_context(locale="ar-EG", viewport={"width": 1200, "height": 900}).new_page()
    agency.goto(link)
    assert agency.get_attribute("html", "dir") == "rtl"
    agency.fill("input[name=comment]", "تمت الزيارة كما هو مسجل.")
    act(agency, "button[name=action][value=approve]")
    assert LogEntry.objects.get().status == "approved"
    shoot(agency, "4-agency-supervisor-approved-ar")

    launch(student, site, "student_1")
    bar = student.locator(".maydan-bar").first
    assert float(bar.get_attribute("aria-valuenow")) == 0.8  # 3 h of the BSW 400 h
    assert student.get_attribute(".maydan-bar-caption", "data-approved-hours") == "3.0"
    shoot(student, "5-student-progress-ar")
