"""On a 360 px phone, in Arabic, a student logs two activities of this week as drafts and submits the
week in one action: the keyboard fits each field, nothing scrolls sideways, axe-core finds nothing
serious, and both entries wait for the agency supervisor.

Real Chromium, a real LTI launch from the sandbox platform, the tool served by the live server.
"""
from datetime import timedelta

import pytest

from maydan.fieldlog.input import today_in
from maydan.models import LogEntry

from .test_course_settings_phone import accessible, fits, phone  # noqa: F401 (fixture)
from .test_field_log_journey import act, launch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log(page, day, start, end, activity, code, description):
    page.fill("input[name=date]", day)
    page.fill("input[name=start_time]", start)
    page.fill("input[name=end_time]", end)
    page.select_option("select[name=activity_type]", activity)
    page.fill("input[name=client_code]", code)
    page.fill("textarea[name=description]", description)
    act(page, "button[name=submit][value='0']")  # Save draft
    assert page.locator(".maydan-notice").is_visible()


def test_a_student_logs_and_submits_a_week_on_a_phone_in_arabic(phone, site, shoot):  # noqa: F811
    launch(phone, site, "student_1")
    assert phone.get_attribute("html", "dir") == "rtl" and fits(phone)
    # The phone opens the keyboard each field needs: a date picker, a time picker, text for codes.
    assert phone.get_attribute("input[name=date]", "type") == "date"
    assert phone.get_attribute("input[name=start_time]", "type") == "time"
    assert phone.get_attribute("input[name=end_time]", "type") == "time"

    today = today_in("Africa/Cairo")
    monday = today - timedelta(days=today.weekday())
    days = sorted({monday, today})  # two days of this week (one when today is Monday)
    _log(phone, days[0].isoformat(), "09:00", "11:00", "home_visit", "C-031", "زيارة منزلية لمتابعة خطة الأسرة.")
    _log(phone, days[-1].isoformat(), "13:00", "14:30", "supervision", "C-032", "اجتماع الحالة مع فريق المؤسسة.")
    assert sorted(LogEntry.objects.values_list("status", flat=True)) == ["draft", "draft"]
    assert fits(phone) and accessible(phone) == []
    shoot(phone, "student-week-1-drafts-360-ar")

    phone.fill("input[name=week]", monday.isoformat())
    act(phone, "button:has-text('إرسال الأسبوع')")
    assert sorted(LogEntry.objects.values_list("status", flat=True)) == ["submitted", "submitted"]
    assert phone.locator(".maydan-notice").is_visible()
    assert fits(phone) and accessible(phone) == []
    shoot(phone, "student-week-2-submitted-360-ar")
