"""The term's start in Arabic, in Chromium, each person in their own browser: the agency posts an opening through
its link, two students rank it, the coordinator runs the matching and sends the offers, the agency accepts with
the name of its supervisor, and the placement is in the student's field log."""
import re

import pytest
from django.test import Client

from lti_tool.sandbox.models import SandboxLink
from maydan.models import Placement
from maydan.program.models import Offer, Opening
from tests.lti.flow import launch as lti_launch, place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AGENCY = "دار الأمل لرعاية الأسرة"
TITLE = "حماية الطفل والإرشاد الأسري"


def person(browser, site, who, link):
    """A phone of its own for each person (no shared cookies), launched into the program's activity in Arabic."""
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="ar-EG")
    page = context.new_page()
    if who:
        page.goto(f"{site}/sandbox/launch?person={who}&course=field-training-1&lang=ar&link={link.pk}")
        page.wait_for_selector(".maydan")
    return context, page


def press(page, selector):
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.click(selector)
    page.wait_for_selector(".maydan:not([aria-busy])")


def test_agency_opening_to_field_log_in_arabic(browser, site, shoot):
    client = Client()
    place(client, "program")
    link = SandboxLink.objects.get()
    for who in ("student_1", "student_2"):  # the students have opened the course once
        lti_launch(client, person=who)

    # The coordinator adds the agency and creates its link.
    coordinator_context, coordinator = person(browser, site, "admin", link)
    coordinator.fill("input[name=name]", AGENCY)
    coordinator.fill("input[name=contact_name]", "منى فتحي")
    press(coordinator, "button[value=save_agency]")
    coordinator.wait_for_selector("[data-agency]")
    press(coordinator, "[data-agency] button[value=issue_link]")
    token_url = coordinator.inner_text(".maydan-new-link")
    agency_path = token_url[token_url.index("/maydan/openings/"):]

    # The agency posts its opening through the link, with no account.
    agency_context, agency = person(browser, site, None, link)
    agency.goto(f"{site}{agency_path}?lang=ar")
    agency.wait_for_selector("input[name=title]")
    assert agency.eval_on_selector("html", "e => e.dir") == "rtl"
    agency.fill("input[name=term]", "2026-fall")
    agency.fill("input[name=title]", TITLE)
    agency.fill("input[name=capacity]", "2")
    press(agency, "button[value=save_opening]")
    assert "حُفظت الفرصة" in agency.inner_text(".maydan-notice") or TITLE in agency.content()
    opening = Opening.objects.get()
    assert (opening.title, opening.capacity, opening.agency.name) == (TITLE, 2, AGENCY)
    shoot(agency, "journey-agency-opening-ar")

    # Two students rank it.
    for who, statement in (("student_1", "أرغب في العمل مع الأطفال"), ("student_2", "عملت متطوعة مع الأسر")):
        context, student = person(browser, site, who, link)
        student.select_option("select[name=rank1]", str(opening.pk))
        student.fill("textarea[name=statement]", statement)
        press(student, "button[value=rank]")
        assert student.inner_text(".maydan-notice")
        context.close()

    # The coordinator matches and sends the offers.
    press(coordinator, "nav button[value=matching]")
    coordinator.wait_for_selector("[data-opening]")
    assert coordinator.inner_text("[data-opening] [data-ranked]") == "2"
    press(coordinator, "button[value=run]")
    assert Offer.objects.filter(status="proposed").count() == 2
    press(coordinator, "button[value=send]")
    assert Offer.objects.filter(status="sent").count() == 2
    shoot(coordinator, "journey-coordinator-matching-ar")
    coordinator_context.close()

    # The agency accepts both, naming the supervisor; the supervisor's link to the log is shown once.
    agency.goto(f"{site}{agency_path}?lang=ar")
    for _index in range(2):
        agency.wait_for_selector("[data-offer][data-status=sent]")
        offer = agency.locator("[data-offer][data-status=sent]").first
        offer.locator("input[name=supervisor_name]").fill("رامي فوزي")
        with agency.expect_response(lambda r: r.request.method == "POST"):
            offer.locator("button[value=accept]").click()
        agency.wait_for_selector(".maydan:not([aria-busy]) [data-new-link]")
    assert Offer.objects.filter(status="accepted").count() == 2
    log_link = agency.input_value("[data-new-link] input")
    assert re.search(r"/maydan/agency/[^/]+/", log_link)
    shoot(agency, "journey-agency-accepted-ar")
    agency_context.close()

    # The placement is in the student's field log, with the agency supervisor.
    placement = Placement.objects.get(student__subject="student_1")
    assert placement.agency == AGENCY and placement.agency_supervisor.name == "رامي فوزي"
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="ar-EG")
    student = context.new_page()
    student.goto(f"{site}/sandbox/launch?person=student_1&course=field-training-1&lang=ar")
    student.wait_for_selector(".maydan")
    shown = student.inner_text("[data-placement-agency]")
    assert AGENCY in shown and "رامي فوزي" in shown
    shoot(student, "journey-student-log-ar")
    context.close()
