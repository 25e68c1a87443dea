"""Placement matching on a 360 px phone in Chromium, in Arabic and English: the coordinator's screens
through a real LTI launch, the student's choices, and the agency's link page."""
import pytest
from django.test import Client

from lti_tool.sandbox.models import SandboxLink
from maydan import people, roles
from maydan.models import Course
from maydan.program import agency_links, services
from maydan.program.models import Offer
from tests.conftest import form
from tests.lti.flow import launch as lti_launch, place

from .test_course_settings_phone import accessible, fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TERM = "2026-fall"


WIDE = """Array.from(document.querySelectorAll('body *')).filter(e => {
  const r = e.getBoundingClientRect(); return r.right > window.innerWidth + 1 || r.left < -1;
}).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + (e.getAttribute('name') || '') + ' '
  + Math.round(e.getBoundingClientRect().width))"""


def seed(link):
    client = Client()
    for person in ("student_1", "student_2", "admin"):
        lti_launch(client, person=person, link=link.pk)
    course = Course.objects.get()
    coordinator = people.enter(course.issuer, course.context_id, "admin", {roles.COORDINATOR})
    hope = services.save_agency(coordinator, form(
        name="دار الأمل لرعاية الأسرة والطفولة في الجيزة", modality="hybrid", fields=["child_welfare", "refugees"],
        languages=["ar", "en"], agreement_starts="2026-01-01", agreement_ends="2026-12-31",
        contact_name="منى فتحي", contact_email="mona.fathy.long.address@hope-family-centre.example.org"))
    opening = services.coordinator_save_opening(coordinator, form(
        agency=hope.pk, term=TERM, title="حماية الطفل والإرشاد الأسري عن بعد", capacity=2, level="BSW",
        field="child_welfare", modality="remote", schedule="الأحد إلى الثلاثاء ٩–١٤",
        requirements="شهادة صحية وتعهد بالسرية وحضور التدريب التمهيدي"))
    for subject in ("student_1", "student_2"):
        student = people.enter(course.issuer, course.context_id, subject, {roles.STUDENT})
        services.save_preferences(student, TERM, [opening.pk], "أرغب في العمل مع الأطفال والأسر في المجتمع المحلي")
    services.run_matching(coordinator, TERM)
    services.send_offers(coordinator, TERM)
    _link, token = agency_links.issue(coordinator, hope.pk)
    return token


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_program_screens_fit_a_phone(browser, site, shoot, lang):
    client = Client()
    place(client, "program")
    link = SandboxLink.objects.get()
    token = seed(link)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ar-EG" if lang == "ar" else "en-GB")
    phone = context.new_page()
    phone.goto(f"{site}/sandbox/launch?person=admin&course=field-training-1&lang={lang}&link={link.pk}")
    phone.wait_for_selector("[data-agency]")
    assert phone.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    assert fits(phone), phone.evaluate(WIDE)
    assert accessible(phone) == []
    shoot(phone, f"program-agencies-360-{lang}")
    for view in ("openings", "matching"):
        phone.click(f"nav button[value={view}]")
        phone.wait_for_selector(f"nav button[value={view}][aria-current=page]")
        assert fits(phone), (view, phone.evaluate(WIDE))
        assert accessible(phone) == [], view
        shoot(phone, f"program-{view}-360-{lang}")

    phone.goto(f"{site}/sandbox/launch?person=student_1&course=field-training-1&lang={lang}&link={link.pk}")
    phone.wait_for_selector("select[name=rank1]")
    assert fits(phone), phone.evaluate(WIDE)
    assert accessible(phone) == []
    shoot(phone, f"program-student-360-{lang}")

    phone.goto(f"{site}/maydan/openings/{token}/?lang={lang}")
    phone.wait_for_selector("[data-offer]")
    assert fits(phone), phone.evaluate(WIDE)
    assert accessible(phone) == []
    shoot(phone, f"program-agency-360-{lang}")
    phone.locator("[data-offer] input[name=supervisor_name]").first.fill("Rami")
    phone.locator("[data-offer] button[value=accept]").first.click()
    phone.wait_for_selector(".maydan-notice")
    assert Offer.objects.filter(status="accepted").count() == 1
    context.close()
