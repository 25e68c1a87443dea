"""Every sub-screen has a way back, on a phone in Arabic and English: from the field log, the course tools menu
opens the grades sent to the platform and the cohort dashboard; each has "Back to the activity" at its top,
which returns to the field log. The header names the person and their role; the open tab is marked current.
"""
import pytest

from lti_tool import demo_setup

from .test_every_screen_on_phones import _links, phone_walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_grades_and_dashboard_lead_back_to_the_activity(browser, site, language):
    demo_setup.prepare()
    links = _links()
    walk = phone_walk(browser, site, language)
    page = walk.page
    role = "المشرف الأكاديمي" if language == "ar" else "Academic supervisor"
    try:
        for tool, name in (("#maydan-grade-delivery", "grades"), ("#maydan-cohort-dashboard", "dashboard")):
            walk.launch("instructor", links["fieldlog"])
            before = page.inner_text(".maydan-header h2")
            who = page.inner_text(".maydan-header .maydan-who")
            assert "Dr. Hoda Samir" in who and role in who
            page.click("#maydan-supervisor-bar summary")
            page.click(f"{tool} button")
            page.wait_for_selector("form.maydan-back button")
            walk.check(f"supervisor-{name}-with-back")
            # The way back comes before the page's own content, where a thumb finds it first.
            first = page.evaluate("document.querySelector('form.maydan-back').compareDocumentPosition("
                                  "document.querySelector('h1, .maydan-header')) & Node.DOCUMENT_POSITION_FOLLOWING")
            assert first
            if name == "dashboard":
                assert page.get_attribute("nav.maydan-tabs [aria-current=page]", "value") == "home"
            with page.expect_navigation():
                page.click("form.maydan-back button")
            page.wait_for_selector(".maydan-header")
            assert page.inner_text(".maydan-header h2") == before  # the field log, as it was left
    finally:
        walk.context.close()
    assert walk.problems == [], "\n".join(walk.problems)
