"""In Chromium on a 360 px phone, in Arabic: the student opens the documents from their log and signs the hours certificate, and
anyone with the certificate's code opens the verification page; both fit the screen and pass axe-core."""
import pytest

from maydan.documents import services
from maydan.documents.models import Signature
from maydan.models import Placement

from .test_course_settings_phone import accessible, fits, phone  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def section_fits(page, selector=".maydan-documents"):
    """Every element of the documents section lies within the phone's width."""
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector + ', ' + selector + ' *')]
        .every(el => { const r = el.getBoundingClientRect(); return r.left >= -1 && r.right <= window.innerWidth + 1; })""",
                         selector)


def test_the_student_signs_and_the_code_verifies_on_a_phone(phone, site, shoot):  # noqa: F811
    phone.goto(f"{site}/sandbox/launch?person=student_1&course=field-training-1&lang=ar")
    phone.click(".maydan-documents-link button[type=submit]")
    phone.wait_for_selector(".maydan-documents")
    section = phone.inner_text(".maydan-documents")
    assert "شهادة ساعات التدريب الميداني" in section and "لم يوقَّع بعد." in section
    assert section_fits(phone)

    form = phone.locator('[data-document="certificate"] form:has(input[name=typed_name])')
    form.locator("input[name=agreed]").check()
    form.locator("input[name=typed_name]").fill("سارة عادل")
    form.locator("button[type=submit]").click()
    phone.wait_for_selector(".maydan-notice")
    assert "وقّعه سارة عادل" in phone.inner_text('[data-document="certificate"]')
    assert Signature.objects.get().typed_name == "سارة عادل"
    assert section_fits(phone) and accessible(phone) == []
    shoot(phone, "documents-360-ar-signed")
    phone.click(".maydan-back button[type=submit]")
    phone.wait_for_selector(".maydan-documents-link")  # back on the log

    placement = Placement.objects.get(student__subject="student_1")
    actor = type("Reader", (), {"course": placement.course, "person": None, "via": "test"})()
    code = services.issue(actor, services.current("certificate", placement)).code
    phone.goto(f"{site}/maydan/verify/{code}?lang=ar")
    assert phone.get_attribute("html", "dir") == "rtl"
    assert phone.locator('[data-verified="unchanged"]').count() == 1 and "سارة عادل" in phone.inner_text("main")
    assert fits(phone) and accessible(phone) == []
    shoot(phone, "documents-verify-360-ar")
