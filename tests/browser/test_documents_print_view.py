"""The portfolio's print view (the page the PDF is laid out from) in Chromium at 360, 390 and 1280 px, in Arabic
and English: no sideways scroll, no serious accessibility fault, each document a section of its own."""
from datetime import date

import pytest

from maydan import people, roles
from maydan.documents import render, services
from maydan.grading.models import ProcessRecording
from maydan.models import Placement

from .test_course_settings_phone import accessible, fits, phone  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def portfolio(db):
    student = people.enter("https://lms.example.edu", "print-view", "s1", {roles.STUDENT}, name="سارة عادل",
                           course_title="التدريب الميداني ١")
    placement = Placement.objects.get(student=student.person)
    placement.agency, placement.starts_on, placement.ends_on = "Hope Family Centre", date(2026, 2, 1), date(2026, 6, 30)
    placement.save()
    row = {"worker": "Good morning, what brings you here today? " * 3, "client": "ابني توقف عن الذهاب إلى المدرسة.",
           "thoughts": "https://example.org/a-very-long-address-without-any-space-" + "x" * 60, "skill": "سؤال مفتوح",
           "comment": "بداية جيدة؛ تمهلي قبل الطمأنة."}
    ProcessRecording.objects.create(placement=placement, date=date(2026, 3, 2), client_code="C-031",
                                    status=ProcessRecording.SUBMITTED, purpose="مقابلة أولى.", rows=[row] * 4)
    return services.issue(student, services.document_for(student, "portfolio"))


@pytest.mark.parametrize("width", [360, 390, 1280])
@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_portfolio_print_view_fits_and_reads(phone, portfolio, language, width, shoot):  # noqa: F811
    phone.set_viewport_size({"width": width, "height": 800})
    phone.set_content(render.html(portfolio, language, for_print_view=True))
    assert phone.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
    assert phone.locator("article.document").count() == 1 + len(portfolio.parts) == 4
    assert phone.locator("table.dialogue tbody tr").count() == 4
    assert fits(phone) and accessible(phone) == []
    shoot(phone, f"portfolio-print-view-{width}-{language}")
