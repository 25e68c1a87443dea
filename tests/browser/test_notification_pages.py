"""What a person opens from an e-mail, on a 360 px phone in Arabic and English: the e-mail itself, the
preferences page and the unsubscribe page, with no sideways scroll."""
import pytest

from maydan import fieldlog
from maydan.fieldlog import links
from maydan.models import Notification
from maydan.notify import mail, services
from tests.browser.test_course_settings_phone import accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_email_and_its_pages_fit_a_phone(browser, site, shoot, cohort, language):
    cohort.course.language = language
    cohort.course.save()
    placement = fieldlog.placement_for(cohort.student)
    links.issue(cohort.academic, placement.pk, email="rami.long.address.of.an.agency@agency-with-a-long-name.example")
    row = Notification.objects.get()
    message = mail.message([row])
    page = browser.new_context(viewport={"width": 360, "height": 780}).new_page()
    page.set_content(message.alternatives[0][0])
    assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
    assert no_sideways_scroll(page) and accessible(page) == []
    shoot(page, f"notification-email-{language}")

    page.goto(f"{site}/maydan/mail/preferences/{services.preferences_token(row.address)}/")
    assert page.get_attribute("html", "lang") == language and no_sideways_scroll(page)
    assert accessible(page) == []
    page.check('input[name="agency_digest"][value="weekly"]')
    page.click("button[type=submit]")
    page.wait_for_selector(".maydan-notice")
    assert services.cadence(row.address, "agency_digest") == "weekly"
    shoot(page, f"notification-preferences-{language}")

    page.goto(f"{site}/maydan/mail/unsubscribe/{services.unsubscribe_token(row.address, 'agency_digest')}/")
    assert no_sideways_scroll(page) and accessible(page) == []
    page.click("button[type=submit]")
    page.wait_for_selector(".maydan-notice")
    assert services.cadence(row.address, "agency_digest") == "never"
