"""The program through the term: agreement reminders, accepted offers with their agency supervisor, history
across terms and its research export, and the matching screen a page of students at a time."""
import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from maydan import fieldlog, people, roles
from maydan.cohort import exports
from maydan.fieldlog import links
from maydan.errors import Forbidden, Invalid, NotFound
from maydan.models import AgencyLink, AuditEvent, Membership, Placement
from maydan.notify import digests
from maydan.notify.models import Notification
from maydan.program import agency_links, history, screens, services
from maydan.program.models import Offer
from maydan.ui import Screen
from tests.conftest import form
from tests.unit.test_program import TERM, agency, issued, market, opening, rank  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def post(actor, language="en", **values):
    return screens.handle(Screen(actor=actor, language=language, activity="program", endpoint="/x"), form(**values))


# --- agreement reminders -------------------------------------------------------------------------


def with_address(actor, address):
    actor.person.email = address
    actor.person.save()


def test_an_agreement_ending_within_60_days_is_reminded_to_the_coordinator_once(cohort):
    with_address(cohort.coordinator, "amal@school.example")
    with_address(cohort.academic, "hoda@school.example")
    today = timezone.localdate()
    ending = agency(cohort, "Hope", agreement_starts=str(today - timedelta(days=300)),
                    agreement_ends=str(today + timedelta(days=30)))
    agency(cohort, "Valid", agreement_starts=str(today), agreement_ends=str(today + timedelta(days=200)))
    agency(cohort, "Ended", agreement_starts=str(today - timedelta(days=300)), agreement_ends=str(today - timedelta(days=1)))
    agency(cohort, "No agreement")
    digests.run(today=today)
    reminders = Notification.objects.filter(kind="agreement_ending")
    assert [(n.address, n.reason) for n in reminders] == [("amal@school.example", "agreement_ending")]
    assert "Hope" in reminders.get().subject
    digests.run(today=today + timedelta(days=1))
    assert Notification.objects.filter(kind="agreement_ending").count() == 1  # once
    # Renewed, with a new end: reminded again when that end nears.
    services.save_agency(cohort.coordinator, form(name="Hope", agreement_starts=str(today),
                                                  agreement_ends=str(today + timedelta(days=50))))
    digests.run(today=today + timedelta(days=2))
    assert Notification.objects.filter(kind="agreement_ending").count() == 2
    assert ending.pk  # the same agency, a second agreement


def test_the_reminder_is_in_the_course_language_and_honours_never(cohort):
    from maydan.notify import services as notify
    with_address(cohort.coordinator, "amal@school.example")
    today = timezone.localdate()
    agency(cohort, "Hope", agreement_starts=str(today - timedelta(days=300)), agreement_ends=str(today + timedelta(days=10)))
    cohort.course.language = "ar"
    cohort.course.save()
    digests.run(today=today)
    assert "تنتهي" in Notification.objects.get(kind="agreement_ending").subject
    Notification.objects.all().delete()
    notify.set_cadence("amal@school.example", "agreement_ending", "never")
    digests.run(today=today)
    assert not Notification.objects.filter(kind="agreement_ending").exists()


def test_no_reminder_for_another_programs_agreements(cohort):
    with_address(cohort.coordinator, "amal@school.example")
    today = timezone.localdate()
    agency(cohort, "Hope", agreement_starts=str(today - timedelta(days=300)), agreement_ends=str(today + timedelta(days=10)))
    services.join_program(cohort.coordinator, "msw-alex")  # the course moves to a program without agencies
    digests.run(today=today)
    assert not Notification.objects.filter(kind="agreement_ending").exists()


# --- accepted offers become placements with their agency supervisor ------------------------------------


def accepted(market, name="Rami Fawzy", email=""):
    services.run_matching(market.coordinator, TERM)
    services.send_offers(market.coordinator, TERM)
    desk = agency_links.open_link(issued(market, market.hope))
    offer = Offer.objects.get(opening=market.first)
    return desk, services.answer_offer(desk, offer.pk, True, name, email)


def test_an_accepted_offer_names_the_agency_supervisor_a_member_with_a_link_to_the_log(market):
    _desk, offer = accepted(market)
    placement = offer.placement
    supervisor = placement.agency_supervisor
    assert supervisor.name == "Rami Fawzy"
    assert Membership.objects.filter(course=market.course, person=supervisor, role=roles.AGENCY).exists()
    link = AgencyLink.objects.get(placement=placement)
    assert link.supervisor_name == "Rami Fawzy" and link.issued_by == market.coordinator.person
    assert AuditEvent.objects.filter(action="link_issue", placement=placement, via__startswith="opening link").exists()
    # The link opens that student's log, as a link the academic supervisor issued would.
    actor = links.open_link(offer.link_token)
    assert actor.link_placement == placement
    assert list(fieldlog.visible_placements(actor)) == [placement]
    # And the supervisor, arriving through the platform under that name, is the placement's: one person.
    assert list(Placement.objects.filter(agency_supervisor=supervisor)) == [placement]


def test_the_same_supervisor_named_again_is_the_same_person(market):
    second_seat = opening(market, market.hope, title="Second seat")
    _desk, first = accepted(market, "Rami  Fawzy")
    desk = agency_links.open_link(issued(market, market.hope))
    other = Offer.objects.create(opening=second_seat, course=market.course, student=market.other_student.person,
                                 status="sent")
    second = services.answer_offer(desk, other.pk, True, "rami fawzy")
    assert second.placement.agency_supervisor == first.placement.agency_supervisor
    assert Membership.objects.filter(person=first.placement.agency_supervisor).count() == 1


def test_with_an_address_the_supervisor_gets_the_link_by_e_mail(market, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _desk, offer = accepted(market, email="Rami@Hope.example")
    assert Notification.objects.filter(kind="agency_link", address="rami@hope.example").exists()
    assert offer.placement.agency_supervisor.email == "rami@hope.example"


@pytest.mark.parametrize("name, email", [("", ""), ("Rami", "not-an-address")])
def test_an_acceptance_without_a_supervisor_or_with_a_bad_address_writes_nothing(market, name, email):
    services.run_matching(market.coordinator, TERM)
    services.send_offers(market.coordinator, TERM)
    desk = agency_links.open_link(issued(market, market.hope))
    offer = Offer.objects.get(opening=market.first)
    with pytest.raises(Invalid):
        services.answer_offer(desk, offer.pk, True, name, email)
    assert Offer.objects.get(pk=offer.pk).status == "sent"
    assert not AgencyLink.objects.exists() and not Placement.objects.filter(agency="Hope Family Centre").exists()


def test_the_link_contacts_name_stands_in_when_none_is_typed(market):
    services.run_matching(market.coordinator, TERM)
    services.send_offers(market.coordinator, TERM)
    _link, token = agency_links.issue(market.coordinator, market.hope.pk, contact_name="Mona Ali")
    desk = agency_links.open_link(token)
    offer = services.answer_offer(desk, Offer.objects.get(opening=market.first).pk, True)
    assert offer.placement.agency_supervisor.name == "Mona Ali"


def test_the_agency_screen_shows_the_supervisors_link_once(market):
    services.run_matching(market.coordinator, TERM)
    services.send_offers(market.coordinator, TERM)
    desk = agency_links.open_link(issued(market, market.hope))
    offer = Offer.objects.get(opening=market.first)
    status, html = screens.handle(Screen(actor=desk, language="ar", activity="program", endpoint="/x", view="agency"),
                                  form(action="accept", offer=offer.pk, term=TERM, supervisor_name="رامي فوزي"))
    assert status == 200 and "data-new-link" in html and "/maydan/agency/" in html
    status, html = screens.handle(Screen(actor=desk, language="ar", activity="program", endpoint="/x", view="agency"),
                                  form(action="view", term=TERM))
    assert "data-new-link" not in html


# --- history across terms ------------------------------------------------------------------------------


@pytest.fixture
def two_terms(market):
    """Sara placed at Hope in this course (through matching), and last year, in another course of the program,
    at Hope again; Omar at Nile."""
    accepted(market)
    earlier = people.enter(market.issuer, "fieldwork-2024", "k1", {roles.COORDINATOR}, course_title="Field Training 0")
    sara = people.enter(market.issuer, "fieldwork-2024", "s1", {roles.STUDENT}, course_title="Field Training 0")
    from maydan.cohort import placements
    placements.import_csv(earlier, "student_id,agency,starts_on,ends_on\ns1,Hope Family Centre,2024-09-01,2024-12-20\n"
                                   "s2,Nile Elder Care,2024-09-01,2024-12-20\n", apply=True)
    market.earlier, market.sara_before = earlier, sara
    return market


def test_a_students_placements_across_terms_and_courses(two_terms):
    student, found = history.of_student(two_terms.coordinator, two_terms.student.person.pk)
    assert student == two_terms.student.person
    assert [(p.course.title, p.term, p.agency) for p in found] == [
        ("Field Training I", TERM, "Hope Family Centre"), ("Field Training 0", "", "Hope Family Centre")]
    assert found[0].agency_supervisor.name == "Rami Fawzy"
    assert [p.name for p in history.find_students(two_terms.coordinator, "sar")] == ["Sara Adel"]


def test_an_agencys_students_across_terms(two_terms):
    hope, pager = history.of_agency(two_terms.coordinator, two_terms.hope.pk)
    found = pager.object_list
    assert hope == two_terms.hope and (pager.number, pager.paginator.num_pages) == (1, 1)
    assert sorted((p.student.name, p.course.title) for p in found) == [
        ("Sara Adel", "Field Training 0"), ("Sara Adel", "Field Training I")]


def test_history_stays_within_the_program(two_terms):
    services.join_program(two_terms.earlier, "old-program")
    _student, found = history.of_student(two_terms.coordinator, two_terms.student.person.pk)
    assert [p.course.title for p in found] == ["Field Training I"]
    with pytest.raises(NotFound):
        history.of_agency(two_terms.earlier, two_terms.hope.pk)  # another program's agency


@pytest.mark.parametrize("who", ["academic", "agency", "student"])
def test_only_the_coordinator_reads_history(two_terms, who):
    actor = getattr(two_terms, who)
    with pytest.raises(Forbidden):
        history.of_student(actor, two_terms.student.person.pk)
    with pytest.raises(Forbidden):
        history.table(actor)
    status, html = post(actor, view="history", pick=two_terms.student.person.pk)
    assert "Field Training 0" not in html and (status == 403 or who == "student")  # a student sees their ranking
    with pytest.raises(Forbidden):
        screens.download(Screen(actor=actor, language="en", activity="program", endpoint="/x"),
                         form(view="history", action="export_history", format="csv"))


def test_the_research_export_is_de_identified_with_codes_stable_across_courses(two_terms):
    screen = Screen(actor=two_terms.coordinator, language="en", activity="program", endpoint="/x")
    name, _type, chunks = screens.download(screen, form(view="history", action="export_history", format="csv"))
    assert name == "maydan-history-coded.csv" and "student_code,course,term" in exports.whole(chunks).decode()
    built = history.table(two_terms.coordinator)
    rows = [dict(zip([c.name for c in built.columns], row)) for row in built.rows]
    assert all("Sara" not in str(r) and "s1" != r["student_code"] for r in rows)
    sara = [r for r in rows if r["agency"] == "Hope Family Centre"]
    assert len(sara) == 2 and len({r["student_code"] for r in sara}) == 1  # one student, one code
    assert {r["term"] for r in sara} == {TERM, ""}
    built = history.table(two_terms.coordinator)  # its rows are read once, as a file streams
    text = exports.whole(exports.as_file(built, "csv", "en")[2]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[0][:3] == ["student_code", "course", "term"]
    assert exports.as_file(built, "sav", "ar")[0] == "maydan-history-coded.sav"


@pytest.mark.parametrize("language, word", [("en", "History"), ("ar", "السجل")])
def test_the_history_screen_in_both_languages(two_terms, language, word):
    status, html = post(two_terms.coordinator, language, view="history", find="Sara")
    assert status == 200 and word in html and "Sara Adel" in html
    status, html = post(two_terms.coordinator, language, view="history", pick=two_terms.student.person.pk)
    assert status == 200 and "Field Training 0" in html and "Rami Fawzy" in html
    status, html = post(two_terms.coordinator, language, view="history", agency=two_terms.hope.pk)
    assert status == 200 and html.count("data-placement=") == 2
    status, _html = post(two_terms.coordinator, language, view="history", pick="999999")
    assert status == 404


# --- the matching screen, a page of students at a time ----------------------------------------------------


def test_the_matching_screen_pages_and_filters_students(market):
    for i in range(60):
        student = people.enter(market.issuer, market.context, f"x{i:02d}", {roles.STUDENT}, name=f"Zed {i:02d}")
        rank(student, market.first, market.second)
    services.run_matching(market.coordinator, TERM)
    status, html = post(market.coordinator, view="matching", term=TERM)
    assert status == 200 and html.count("data-student=") == screens.PAGE and "Page 1 of 2" in html
    assert 'data-unplaced-count>60<' in html
    status, html = post(market.coordinator, view="matching", term=TERM, page="2")
    assert html.count("data-student=") == 62 - screens.PAGE
    status, html = post(market.coordinator, view="matching", term=TERM, find="Zed 07")
    assert html.count("data-student=") == 1 and "Zed 07" in html
    status, html = post(market.coordinator, view="matching", term=TERM, unplaced="1")
    assert "Sara Adel" not in html and 'data-offer=' not in html
    status, html = post(market.coordinator, view="matching", term=TERM, page="junk")
    assert status == 200 and "Page 1 of 2" in html
