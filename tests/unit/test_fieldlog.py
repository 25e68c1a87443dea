"""The field log's rules and roles, through the core services every adapter calls."""
from datetime import date, timedelta

import pytest

from maydan import fieldlog, vocab
from maydan.errors import Conflict, Forbidden, Invalid, NotFound
from maydan.models import AuditEvent, LogEntry
from tests.conftest import entry_form


def submitted(cohort, **overrides):
    return fieldlog.save_entry(cohort.student, entry_form(**overrides), submit=True)


def test_student_saves_a_draft_then_submits(cohort):
    entry = fieldlog.save_entry(cohort.student, entry_form())
    assert entry.status == vocab.DRAFT and entry.minutes == 150
    fieldlog.submit_entry(cohort.student, entry.pk)
    entry.refresh_from_db()
    assert entry.status == vocab.SUBMITTED and entry.submitted_at
    assert [e.action for e in fieldlog.history(entry)] == ["create", "submit"]


def test_duration_without_times_and_hours_minutes_form(cohort):
    entry = fieldlog.save_entry(cohort.student, entry_form(start_time="", end_time="", duration="1:45"))
    assert entry.minutes == 105 and entry.start_time is None


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"date": "31/12/2025"}, "date"),
        ({"date": ""}, "date"),
        ({"date": (date.today() + timedelta(days=2)).isoformat()}, "date"),
        ({"start_time": "9h"}, "start_time"),
        ({"start_time": "11:00", "end_time": "10:00"}, "end_time"),
        ({"start_time": "", "end_time": "", "duration": "0"}, "duration"),
        ({"start_time": "", "end_time": "", "duration": str(16 * 60 + 1)}, "duration"),
        ({"start_time": "", "end_time": "", "duration": "ninety"}, "duration"),
        ({"start_time": "06:00", "end_time": "22:30"}, "duration"),
        ({"activity_type": "party"}, "activity_type"),
        ({"modality": ""}, "modality"),
        ({"meeting_link": "zoom.us/j/123", "modality": "remote"}, "meeting_link"),
        ({"meeting_link": "https://zoom.us/j/123", "modality": "in_person"}, "meeting_link"),
        ({"competencies": ["3", "12"]}, "competencies"),
        ({"client_code": "Mona Ali"}, "client_code"),
        ({"reflection": "x" * 20_001}, "reflection"),
        ({"description": "Visited client Ahmed at home"}, "description"),
        ({"reflection": "رقم هاتف الأم ٠١٠١٢٣٤٥٦٧٨"}, "reflection"),
    ],
)
def test_bad_input_is_refused_with_the_field_and_nothing_is_written(cohort, overrides, field):
    before = (LogEntry.objects.count(), AuditEvent.objects.count())
    with pytest.raises(Invalid) as refused:
        fieldlog.save_entry(cohort.student, entry_form(**overrides))
    assert field in refused.value.field_errors
    assert (LogEntry.objects.count(), AuditEvent.objects.count()) == before


def test_the_identifier_is_named_to_the_writer_but_never_stored(cohort):
    with pytest.raises(Invalid) as refused:
        fieldlog.save_entry(cohort.student, entry_form(reflection="Her number is 01112223334"))
    assert "01112223334" in refused.value.field_errors["reflection"][0]
    stored = [str(v) for v in LogEntry.objects.values_list("reflection", "description")] + [
        str(v) for v in AuditEvent.objects.values_list("changes", "comment")
    ]
    assert not any("01112223334" in s for s in stored)


def test_meeting_link_accepted_for_remote_work(cohort):
    entry = fieldlog.save_entry(
        cohort.student, entry_form(modality="remote", activity_type="e_therapy", meeting_link="https://zoom.us/j/82345678901")
    )
    assert entry.meeting_link.startswith("https://zoom.us/")


def test_overlapping_entries_are_refused_but_touching_ones_pass(cohort):
    fieldlog.save_entry(cohort.student, entry_form(start_time="09:00", end_time="11:00"))
    with pytest.raises(Invalid) as refused:
        fieldlog.save_entry(cohort.student, entry_form(start_time="10:30", end_time="12:00"))
    assert "09:00" in refused.value.message
    fieldlog.save_entry(cohort.student, entry_form(start_time="11:00", end_time="12:00"))
    # Another student's day is theirs.
    fieldlog.save_entry(cohort.other_student, entry_form(start_time="10:30", end_time="12:00"))


def test_withdrawn_entries_free_their_time(cohort):
    first = fieldlog.save_entry(cohort.student, entry_form())
    fieldlog.withdraw_entry(cohort.student, first.pk)
    fieldlog.save_entry(cohort.student, entry_form())
    assert LogEntry.objects.get(pk=first.pk).status == vocab.WITHDRAWN  # still on record


def test_agency_supervisor_approves_and_the_entry_locks(cohort):
    entry = submitted(cohort)
    fieldlog.approve_entry(cohort.agency, entry.pk, "Good work")
    entry.refresh_from_db()
    assert entry.status == vocab.APPROVED and entry.review_comment == "Good work"
    with pytest.raises(Conflict):
        fieldlog.save_entry(cohort.student, entry_form(description="changed"), entry_id=entry.pk)
    with pytest.raises(Conflict):
        fieldlog.withdraw_entry(cohort.student, entry.pk)
    assert fieldlog.progress(entry.placement).total.approved_minutes == 150


def test_returning_needs_a_comment_and_the_student_can_fix_and_resubmit(cohort):
    entry = submitted(cohort)
    with pytest.raises(Invalid):
        fieldlog.return_entry(cohort.agency, entry.pk, "   ")
    fieldlog.return_entry(cohort.agency, entry.pk, "Please add what you did")
    entry = fieldlog.save_entry(cohort.student, entry_form(description="Reviewed the plan with the family"),
                                entry_id=entry.pk, submit=True)
    assert entry.status == vocab.SUBMITTED
    assert [e.action for e in fieldlog.history(entry)] == ["create", "submit", "return", "edit", "submit"]
    edit = fieldlog.history(entry)[3]
    assert edit.changes["description"][1] == "Reviewed the plan with the family"
    assert edit.actor == cohort.student.person


def test_academic_supervisor_countersigns_or_reopens_with_a_reason(cohort):
    entry = submitted(cohort)
    fieldlog.approve_entry(cohort.agency, entry.pk)
    fieldlog.countersign_entry(cohort.academic, entry.pk)
    with pytest.raises(Invalid):
        fieldlog.reopen_entry(cohort.academic, entry.pk, "")
    fieldlog.reopen_entry(cohort.academic, entry.pk, "The times clash with your timetable")
    entry.refresh_from_db()
    assert entry.status == vocab.RETURNED
    assert fieldlog.progress(entry.placement).total.approved_minutes == 0


@pytest.mark.parametrize("who", ["student", "other_student"])
def test_students_may_not_review(cohort, who):
    entry = submitted(cohort)
    with pytest.raises((Forbidden, NotFound)):
        fieldlog.approve_entry(getattr(cohort, who), entry.pk)
    assert LogEntry.objects.get(pk=entry.pk).status == vocab.SUBMITTED


def test_agency_supervisor_sees_and_reviews_only_their_students(cohort):
    theirs = submitted(cohort)
    other = fieldlog.save_entry(cohort.other_student, entry_form(), submit=True)
    assert [p.student for p in fieldlog.visible_placements(cohort.agency)] == [cohort.student.person]
    with pytest.raises(NotFound):
        fieldlog.approve_entry(cohort.agency, other.pk)
    with pytest.raises(Forbidden):
        fieldlog.countersign_entry(cohort.agency, theirs.pk)
    with pytest.raises(Forbidden):
        fieldlog.save_entry(cohort.agency, entry_form())
    # Drafts are the student's own business.
    draft = fieldlog.save_entry(cohort.student, entry_form(start_time="13:00", end_time="14:00"))
    assert draft not in fieldlog.entries(cohort.agency, theirs.placement)


def test_students_cannot_touch_each_others_entries(cohort):
    entry = fieldlog.save_entry(cohort.student, entry_form())
    with pytest.raises(NotFound):
        fieldlog.submit_entry(cohort.other_student, entry.pk)
    with pytest.raises(NotFound):
        fieldlog.placement_for(cohort.other_student, entry.placement_id)


def test_week_submission_submits_only_that_weeks_drafts(cohort):
    day = date.today() - timedelta(days=14)
    monday = day - timedelta(days=day.weekday())
    in_week = [fieldlog.save_entry(cohort.student, entry_form(date=(monday + timedelta(days=i)).isoformat())) for i in (0, 6)]
    outside = fieldlog.save_entry(cohort.student, entry_form(date=(monday - timedelta(days=1)).isoformat()))
    assert len(fieldlog.submit_week(cohort.student, monday + timedelta(days=3))) == 2
    statuses = dict(LogEntry.objects.values_list("pk", "status"))
    assert [statuses[e.pk] for e in in_week] == [vocab.SUBMITTED] * 2 and statuses[outside.pk] == vocab.DRAFT
    with pytest.raises(Invalid):
        fieldlog.submit_week(cohort.student, monday)


def test_future_is_judged_in_the_course_time_zone(cohort):
    cohort.course.time_zone = "Pacific/Kiritimati"  # UTC+14: "tomorrow" for most of the world
    cohort.course.save()
    student = cohort.student.__class__(course=cohort.course, person=cohort.student.person, roles=cohort.student.roles)
    from maydan.fieldlog.input import today_in
    fieldlog.save_entry(student, entry_form(date=today_in("Pacific/Kiritimati").isoformat(), start_time="00:00", end_time="00:30"))


def test_targets_follow_program_course_and_placement(cohort):
    placement = fieldlog.placement_for(cohort.student)
    assert fieldlog.target_hours(placement) == 400
    cohort.course.program = "MSW"
    cohort.course.save()
    placement.refresh_from_db()
    assert fieldlog.target_hours(placement) == 900
    placement.target_hours = 120
    assert fieldlog.target_hours(placement) == 120


def test_overview_totals_and_filters(cohort):
    a = submitted(cohort)
    fieldlog.approve_entry(cohort.agency, a.pk)
    submitted(cohort, start_time="13:00", end_time="14:00")
    rows = {r.student.name: r for r in fieldlog.overview(cohort.academic)}
    assert set(rows) == {"Sara Adel", "Omar Nabil"}
    sara = rows["Sara Adel"]
    assert (sara.approved_hours, sara.pending_hours, sara.waiting, sara.to_countersign) == (2.5, 1.0, 1, 1)
    assert [r.student.name for r in fieldlog.overview(cohort.academic, status=vocab.SUBMITTED)] == ["Sara Adel"]
    assert [r.student.name for r in fieldlog.overview(cohort.academic, student="omar")] == ["Omar Nabil"]
    assert fieldlog.overview(cohort.academic, week=date.today() + timedelta(days=60)) == [] or all(
        r.approved_minutes == 0 for r in fieldlog.overview(cohort.academic, week=date.today() + timedelta(days=60))
    )


def test_overview_counts_each_status_in_its_column_and_the_last_entry_whatever_the_week(cohort):
    placement = fieldlog.placement_for(cohort.student)
    monday = date.today() - timedelta(days=date.today().weekday()) - timedelta(weeks=3)
    made = [  # (status, minutes, days after that monday)
        (vocab.APPROVED, 60, 0), (vocab.COUNTERSIGNED, 90, 1), (vocab.SUBMITTED, 30, 2), (vocab.SUBMITTED, 45, 8),
        (vocab.RETURNED, 20, 3), (vocab.DRAFT, 600, 4), (vocab.WITHDRAWN, 120, 15), (vocab.APPROVED, 15, 9),
    ]
    LogEntry.objects.bulk_create(
        LogEntry(placement=placement, date=monday + timedelta(days=day), minutes=minutes, status=status,
                 activity_type="interview", modality="in_person", time_kind="direct") for status, minutes, day in made)
    rows = {r.student.name: r for r in fieldlog.overview(cohort.academic)}
    sara, omar = rows["Sara Adel"], rows["Omar Nabil"]
    assert (sara.approved_minutes, sara.pending_minutes, sara.returned_minutes) == (165, 75, 20)
    assert (sara.waiting, sara.to_countersign, sara.last_entry) == (2, 2, monday + timedelta(days=9))
    assert (omar.approved_minutes, omar.waiting, omar.last_entry) == (0, 0, None)
    first_week = {r.student.name: r for r in fieldlog.overview(cohort.academic, week=monday + timedelta(days=2))}
    assert list(first_week) == ["Sara Adel"]  # Omar logged nothing that week
    sara = first_week["Sara Adel"]
    assert (sara.approved_minutes, sara.pending_minutes, sara.waiting, sara.to_countersign) == (150, 30, 1, 1)
    assert sara.last_entry == monday + timedelta(days=9)  # the week filters the totals, not when they last wrote
