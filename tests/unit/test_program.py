"""The program level: agencies and agreements, openings, preferences, matching, offers, the agency's link."""
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from maydan import people, roles
from maydan.errors import Conflict, Forbidden, Invalid, LinkExpired, NotFound
from maydan.models import AuditEvent, Placement
from maydan.program import agency_links, screens, services
from maydan.program.models import Offer, Opening, OpeningLink, PlacementPreference, ProgramAgency
from maydan.ui import Screen
from maydan.fieldlog import screens as fieldlog_screens
from tests.conftest import form

TERM = "2026-fall"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def agency(cohort, name="Hope Family Centre", **extra):
    return services.save_agency(cohort.coordinator, form(name=name, modality="hybrid", fields=["child_welfare"],
                                                         languages=["ar", "en"], **extra))


def opening(cohort, where, title="Child protection", capacity=1, **extra):
    values = dict(agency=where.pk, term=TERM, title=title, capacity=capacity, level="BSW", field="child_welfare",
                  modality="in_person", schedule="Sun-Tue 9-14", requirements="")
    values.update(extra)
    return services.coordinator_save_opening(cohort.coordinator, form(**values))


def rank(actor, *openings, statement="I worked with children before."):
    return services.save_preferences(actor, TERM, [o.pk for o in openings], statement)


@pytest.fixture
def market(cohort):
    """Two agencies with one seat each; Sara and Omar both want Hope first."""
    hope, nile = agency(cohort), agency(cohort, "Nile Elder Care")
    first, second = opening(cohort, hope), opening(cohort, nile, title="Elder care")
    rank(cohort.student, first, second)
    rank(cohort.other_student, first, second)
    cohort.hope, cohort.nile, cohort.first, cohort.second = hope, nile, first, second
    return cohort


def test_agreements_ending_within_60_days_are_flagged(cohort):
    today = timezone.localdate()
    agency(cohort, "A", agreement_starts=str(today - timedelta(days=300)), agreement_ends=str(today + timedelta(days=59)))
    agency(cohort, "B", agreement_starts=str(today), agreement_ends=str(today + timedelta(days=200)))
    agency(cohort, "C", agreement_starts=str(today - timedelta(days=300)), agreement_ends=str(today - timedelta(days=1)))
    agency(cohort, "D")
    states = {a.name: a.agreement for a in services.agencies(cohort.coordinator)}
    assert states == {"A": "ending", "B": "valid", "C": "ended", "D": "none"}


def test_agency_with_contact_is_saved_once_per_name_and_audited(cohort):
    agency(cohort, contact_name="Mona", contact_email="mona@hope.example")
    found = agency(cohort, contact_name="Mona", contact_role="Director")
    assert ProgramAgency.objects.count() == 1
    contact = found.contacts.get()
    assert (contact.role, contact.email) == ("Director", "")
    assert found.fields == ["child_welfare"] and found.languages == ["ar", "en"]
    assert AuditEvent.objects.filter(action="program_agency_save").count() == 2


@pytest.mark.parametrize("bad, field", [
    (dict(name=""), "name"),
    (dict(modality="teleport"), "modality"),
    (dict(fields=["astrology"]), "fields"),
    (dict(agreement_starts="2026-05-01", agreement_ends="2026-01-01"), "agreement_ends"),
    (dict(agreement_starts="2026-05-01"), "agreement_ends"),
    (dict(agreement_starts="yesterday", agreement_ends="2027-01-01"), "agreement_starts"),
    (dict(agreement_starts="2026-01-01", agreement_ends="9999-01-01"), "agreement_ends"),
    (dict(contact_name="Mona", contact_email="not-an-address"), "contact_email"),
])
def test_bad_agency_is_refused_with_nothing_written(cohort, bad, field):
    values = {"name": "Hope", "modality": "in_person", **bad}
    with pytest.raises(Invalid) as refused:
        services.save_agency(cohort.coordinator, form(**values))
    assert field in refused.value.field_errors
    assert not ProgramAgency.objects.exists() and not AuditEvent.objects.filter(action="program_agency_save").exists()


@pytest.mark.parametrize("bad, field", [
    (dict(capacity="0"), "capacity"), (dict(capacity="51"), "capacity"), (dict(capacity="two"), "capacity"),
    (dict(term="fall 2026!"), "term"), (dict(term=""), "term"), (dict(title=" "), "title"),
    (dict(level="PhD"), "level"), (dict(field="astrology"), "field"),
    (dict(requirements="Call the client Ahmed Hassan on 01012345678"), "requirements"),
])
def test_bad_opening_is_refused_with_nothing_written(cohort, bad, field):
    where = agency(cohort)
    with pytest.raises(Invalid) as refused:
        opening(cohort, where, **bad)
    assert field in refused.value.field_errors
    assert not Opening.objects.exists()


@pytest.mark.parametrize("who", ["student", "academic", "agency"])
def test_only_the_coordinator_manages_the_program(cohort, who):
    actor = getattr(cohort, who)
    where = agency(cohort)
    for attempt in (lambda: services.save_agency(actor, form(name="X")),
                    lambda: services.coordinator_save_opening(actor, form(agency=where.pk, term=TERM, title="T",
                                                                          capacity=1)),
                    lambda: services.run_matching(actor, TERM), lambda: services.send_offers(actor, TERM),
                    lambda: services.demand(actor, TERM), lambda: agency_links.issue(actor, where.pk)):
        with pytest.raises(Forbidden):
            attempt()
    assert ProgramAgency.objects.count() == 1 and not Opening.objects.exists()


def test_students_rank_openings_of_their_level_only(cohort):
    where = agency(cohort)
    bsw, msw = opening(cohort, where), opening(cohort, where, title="Clinical", level="MSW")
    saved = rank(cohort.student, bsw)
    assert saved.ranking == [bsw.pk] and saved.course == cohort.course
    for bad in ([msw.pk], [bsw.pk, bsw.pk], [], [999], ["x"]):
        with pytest.raises(Invalid) as refused:
            services.save_preferences(cohort.student, TERM, bad, "")
        assert "ranking" in refused.value.field_errors
    with pytest.raises(Invalid) as refused:
        services.save_preferences(cohort.student, TERM, [bsw.pk], "My client Ahmed Hassan, 01012345678, was kind")
    assert "statement" in refused.value.field_errors
    with pytest.raises(Forbidden):
        services.save_preferences(cohort.academic, TERM, [bsw.pk], "")
    assert PlacementPreference.objects.get().ranking == [bsw.pk]


def test_ranking_is_capped_by_the_program(cohort):
    where = agency(cohort)
    many = [opening(cohort, where, title=f"O{i}") for i in range(6)]
    with pytest.raises(Invalid):
        rank(cohort.student, *many)
    assert rank(cohort.student, *many[:5]).ranking == [o.pk for o in many[:5]]


def test_matching_respects_capacity_and_rankings(market):
    assert services.run_matching(market.coordinator, TERM) == 2
    placed = {o.student.subject: o.opening for o in Offer.objects.select_related("student", "opening")}
    # Equal for the agency: the student who ranked first (saved first) gets the contested seat.
    assert placed == {"s1": market.first, "s2": market.second}
    _openings, demand = services.demand(market.coordinator, TERM)
    assert (demand[market.first.pk].first_choice, demand[market.first.pk].ranked, demand[market.first.pk].filled) == (
        2, 2, 1)


def test_agency_preference_is_respected(market):
    market.first.agency_ranking = [market.other_student.person.pk]
    market.first.save()
    services.run_matching(market.coordinator, TERM)
    assert Offer.objects.get(student=market.other_student.person).opening == market.first


def test_manual_changes_are_kept_when_the_matching_runs_again(market):
    services.run_matching(market.coordinator, TERM)
    services.assign(market.coordinator, TERM, market.student.person.pk, market.second.pk)
    assert services.run_matching(market.coordinator, TERM) == 1
    offers = {o.student_id: (o.opening_id, o.manual) for o in Offer.objects.all()}
    assert offers == {market.student.person.pk: (market.second.pk, True),
                      market.other_student.person.pk: (market.first.pk, False)}
    with pytest.raises(Conflict):  # full: the manual placement holds the only seat
        services.assign(market.coordinator, TERM, market.other_student.person.pk, market.second.pk)
    assert Offer.objects.count() == 2


def test_offers_sent_are_kept_and_cannot_be_moved(market):
    services.run_matching(market.coordinator, TERM)
    assert services.send_offers(market.coordinator, TERM) == 2
    assert services.run_matching(market.coordinator, TERM) == 0
    with pytest.raises(Conflict):
        services.assign(market.coordinator, TERM, market.student.person.pk, market.second.pk)
    assert set(Offer.objects.values_list("status", flat=True)) == {"sent"}


def issued(cohort, where, days=30):
    _link, token = agency_links.issue(cohort.coordinator, where.pk, days=days)
    return token


def test_agency_accepts_through_its_link_and_the_placement_appears(market):
    services.run_matching(market.coordinator, TERM)
    services.send_offers(market.coordinator, TERM)
    desk = agency_links.open_link(issued(market, market.hope))
    offer = Offer.objects.get(opening=market.first)
    services.answer_offer(desk, offer.pk, True, "Rami")
    placement = Placement.objects.get(course=market.course, student=offer.student)
    assert placement.agency == "Hope Family Centre" and placement.host_agency.name == "Hope Family Centre"
    assert AuditEvent.objects.filter(action="placement_offer", placement=placement, via__startswith="opening link")
    with pytest.raises(Conflict):
        services.answer_offer(desk, offer.pk, False)
    # The other agency's offer is not this link's to answer.
    other = Offer.objects.get(opening=market.second)
    with pytest.raises(NotFound):
        services.answer_offer(desk, other.pk, True)
    assert Offer.objects.get(pk=other.pk).status == "sent"


def test_declined_offer_frees_the_seat_for_the_next_run(market):
    services.run_matching(market.coordinator, TERM)
    services.send_offers(market.coordinator, TERM)
    desk = agency_links.open_link(issued(market, market.hope))
    services.answer_offer(desk, Offer.objects.get(opening=market.first).pk, False)
    _openings, demand = services.demand(market.coordinator, TERM)
    assert demand[market.first.pk].filled == 0


def test_agency_proposes_and_updates_only_its_own_openings(market):
    desk = agency_links.open_link(issued(market, market.hope))
    proposed = agency_links.save_opening_by_link(desk, form(term=TERM, title="Remote counselling", capacity=2,
                                                            modality="remote"))
    assert proposed.agency == market.hope
    agency_links.save_opening_by_link(desk, form(opening=proposed.pk, term=TERM, title="Remote counselling",
                                                 capacity=3))
    assert Opening.objects.get(pk=proposed.pk).capacity == 3
    with pytest.raises(NotFound):
        agency_links.save_opening_by_link(desk, form(opening=market.second.pk, term=TERM, title="Taken", capacity=9))
    assert Opening.objects.get(pk=market.second.pk).title == "Elder care"


def test_expired_revoked_and_forged_links_are_refused(market):
    token = issued(market, market.hope)
    link = OpeningLink.objects.get()
    agency_links.revoke(market.coordinator, link.pk)
    with pytest.raises(LinkExpired):
        agency_links.open_link(token)
    token = issued(market, market.hope)
    OpeningLink.objects.filter(pk=OpeningLink.objects.latest("pk").pk).update(expires_at=timezone.now())
    with pytest.raises(LinkExpired):
        agency_links.open_link(token)
    with pytest.raises(NotFound):
        agency_links.open_link(token[:-2] + "xx")
    # A placement link's token never opens an agency's openings, nor the reverse.
    from maydan.fieldlog import links
    placement = Placement.objects.get(course=market.course, student=market.student.person)
    _plink, placement_token = links.issue(market.coordinator, placement.pk)
    with pytest.raises(NotFound):
        agency_links.open_link(placement_token)
    with pytest.raises(NotFound):
        links.open_link(issued(market, market.hope))
    for days in (0, 121, "x"):
        with pytest.raises(Invalid):
            issued(market, market.hope, days=days)


def test_a_program_is_per_platform(market):
    elsewhere = people.enter("https://moodle.other.edu", "c1", "k9", {roles.COORDINATOR})
    assert services.agencies(elsewhere) == []
    with pytest.raises(NotFound):
        agency_links.issue(elsewhere, market.hope.pk)


# --- screens --------------------------------------------------------------------------------------


def post(actor, language="en", activity="program", **values):
    return screens.handle(Screen(actor=actor, language=language, activity=activity, endpoint="/x"), form(**values))


def test_coordinator_screens_in_both_languages(market):
    for language, heading in (("en", "Placement matching"), ("ar", "التسكين في مؤسسات التدريب")):
        for view in screens.VIEWS:
            status, html = post(market.coordinator, language, view=view, term=TERM)
            assert status == 200 and heading in html, html
    status, html = post(market.coordinator, "ar", view="matching", term=TERM)
    assert "شغّل المطابقة" in html and "Elder care" in html
    status, html = post(market.coordinator, view="matching", action="run", term=TERM)
    assert status == 200 and "2 students matched." in html


def test_student_ranks_through_the_screen_and_bad_input_is_a_4xx(market):
    status, html = post(market.student, action="rank", term=TERM, rank1=market.second.pk, rank2=market.first.pk,
                        statement="Elder care first.")
    assert status == 200 and "Your choices are saved." in html
    assert PlacementPreference.objects.get(student=market.student.person).ranking == [market.second.pk, market.first.pk]
    status, html = post(market.student, action="rank", term=TERM, rank1=market.second.pk, rank2=market.second.pk)
    assert status == 400 and "only once" in html
    assert PlacementPreference.objects.get(student=market.student.person).ranking == [market.second.pk, market.first.pk]


@pytest.mark.parametrize("who", ["academic", "agency"])
def test_others_see_that_matching_is_not_theirs(market, who):
    status, html = post(getattr(market, who), view="matching", action="run", term=TERM)
    assert status == 403 and not Offer.objects.exists()


def test_coordinator_reaches_matching_from_the_cohort_block(market):
    from maydan.cohort import screens as cohort_screens
    status, html = cohort_screens.handle(Screen(actor=market.coordinator, language="en", activity="cohort",
                                                endpoint="/x"), form(view="matching", action="run", term=TERM))
    assert status == 200 and "2 students matched." in html and 'value="home"' in html
    assert Offer.objects.count() == 2


def test_demand_screen_queries_do_not_grow_with_students(market, django_assert_max_num_queries):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        with CaptureQueriesContext(connection) as captured:
            post(market.coordinator, view="matching", term=TERM)
        return len(captured)

    before = count_queries()
    for i in range(30):
        student = people.enter(market.issuer, market.context, f"x{i}", {roles.STUDENT}, name=f"Student {i}")
        rank(student, market.first, market.second)
    services.run_matching(market.coordinator, TERM)
    assert count_queries() == before


def test_agency_orders_its_applicants_and_the_matching_follows(market):
    desk = agency_links.open_link(issued(market, market.hope))
    omar, sara = market.other_student.person.pk, market.student.person.pk
    status, html = screens.handle(Screen(actor=desk, language="en", activity="program", endpoint="/x", view="agency"),
                                  form(action="rank_applicants", opening=market.first.pk, term=TERM,
                                       **{f"applicant_{omar}": "1", f"applicant_{sara}": ""}))
    assert status == 200 and "Your order of the applicants is saved" in html and "Omar Nabil" in html
    assert Opening.objects.get(pk=market.first.pk).agency_ranking == [omar]
    services.run_matching(market.coordinator, TERM)
    assert Offer.objects.get(student_id=omar).opening_id == market.first.pk
    # Someone who did not apply, or an opening of another agency, is refused and nothing changes.
    stranger = market.academic.person.pk
    with pytest.raises(Invalid):
        services.rank_applicants(desk, market.first.pk, {stranger: "1"})
    with pytest.raises(NotFound):
        services.rank_applicants(desk, market.second.pk, {omar: "1"})
    assert Opening.objects.get(pk=market.first.pk).agency_ranking == [omar]
    assert Opening.objects.get(pk=market.second.pk).agency_ranking == []


def test_the_student_sees_their_offer_once_sent_and_its_answer(market):
    services.run_matching(market.coordinator, TERM)
    _status, html = post(market.student, view="rank", term=TERM)
    assert "data-my-offer" not in html  # a proposal is the coordinator's until sent
    services.send_offers(market.coordinator, TERM)
    _status, html = post(market.student, "ar", view="rank", term=TERM)
    assert 'data-my-offer="sent"' in html and "أُرسل إلى المؤسسة" in html
    desk = agency_links.open_link(issued(market, market.hope))
    services.answer_offer(desk, Offer.objects.get(student=market.student.person).pk, True, "Rami")
    _status, html = post(market.student, view="rank", term=TERM)
    assert 'data-my-offer="accepted"' in html and "your field log is ready" in html
    event = AuditEvent.objects.get(action="offer_accepted")
    assert event.course == market.course and event.placement.student == market.student.person


def test_an_accepted_offer_shows_in_the_students_field_log(market):
    from maydan import ui
    services.run_matching(market.coordinator, TERM)
    services.send_offers(market.coordinator, TERM)
    desk = agency_links.open_link(issued(market, market.hope))
    services.answer_offer(desk, Offer.objects.get(student=market.student.person).pk, True, "Rami")
    student = people.enter(market.issuer, market.context, "s1", {roles.STUDENT})
    assert "Hope Family Centre" in fieldlog_screens.render(Screen(actor=student, language="en", endpoint="/x"))


def test_an_implausible_agreement_year_is_refused(cohort):
    with pytest.raises(Invalid):
        agency(cohort, agreement_starts="0001-01-01", agreement_ends="9999-12-31")
    assert not ProgramAgency.objects.exists()


def test_courses_with_the_same_program_key_share_agencies(market):
    second = people.enter(market.issuer, "fieldwork-msw", "k1", {roles.COORDINATOR})
    assert [a.name for a in services.agencies(second)] == ["Hope Family Centre", "Nile Elder Care"]  # both in "main"
    status, html = post(market.coordinator, view="agencies", action="join", program="bsw-giza")
    assert status == 200 and "bsw-giza" in html
    assert services.agencies(market.coordinator) == [] and len(services.agencies(second)) == 2
    status, _html = post(market.coordinator, view="agencies", action="join", program="bad key!")
    assert status == 400 and services.program_for(market.course).key == "bsw-giza"
    with pytest.raises(Forbidden):
        services.join_program(market.academic, "main")
    assert AuditEvent.objects.filter(action="program_join").count() == 1


def test_an_agency_page_shows_only_its_own_offers_and_openings(market):
    services.run_matching(market.coordinator, TERM)
    services.send_offers(market.coordinator, TERM)
    desk = agency_links.open_link(issued(market, market.nile))
    status, html = screens.handle(Screen(actor=desk, language="ar", activity="program", endpoint="/x", view="agency"),
                                  form(action="view", term=TERM))
    mine = Offer.objects.get(opening=market.second)
    assert status == 200 and html.count("data-offer=") == 1 and f'data-offer="{mine.pk}"' in html
    assert "Elder care" in html and "Child protection" not in html and "Hope Family Centre" not in html
