"""In Chromium on a 360 px phone, in Arabic: the academic supervisor opens the course settings from the bar,
is told beside the field what is wrong, corrects it and saves; the student's log follows."""
import pytest

from maydan.models import AuditEvent, Course

from .test_course_in_arabic import assert_arabic_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ar-EG", device_scale_factor=2)
    page = context.new_page()
    yield page
    context.close()


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def accessible(page):
    """No serious or critical axe-core violation on the page (the list of those found otherwise)."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in found if v["impact"] in ("serious", "critical")]


def test_the_supervisor_sets_the_course_on_a_phone_in_arabic(phone, site, shoot):
    phone.goto(f"{site}/sandbox/launch?person=instructor&course=field-training-1&lang=ar")
    phone.wait_for_selector("#maydan-supervisor-bar")
    phone.click("#maydan-course-settings button")
    phone.wait_for_selector("#maydan-settings-form")
    assert_arabic_page(phone)
    assert fits(phone)

    phone.fill("#target_hours", "250")
    phone.fill("#time_zone", "Mars/Olympus")
    phone.select_option("#digits", "arab")
    phone.uncheck("input[name=forms_in_use][value=midterm]")
    phone.click("#maydan-settings-form button[type=submit]")
    phone.wait_for_selector("#err-time_zone")
    assert phone.get_attribute("#time_zone", "aria-invalid") == "true"
    assert "المنطقة الزمنية" in phone.inner_text("#err-time_zone") or "Mars/Olympus" in phone.inner_text("#err-time_zone")
    assert phone.input_value("#target_hours") == "250"  # what was typed is kept
    assert Course.objects.get().target_hours is None and fits(phone)
    assert accessible(phone) == []
    shoot(phone, "lti-course-settings-360-ar-error")

    phone.fill("#time_zone", "Africa/Cairo")
    phone.click("#maydan-settings-form button[type=submit]")
    phone.wait_for_selector(".maydan-notice")
    assert "حُفظت الإعدادات" in phone.inner_text(".maydan-notice") and fits(phone)
    course = Course.objects.get()
    assert (course.target_hours, course.digits) == (250, "arab")
    assert AuditEvent.objects.filter(action="course_settings").count() == 1
    shoot(phone, "lti-course-settings-360-ar-saved")

    phone.goto(f"{site}/sandbox/launch?person=student_1&course=field-training-1&lang=en")
    phone.wait_for_selector(".maydan[data-endpoint]")
    assert "0 of 250 hours approved" in phone.inner_text("body")


def test_the_scenario_page_fits_a_phone_in_arabic(phone, site, shoot):
    phone.goto(f"{site}/sandbox/launch?person=instructor&course=field-training-1&lang=ar")
    phone.click("#maydan-course-scenarios button")
    phone.wait_for_selector("#maydan-scenario-form")
    phone.fill("#scenario-source", "id: [unclosed")
    phone.click("#maydan-scenario-form button[value=check]")
    phone.wait_for_selector("#err-scenario")
    assert_arabic_page(phone)
    assert fits(phone) and accessible(phone) == []
    shoot(phone, "lti-scenarios-360-ar-error")


def test_both_pages_fit_a_phone_in_english(phone, site, shoot):
    for button, form in (("#maydan-course-settings", "#maydan-settings-form"),
                         ("#maydan-course-scenarios", "#maydan-scenario-form")):
        phone.goto(f"{site}/sandbox/launch?person=admin&course=field-training-1&lang=en")
        phone.click(f"{button} button")
        phone.wait_for_selector(form)
        assert phone.get_attribute("html", "dir") == "ltr" and fits(phone) and accessible(phone) == []
    shoot(phone, "lti-scenarios-360-en")
