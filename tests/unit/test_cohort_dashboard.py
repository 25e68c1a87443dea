"""The cohort dashboard: hours against targets, alerts, filters, who may see it, and its query count."""
from datetime import datetime, time, timedelta, timezone as tz

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from maydan import people, roles, vocab
from maydan.cohort import dashboard, rules, screens
from maydan.errors import Forbidden
from maydan.models import Agency, Evaluation, LogEntry, Placement, SimulationAttempt
from maydan.ui import Screen
from tests.conftest import form
from tests.unit.cohort_seed import seed


def entry(placement, day, minutes, status=vocab.APPROVED, *, kind="home_visit", competencies=(6,), sent=None):
    return LogEntry.objects.create(placement=placement, date=day, minutes=minutes, activity_type=kind,
                                   modality="in_person", time_kind="direct", competencies=list(competencies),
                                   status=status, submitted_at=sent or datetime.combine(day, time(18), tz.utc))


@pytest.fixture
def placed(cohort):
    """Sara at Hope (agency supervisor Rami) and Omar at the hospital, both on 1 Feb – 31 May 2025."""
    hope = Agency.objects.create(course=cohort.course, name="Hope Family Centre")
    hospital = Agency.objects.create(course=cohort.course, name="Cairo University Hospital")
    start, end = dashboard.today_in(cohort.course) - timedelta(days=60), None
    end = start + timedelta(days=119)
    for subject, agency in (("s1", hope), ("s2", hospital)):
        Placement.objects.filter(course=cohort.course, student__subject=subject).update(
            host_agency=agency, agency=agency.name, starts_on=start, ends_on=end, target_hours=400,
            academic_supervisor=cohort.academic.person)
    cohort.sara = Placement.objects.get(course=cohort.course, student__subject="s1")
    cohort.omar = Placement.objects.get(course=cohort.course, student__subject="s2")
    cohort.hope, cohort.hospital, cohort.start = hope, hospital, start
    return cohort


def by_student(rows):
    return {row.student.subject: row for row in rows}


def test_hours_against_target_and_what_is_done(placed):
    today = dashboard.today_in(placed.course)
    monday = rules.week_of(placed.start) + timedelta(days=7)
    entry(placed.sara, monday, 13 * 60, competencies=(6, 7))  # a 13 h day
    for offset in range(1, 4):
        entry(placed.sara, monday + timedelta(days=offset), 10 * 60)  # 43 h that week
    entry(placed.sara, today - timedelta(days=2), 120, vocab.SUBMITTED)
    entry(placed.sara, today - timedelta(days=12), 90, vocab.SUBMITTED,
          sent=datetime.now(tz.utc) - timedelta(days=10))  # waiting 10 days
    entry(placed.sara, today - timedelta(days=3), 600, vocab.DRAFT)  # drafts count nowhere
    Evaluation.objects.create(placement=placed.sara, form="midterm", status=Evaluation.RELEASED)
    Evaluation.objects.create(placement=placed.sara, form="final")  # not released: not done
    SimulationAttempt.objects.create(course=placed.course, student=placed.sara.student, scenario="x", number=1,
                                     node="end", status="finished")
    SimulationAttempt.objects.create(course=placed.course, student=placed.sara.student, scenario="x", number=2,
                                     node="start")
    sara = by_student(dashboard.rows(placed.coordinator))["s1"]
    assert (sara.bar.approved_hours, sara.bar.pending_hours, sara.bar.target_hours) == (43.0, 3.5, 400.0)
    assert sara.last_entry == today - timedelta(days=2)
    assert (sara.evaluations_done, sara.simulations_done) == (1, 1)
    assert dict(sara.competency_hours())["7"] == 13.0 and dict(sara.competency_hours())["6"] == 43.0
    assert dict(sara.category_hours())["home_visit"] == 43.0 and dict(sara.category_hours())["direct"] == 43.0
    # 60 days into a 120-day period, 43 h of 400 is well behind an even pace (200 h).
    assert sara.alerts.behind and sara.alerts.overdue == 1
    assert sara.alerts.bunched_days == (monday,) and sara.alerts.bunched_weeks == (monday,)
    assert sara.status == "behind"


def test_the_database_applies_the_same_bunching_rule(placed):
    monday = rules.week_of(placed.start) + timedelta(days=14)
    days = {monday: 12 * 60, monday + timedelta(days=1): 12 * 60 + 1, monday + timedelta(days=2): 16 * 60,
            monday + timedelta(days=7): 8 * 60}
    for day, minutes in days.items():
        entry(placed.omar, day, minutes)
    omar = by_student(dashboard.rows(placed.coordinator))["s2"]
    assert (list(omar.alerts.bunched_days), list(omar.alerts.bunched_weeks)) == rules.bunched(days)


def test_on_track_and_complete(placed):
    today = dashboard.today_in(placed.course)
    for offset in range(14):
        entry(placed.omar, today - timedelta(days=offset + 1), 15 * 60)  # 210 h: on pace, 15 h a day
    omar = by_student(dashboard.rows(placed.coordinator))["s2"]
    assert not omar.alerts.behind and omar.status == "on_track"
    # Past mid-term without a site visit recorded, too.
    assert omar.alerts.bunched_days and omar.alerts.kinds == [rules.BUNCHED_DAY, rules.BUNCHED_WEEK, rules.NO_VISIT]
    Placement.objects.filter(pk=placed.omar.pk).update(target_hours=200)
    assert by_student(dashboard.rows(placed.coordinator))["s2"].status == "complete"


def test_filters_by_agency_supervisor_status_and_name(placed):
    entry(placed.omar, dashboard.today_in(placed.course) - timedelta(days=1), 13 * 60)
    names = lambda **f: sorted(by_student(dashboard.rows(placed.coordinator, **f)))  # noqa: E731
    assert names() == ["s1", "s2"]
    assert names(agency=str(placed.hope.pk)) == ["s1"]
    assert names(supervisor=str(placed.agency.person.pk)) == ["s1"]
    assert names(supervisor=str(placed.academic.person.pk)) == ["s1", "s2"]
    assert names(status="alerts") == ["s1", "s2"]  # both behind
    assert names(status="complete") == []
    assert names(student="omar") == ["s2"]
    assert names(agency="nonsense", status="nonsense") == ["s1", "s2"]  # unknown filters filter nothing


def test_agency_supervisor_sees_only_their_students_and_students_nothing(placed):
    assert sorted(by_student(dashboard.rows(placed.agency))) == ["s1"]
    assert sorted(by_student(dashboard.rows(placed.academic))) == ["s1", "s2"]
    with pytest.raises(Forbidden):
        dashboard.rows(placed.student)
    link = people.Actor(course=placed.course, person=None, roles=frozenset({roles.AGENCY}),
                        link_placement=placed.sara, via="agency link 1")
    with pytest.raises(Forbidden):
        dashboard.rows(link)


def _screen(actor, language="ar", **extra):
    return Screen(actor=actor, language=language, activity="cohort", endpoint="/act", **extra)


def test_dashboard_screen_in_arabic_with_bars_charts_and_alerts(placed):
    entry(placed.sara, dashboard.today_in(placed.course) - timedelta(days=1), 13 * 60)
    html = screens.render(_screen(placed.coordinator))
    with translation.override("ar"):
        assert "لوحة متابعة الدفعة" in html and "متأخر عن الجدول" in html and "أكثر من 12 ساعة في يوم واحد" in html
    assert html.count("<svg") == 2 and 'direction="rtl"' in html
    assert html.count('role="progressbar"') == 2 and 'data-alert="bunched_day"' in html
    assert "المؤسسات والتنسيب" in html  # the coordinator's own section
    status, html = screens.handle(_screen(placed.coordinator, "en"),
                                  form(action="view", view="student", placement=placed.sara.pk))
    assert status == 200 and "Sara Adel" in html and "Days over 12 h" in html and html.count("<svg") == 2
    status, html = screens.handle(_screen(placed.coordinator, "en"), form(action="view", agency=placed.hospital.pk))
    assert "Omar Nabil" in html and "Sara Adel" not in html


def test_dashboard_screen_refused_to_students(placed):
    html = screens.render(_screen(placed.student, "en"))
    assert "Only the field coordinator and supervisors may see the cohort." in html and "Omar Nabil" not in html
    assert "Sara Adel" not in html.split("</header>", 1)[1]  # her own name heads the screen, no row of hers
    status, _html = screens.handle(_screen(placed.student, "en"), form(action="view"))
    assert status == 403
    agency_html = screens.render(_screen(placed.agency, "en"))
    assert "Sara Adel" in agency_html and "Omar Nabil" not in agency_html
    assert "Accreditation evidence" not in agency_html and "Exports" not in agency_html


def _queries(actor, make):
    make()  # warm the content library and the caches
    with CaptureQueriesContext(connection) as captured:
        make()
    return len(captured)


def test_query_count_does_not_grow_with_the_cohort(db):
    small = seed("https://lms.example.edu", "small", 3, entries=10)[0]
    large = seed("https://lms.example.edu", "large", 12, entries=10)[0]
    for make in (lambda a: dashboard.rows(a), lambda a: screens.render(_screen(a))):
        counts = [_queries(a, lambda: make(a)) for a in (small, large)]
        assert counts[0] == counts[1] and counts[0] <= 12, counts


def test_the_database_counts_overdue_approvals_as_the_rule_does(placed):
    """Waiting "more than 7 days" is counted in the course's own time zone (Cairo), to the day."""
    from zoneinfo import ZoneInfo

    cairo, today = ZoneInfo("Africa/Cairo"), dashboard.today_in(placed.course)
    sent = [datetime.combine(today - timedelta(days=7), time(0, 30), cairo),  # 7 days: not yet
            datetime.combine(today - timedelta(days=8), time(23, 30), cairo),  # 8 days: overdue
            datetime.combine(today - timedelta(days=30), time(12), cairo)]
    for moment in sent:
        entry(placed.omar, moment.date(), 60, vocab.SUBMITTED, sent=moment)
    omar = by_student(dashboard.rows(placed.coordinator))["s2"]
    assert omar.alerts.overdue == rules.overdue([m.date() for m in sent], today) == 2
