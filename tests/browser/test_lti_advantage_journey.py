"""In Chromium, in the sandbox's iframe as in an LMS: a teacher places an activity by deep linking,
a student opens it, and an administrator registers the tool by Dynamic Registration."""
import pytest

from lti_tool.models import Registration
from lti_tool.sandbox.models import SandboxLink

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_places_the_field_log_and_a_student_opens_it(page, site, shoot):
    page.goto(f"{site}/sandbox/?lang=en")
    page.check("input[name=person][value=instructor]")
    page.click("#sandbox-add-activity")
    frame = page.frame(name="sandbox-tool")
    frame.wait_for_selector("#maydan-deep-linking")
    assert frame.locator("input[name=activity][value=fieldlog]").is_checked()
    frame.click("#maydan-deep-linking button[type=submit]")
    frame.wait_for_selector("#sandbox-placed")  # the tool's signed answer, auto-posted back to the platform
    assert "Field training log" in frame.inner_text("#sandbox-placed")
    shoot(page, "lti-deep-linking-placed")
    link = SandboxLink.objects.get()

    page.goto(f"{site}/sandbox/?lang=en")
    assert "Field training log" in page.inner_text("#sandbox-links")
    page.check("input[name=person][value=student_1]")
    page.select_option("select[name=link]", str(link.pk))
    page.click("#sandbox-launch button[type=submit] >> nth=0")
    frame = page.frame(name="sandbox-tool")
    frame.wait_for_selector(".maydan[data-endpoint]")
    assert frame.locator("input[name=date]").count() == 1  # the student's own log, ready for an entry
    assert frame.locator("#maydan-supervisor-bar").count() == 0

    # The teacher's bar leaves the screen for the grade delivery page.
    page.check("input[name=person][value=instructor]")
    page.click("#sandbox-launch button[type=submit] >> nth=0")
    frame = page.frame(name="sandbox-tool")
    frame.wait_for_selector("#maydan-supervisor-bar")
    frame.click("#maydan-supervisor-bar summary")  # the course tools menu
    frame.click("#maydan-grade-delivery button")
    frame.wait_for_selector("h1")
    assert frame.inner_text("h1") == "Grades sent to the platform"


def test_an_administrator_registers_the_tool_by_dynamic_registration(page, site):
    page.goto(f"{site}/sandbox/?lang=en")
    page.click("a[href*='dynamic-registration']")
    frame = page.frame(name="sandbox-tool")
    frame.wait_for_selector("#maydan-registered")
    assert Registration.objects.exclude(client_id="maydan-sandbox").count() == 1
