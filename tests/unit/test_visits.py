"""Site visits: planning, recording and cancelling, who may, the mid-term alert, the evidence report and the
calendar feed."""
from datetime import date, timedelta

import pytest
from django.utils import translation

from maydan import fieldlog
from maydan.fieldlog import links
from maydan.cohort import dashboard, evidence, screens as cohort_screens
from maydan.errors import Conflict, Forbidden, Invalid, NotFound
from maydan.models import AuditEvent, Placement
from maydan.sessions import calendars
from maydan.ui import Screen
from maydan.visits import rules, services
from maydan.visits.models import SiteVisit
from tests.conftest import form

TODAY = date.today()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def plan(actor, placement, day=None, **extra):
    day = day or TODAY + timedelta(days=7)
    values = dict(kind="on_site", day=day if isinstance(day, str) else day.isoformat(), time="10:00", minutes="90")
    values.update(extra)
    return services.schedule(actor, placement.pk, form(**values))


def record_form(**extra):
    values = dict(met=["student", "agency_supervisor"], progress="on_track", progress_note="Settled in well.",
                  concerns="", actions="Agreed two case conferences a month.")
    values.update(extra)
    return form(**values)


@pytest.fixture
def placement(cohort):
    found = fieldlog.placement_for(cohort.student)
    found.agency, found.starts_on, found.ends_on = "Hope Family Centre", TODAY - timedelta(days=60), TODAY + timedelta(days=40)
    found.academic_supervisor = cohort.academic.person
    found.save()
    return found


# --- rules ---------------------------------------------------------------------------------------


def test_midterm_is_half_the_placement_period_else_the_midterm_evaluation_due_date():
    assert rules.midterm(date(2026, 9, 1), date(2026, 12, 31)) == date(2026, 10, 31)
    assert rules.midterm(None, None, date(2026, 11, 1)) == date(2026, 11, 1)
    assert rules.midterm(date(2026, 12, 31), date(2026, 9, 1)) is None  # a period backwards is no period
    assert rules.midterm(None, date(2026, 9, 1)) is None


@pytest.mark.parametrize("today, recorded, missing", [
    (date(2026, 10, 31), 0, False),  # mid-term itself: still time
    (date(2026, 11, 1), 0, True),
    (date(2026, 11, 1), 1, False),
    (date(2026, 9, 2), 0, False),
])
def test_a_visit_is_missing_only_once_midterm_has_passed_without_one(today, recorded, missing):
    assert rules.visit_missing(date(2026, 9, 1), date(2026, 12, 31), today, recorded) is missing


def test_no_dates_and_no_midterm_evaluation_is_never_an_alert():
    assert not rules.visit_missing(None, None, date(2030, 1, 1), 0)


# --- planning, recording, cancelling -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["academic", "coordinator"])
def test_the_liaison_and_the_coordinator_plan_and_record_a_visit(cohort, placement, who):
    actor = getattr(cohort, who)
    visit = plan(actor, placement, kind="virtual", meeting_link="https://meet.google.com/abc-defg-hij")
    assert (visit.status, visit.kind, visit.minutes, visit.scheduled_by) == ("scheduled", "virtual", 90, actor.person)
    with pytest.raises(Invalid) as refused:
        services.record(actor, placement.pk, record_form(), visit.pk)  # a week ahead: not yet
    assert "day" in refused.value.field_errors
    moved = services.schedule(actor, placement.pk, form(kind="virtual", day=(TODAY - timedelta(days=1)).isoformat(),
                                                        time="09:30", minutes="60"), visit.pk)
    assert moved.sequence == 1 and moved.day == TODAY - timedelta(days=1)
    done = services.record(actor, placement.pk, record_form(), visit.pk)
    assert done.status == "recorded" and done.met == ["student", "agency_supervisor"] and done.recorded_by == actor.person
    actions = list(AuditEvent.objects.filter(placement=placement).values_list("action", flat=True).order_by("pk"))
    assert actions == ["visit_schedule", "visit_schedule", "visit_record"]
    # The audit trail says which texts changed, never what they say.
    changes = AuditEvent.objects.filter(action="visit_record").get().changes
    assert "Settled in well." not in str(changes) and changes["texts"] == ["progress_note", "actions"]


def test_a_visit_recorded_without_planning_gives_its_day_and_time(cohort, placement):
    visit = services.record(cohort.academic, placement.pk, record_form(
        kind="on_site", day=(TODAY - timedelta(days=3)).isoformat(), time="11:00"))
    assert visit.status == "recorded" and visit.day == TODAY - timedelta(days=3)
    with pytest.raises(Invalid) as refused:
        services.record(cohort.academic, placement.pk, record_form())  # no day, no time
    assert "day" in refused.value.field_errors
    assert SiteVisit.objects.count() == 1


@pytest.mark.parametrize("who", ["student", "agency", "other_student"])
def test_students_and_agency_supervisors_may_not_plan_or_record(cohort, placement, who):
    with pytest.raises(Forbidden):
        plan(getattr(cohort, who), placement)
    with pytest.raises(Forbidden):
        services.record(getattr(cohort, who), placement.pk, record_form(day=TODAY.isoformat(), time="09:00"))
    assert not SiteVisit.objects.exists()


def test_an_agency_link_may_not_plan_a_visit(cohort, placement):
    _link, token = links.issue(cohort.academic, placement.pk)
    with pytest.raises(Forbidden):
        plan(links.open_link(token), placement)


def test_a_visit_of_another_course_or_no_placement_is_not_found(cohort, placement):
    with pytest.raises(NotFound):
        plan(cohort.academic, type("P", (), {"pk": 999999})())
    visit = plan(cohort.academic, placement)
    other = fieldlog.placement_for(cohort.other_student)
    with pytest.raises(NotFound):
        services.cancel(cohort.academic, other.pk, visit.pk)
    with pytest.raises(NotFound):
        services.record(cohort.academic, placement.pk, record_form(), "junk")


@pytest.mark.parametrize("bad, field", [
    (dict(day="tomorrow"), "day"),
    (dict(time="25:99"), "day"),
    (dict(day="9999-01-01"), "day"),
    (dict(minutes="5"), "minutes"),
    (dict(minutes="lots"), "minutes"),
    (dict(kind="teleport"), "kind"),
    (dict(meeting_link="javascript:alert(1)"), "meeting_link"),
    (dict(meeting_link="http://plain.example/x"), "meeting_link"),
])
def test_bad_plans_are_refused_with_the_field_and_nothing_is_written(cohort, placement, bad, field):
    with pytest.raises(Invalid) as refused:
        plan(cohort.academic, placement, **bad)
    assert field in refused.value.field_errors
    assert not SiteVisit.objects.exists() and not AuditEvent.objects.filter(action__startswith="visit").exists()


@pytest.mark.parametrize("bad, field", [
    (dict(met=[]), "met"),
    (dict(met=["the_minister"]), "met"),
    (dict(progress=""), "progress"),
    (dict(progress="stellar"), "progress"),
    (dict(concerns="x" * 2001), "concerns"),
    (dict(concerns="Her client Mohamed Ahmed Ali called 01012345678 twice."), "concerns"),
    (dict(actions="Call the mother at 01012345678."), "actions"),
])
def test_bad_records_are_refused_and_the_plan_stays_as_it_was(cohort, placement, bad, field):
    visit = plan(cohort.academic, placement, day=TODAY - timedelta(days=1))
    with pytest.raises(Invalid) as refused:
        services.record(cohort.academic, placement.pk, record_form(**bad), visit.pk)
    assert field in refused.value.field_errors
    visit.refresh_from_db()
    assert visit.status == "scheduled" and visit.concerns == "" and visit.actions == ""


def test_cancelled_and_recorded_visits_cannot_be_moved_or_cancelled_again(cohort, placement):
    visit = plan(cohort.academic, placement)
    services.cancel(cohort.academic, placement.pk, visit.pk)
    with pytest.raises(Conflict):
        services.cancel(cohort.academic, placement.pk, visit.pk)
    with pytest.raises(Conflict):
        services.record(cohort.academic, placement.pk, record_form(), visit.pk)
    with pytest.raises(Conflict):
        services.schedule(cohort.academic, placement.pk, form(day=TODAY.isoformat(), time="10:00"), visit.pk)


# --- the alert, the evidence report ------------------------------------------------------------------


def test_no_visit_by_midterm_is_an_alert_on_the_dashboard_until_a_visit_is_recorded(cohort, placement):
    rows = {r.placement.pk: r for r in dashboard.rows(cohort.coordinator)}
    assert "no_visit" in rows[placement.pk].alerts.kinds
    other = fieldlog.placement_for(cohort.other_student)  # no dates: no mid-term to miss
    assert "no_visit" not in rows[other.pk].alerts.kinds
    # A visit only planned is not a visit made.
    plan(cohort.academic, placement)
    assert "no_visit" in {r.placement.pk: r for r in dashboard.rows(cohort.academic)}[placement.pk].alerts.kinds
    services.record(cohort.academic, placement.pk, record_form(day=(TODAY - timedelta(days=2)).isoformat(),
                                                               time="10:00"))
    row = {r.placement.pk: r for r in dashboard.rows(cohort.academic)}[placement.pk]
    assert "no_visit" not in row.alerts.kinds and row.visits == (1, TODAY - timedelta(days=2))


def test_the_agency_supervisors_dashboard_carries_no_visit_alert(cohort, placement):
    placement.agency_supervisor = cohort.agency.person
    placement.save()
    rows = dashboard.rows(cohort.agency)
    assert rows and all("no_visit" not in r.alerts.kinds for r in rows)


def test_the_midterm_evaluation_due_date_stands_for_midterm_without_placement_dates(cohort, placement,
                                                                                   monkeypatch):
    Placement.objects.filter(pk=placement.pk).update(starts_on=None, ends_on=None)
    monkeypatch.setattr(services, "midterm_due", lambda course: TODAY - timedelta(days=1))
    rows = {r.placement.pk: r for r in dashboard.rows(cohort.coordinator)}
    assert "no_visit" in rows[placement.pk].alerts.kinds


def test_visits_count_in_the_evidence_report(cohort, placement):
    for days in (30, 5):
        services.record(cohort.academic, placement.pk, record_form(day=(TODAY - timedelta(days=days)).isoformat(),
                                                                   time="10:00"))
    cancelled = plan(cohort.academic, placement)
    services.cancel(cohort.academic, placement.pk, cancelled.pk)
    found = {s.placement.pk: s for s in evidence.report(cohort.coordinator)}
    assert found[placement.pk].visits == (2, TODAY - timedelta(days=5))
    assert found[fieldlog.placement_for(cohort.other_student).pk].visits == (0, None)


# --- the calendar feed ---------------------------------------------------------------------------


def feed_of(actor):
    return calendars.feed_for(calendars.actor_for_feed(calendars.feed_token(actor).key)).decode()


def test_the_feed_shows_a_visit_to_the_student_and_the_liaison_not_to_others(cohort, placement):
    visit = plan(cohort.academic, placement, kind="virtual", meeting_link="https://meet.google.com/abc-defg-hij")
    uid = f"UID:site-visit-{visit.pk}@maydan"
    student, liaison = feed_of(cohort.student), feed_of(cohort.academic)
    assert uid in student and "زيارة افتراضية: Hope Family Centre" in student  # the course's language
    assert uid in liaison and "زيارة افتراضية: Sara Adel" in liaison and "https://meet.google.com/abc-defg-hij" in liaison
    assert uid not in feed_of(cohort.other_student)
    assert uid not in feed_of(cohort.coordinator)  # not theirs to attend: their dashboard shows it
    services.cancel(cohort.academic, placement.pk, visit.pk)
    again = feed_of(cohort.student)
    assert uid in again and "SEQUENCE:1" in again and "STATUS:CANCELLED" in again


# --- the screens (inside the cohort screens, in every adapter) --------------------------------------


def post(actor, language="en", **values):
    return cohort_screens.handle(Screen(actor=actor, language=language, activity="cohort", endpoint="/x"),
                                 form(**values))


@pytest.mark.parametrize("language, heading", [("en", "Site visits"), ("ar", "الزيارات الميدانية")])
def test_the_visit_screens_in_both_languages(cohort, placement, language, heading):
    status, html = post(cohort.academic, language, view="visits")
    assert status == 200 and heading in html and 'data-alert="no_visit"' in html
    status, html = post(cohort.academic, language, view="visit", placement=placement.pk)
    assert status == 200 and heading in html and 'value="schedule_visit"' in html


def test_planning_and_recording_through_the_screen(cohort, placement):
    day = (TODAY + timedelta(days=3)).isoformat()
    status, html = post(cohort.academic, action="schedule_visit", view="visit", placement=placement.pk, which="plan",
                        kind="on_site", day=day, time="10:00", minutes="60")
    assert status == 200 and "Visit planned" in html and 'data-status="scheduled"' in html
    visit = SiteVisit.objects.get()
    status, html = post(cohort.academic, action="record_visit", view="visit", placement=placement.pk,
                        visit=visit.pk, which=str(visit.pk), met="student", progress="at_risk",
                        concerns="Call the mother at 01012345678.")
    assert status == 400 and "phone number" in html and 'id="err-concerns"' in html
    assert html.count('id="err-concerns"') == 1  # only the form that was posted shows it
    assert SiteVisit.objects.get().status == "scheduled"


@pytest.mark.parametrize("who, status", [("student", 403), ("agency", 403)])
def test_others_are_refused_the_visit_screens(cohort, placement, who, status):
    found, html = post(getattr(cohort, who), view="visits")
    assert found == status and 'value="schedule_visit"' not in html
    found, _html = post(getattr(cohort, who), action="schedule_visit", view="visit", placement=placement.pk,
                        day=TODAY.isoformat(), time="10:00")
    assert found in (403, 404) and not SiteVisit.objects.exists()
