"""The field coordinator opens the cohort dashboard in Arabic in Chromium, through a real LTI launch."""
from datetime import datetime, time, timedelta, timezone as tz

import pytest
from django.test import Client

from lti_tool.sandbox.models import SandboxLink
from maydan import vocab
from maydan.cohort.dashboard import today_in
from maydan.models import Agency, LogEntry, Placement
from tests.lti.flow import launch as lti_launch, place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_dashboard_in_arabic(browser, site, shoot):
    client = Client()
    place(client, "cohort")
    link = SandboxLink.objects.get()
    for person in ("student_1", "student_2"):
        lti_launch(client, person=person, link=link.pk)
    course = Placement.objects.first().course
    today = today_in(course)
    hope = Agency.objects.create(course=course, name="دار الأمل لرعاية الأسرة", kind="جمعية أهلية")
    hospital = Agency.objects.create(course=course, name="مستشفى القصر العيني", kind="مستشفى")
    for placement, agency, daily in zip(Placement.objects.order_by("student__subject"), (hope, hospital), (13, 5)):
        placement.host_agency, placement.agency = agency, agency.name
        placement.starts_on, placement.ends_on, placement.target_hours = today - timedelta(days=30), \
            today + timedelta(days=60), 400
        placement.save()
        for offset in range(1, 11):
            day = today - timedelta(days=offset)
            LogEntry.objects.create(
                placement=placement, date=day, minutes=daily * 60, activity_type=list(vocab.ACTIVITY_TYPES)[offset % 8],
                modality="in_person", time_kind="direct", competencies=[1 + offset % 9, 6],
                status=vocab.SUBMITTED if offset > 8 else vocab.APPROVED,
                submitted_at=datetime.combine(day, time(18), tz.utc))

    page = browser.new_context(locale="ar-EG", viewport={"width": 1280, "height": 1000}).new_page()
    page.goto(f"{site}/sandbox/launch?person=admin&course=field-training-1&lang=ar&link={link.pk}")
    page.wait_for_selector(".maydan-cohort")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.locator("h2").first.inner_text() == "لوحة متابعة الدفعة"
    rows = page.locator("tr[data-placement]")
    assert rows.count() == 2
    sara = page.locator("tr[data-placement]", has_text="Sara Adel")
    assert sara.locator('[data-alert="bunched_day"]').is_visible() and sara.locator('[data-alert="overdue"]').count() == 1
    assert page.locator("svg.maydan-chart").count() == 2
    # The bars start on the right in Arabic: the approved part's right edge is the bar's right edge.
    bar = sara.locator(".maydan-bar").bounding_box()
    approved = sara.locator(".maydan-bar-approved").bounding_box()
    assert abs((bar["x"] + bar["width"]) - (approved["x"] + approved["width"])) < 3 and approved["width"] > 0
    shoot(page, "cohort-dashboard-ar")

    # The accreditation evidence, in the same frame, printable.
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.click("nav.maydan-tabs button[value=evidence]")
    page.wait_for_selector(".maydan-evidence")
    assert page.locator("section.maydan-evidence-student").count() == 2
    assert page.locator('[data-flag="no_simulation"]').count() == 18  # nobody has played a simulation yet
    page.emulate_media(media="print")
    assert not page.locator("nav.maydan-tabs").is_visible() and page.locator(".maydan-evidence").is_visible()
    shoot(page, "cohort-evidence-ar-print")
