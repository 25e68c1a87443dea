"""The program generator (maydan.demo_program) makes a coherent program: everyone placed with both
supervisors and a term, each entry's history ending in its state, and every screen drawn for it."""
from collections import Counter

import pytest

from maydan import demo_program, ui, vocab
from maydan.cohort import screens as cohort_screens
from maydan.fieldlog import screens as fieldlog_screens
from maydan.grading import screens as grading_screens
from maydan.models import (Attendance, AuditEvent, Evaluation, LogEntry, Membership, Offer, Placement, Scoresheet,
                           SimulationAttempt)
from maydan.program import screens as program_screens
from maydan.sessions import calendars

N, COURSES, GROUP, ENTRIES = 46, 4, 12, 30


@pytest.fixture
def made(db):
    return demo_program.build(N, courses=COURSES, group=GROUP, entries=ENTRIES, say=lambda *_: None)


def test_course_sizes_share_the_students_with_a_large_course_first():
    assert demo_program.course_sizes(5000) == [500] + [156] * 5 + [155] * 24
    assert demo_program.course_sizes(500) == [60] + [16] * 5 + [15] * 24
    assert sum(demo_program.course_sizes(31)) == 31 and min(demo_program.course_sizes(31)) == 1
    assert demo_program.course_sizes(3) == [1, 1, 1]
    assert demo_program.course_sizes(5000, courses=1) == [5000]


def test_every_student_is_placed_with_both_supervisors_and_a_term(made):
    placements = Placement.objects.filter(course__in=made.courses)
    assert placements.count() == N == len(set(placements.values_list("student_id", flat=True)))
    assert not placements.filter(academic_supervisor=None).exists()
    assert not placements.filter(agency_supervisor=None).exists()
    assert not placements.filter(host_agency=None).exists()
    for placement in placements.select_related("academic_supervisor", "agency_supervisor"):
        # Each supervisor is a member of the course in their role; the student too.
        course = placement.course_id
        assert Membership.objects.filter(course=course, person=placement.student_id, role="student").exists()
        assert Membership.objects.filter(course=course, person=placement.academic_supervisor_id,
                                         role="academic_supervisor").exists()
        assert Membership.objects.filter(course=course, person=placement.agency_supervisor_id,
                                         role="agency_supervisor").exists()
    terms = Offer.objects.filter(placement__in=placements, status="accepted").values_list("opening__term", flat=True)
    assert len(terms) == N and len(set(terms)) == 2
    # The busiest agency supervisor has a whole group; the coordinator is in every course.
    assert placements.filter(agency_supervisor=made.mentor.person).count() == GROUP
    assert Membership.objects.filter(person=made.coordinator.person, role="coordinator").count() == COURSES


def test_each_student_has_the_work_of_a_term(made):
    placements = Placement.objects.filter(course__in=made.courses)
    per_placement = Counter(LogEntry.objects.filter(placement__in=placements).values_list("placement_id", flat=True))
    assert set(per_placement.values()) == {ENTRIES}
    running = LogEntry.objects.filter(placement__course=made.large)
    assert set(running.values_list("status", flat=True)) >= {
        vocab.DRAFT, vocab.SUBMITTED, vocab.APPROVED, vocab.COUNTERSIGNED, vocab.RETURNED}
    assert Evaluation.objects.filter(placement__in=placements).count() == 2 * N
    assert Scoresheet.objects.filter(evaluation__placement__in=placements).count() == 4 * N
    assert SimulationAttempt.objects.filter(course__in=made.courses, status="finished").count() == 4 * N
    assert Attendance.objects.filter(session__course__in=made.courses).exists()


def test_each_entrys_history_leads_to_its_state(made):
    history = {}
    for entry_id, changes in AuditEvent.objects.filter(entry__placement__course=made.large).order_by(
            "at", "id").values_list("entry_id", "changes"):
        if "status" in changes:
            before, after = changes["status"]
            assert history.get(entry_id, vocab.DRAFT) == before
            history[entry_id] = after
        else:
            assert entry_id not in history  # created first
    for entry_id, status in LogEntry.objects.filter(placement__course=made.large).values_list("id", "status"):
        assert history.get(entry_id, vocab.DRAFT) == status


def _draw(render, actor, **screen):
    html = render(ui.Screen(actor=actor, language="ar", endpoint="/act", **screen))
    assert "refused" not in html.lower()[:2000]
    return html


def test_the_screens_draw_for_the_program(made):
    assert _draw(fieldlog_screens.render, made.mentor).count("data-placement=") == GROUP
    student_log = _draw(fieldlog_screens.render, made.student)
    assert student_log.count("data-entry=") or student_log.count("<article")
    dashboard = _draw(cohort_screens.render, made.coordinator, activity="cohort")
    assert dashboard.count(made.student.person.name) >= 1
    _draw(cohort_screens.render, made.coordinator, activity="cohort", view="evidence")
    queue = _draw(grading_screens.render, made.academic, activity="evaluation", key="midterm", view="queue")
    assert "<tr" in queue
    _draw(program_screens.render, made.coordinator, activity="program", view="history")
    feed = calendars.feed_for(calendars.actor_for_feed(calendars.feed_token(made.academic).key))
    assert feed.count(b"BEGIN:VEVENT") >= 3  # group supervision, the online class, site visits


def test_maydan_demo_program_builds_on_the_sandbox_course(db, capsys):
    from lti_tool import demo_setup

    demo_setup.prepare()
    made = demo_setup.prepare_program(40)
    assert made.large.context_id == "field-training-2"
    assert made.mentor.person.subject == "mentor" and made.academic.person.subject == "instructor"
    assert Placement.objects.filter(course=made.large, student__subject="student_1").exists()
    assert demo_setup.prepare_program(40) is None  # once
    assert "already there" in capsys.readouterr().out
