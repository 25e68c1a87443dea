"""Signing off many entries at once: a week approved by the agency, entries countersigned in bulk.

Each entry goes through the single-entry service, so each keeps its checks and its own audit row.
"""
from datetime import date, timedelta

import pytest
from django.utils import translation

from maydan import fieldlog, vocab
from maydan.fieldlog import links
from maydan.errors import Forbidden, Invalid, NotFound
from maydan.models import AuditEvent, LogEntry
from tests.conftest import entry_form

MONDAY = date.today() - timedelta(days=date.today().weekday() + 14)  # a whole week, two weeks ago


def week_of(actor, *, days=(0, 2, 4), submit=True):
    return [
        fieldlog.save_entry(actor, entry_form(date=(MONDAY + timedelta(days=d)).isoformat()), submit=submit)
        for d in days
    ]


def statuses(entries):
    return [LogEntry.objects.get(pk=e.pk).status for e in entries]


def test_agency_link_approves_a_whole_week_each_entry_audited(cohort):
    week = week_of(cohort.student)
    next_week = fieldlog.save_entry(cohort.student, entry_form(date=(MONDAY + timedelta(days=7)).isoformat()),
                                    submit=True)
    draft = fieldlog.save_entry(cohort.student, entry_form(date=(MONDAY + timedelta(days=5)).isoformat()))
    _link, token = links.issue(cohort.academic, week[0].placement_id, days=7)
    agency = links.open_link(token)

    batch = fieldlog.approve_week(agency, week[0].placement_id, MONDAY + timedelta(days=3))

    assert sorted(e.pk for e in batch.done) == sorted(e.pk for e in week) and batch.refused == []
    assert statuses(week) == [vocab.APPROVED] * 3
    assert statuses([next_week, draft]) == [vocab.SUBMITTED, vocab.DRAFT]  # other weeks and drafts untouched
    approvals = AuditEvent.objects.filter(action="approve")
    assert sorted(a.entry_id for a in approvals) == sorted(e.pk for e in week)
    assert all(a.via.startswith("agency link") for a in approvals)


def test_agency_supervisor_with_an_account_approves_their_students_week(cohort):
    week = week_of(cohort.student)
    batch = fieldlog.approve_week(cohort.agency, week[0].placement_id, MONDAY)
    assert len(batch.done) == 3 and statuses(week) == [vocab.APPROVED] * 3


def test_link_of_another_placement_cannot_approve_a_week(cohort):
    theirs = week_of(cohort.other_student)
    mine = fieldlog.save_entry(cohort.student, entry_form(), submit=True)
    _link, token = links.issue(cohort.academic, mine.placement_id, days=7)
    with pytest.raises(NotFound):
        fieldlog.approve_week(links.open_link(token), theirs[0].placement_id, MONDAY)
    assert statuses(theirs) == [vocab.SUBMITTED] * 3
    assert not AuditEvent.objects.filter(action="approve").exists()


def test_agency_supervisor_of_other_students_cannot_approve_their_week(cohort):
    theirs = week_of(cohort.other_student)  # Omar has no agency supervisor assigned
    with pytest.raises(NotFound):
        fieldlog.approve_week(cohort.agency, theirs[0].placement_id, MONDAY)
    assert statuses(theirs) == [vocab.SUBMITTED] * 3


def test_student_cannot_approve_their_own_week(cohort):
    week = week_of(cohort.student)
    with pytest.raises(Forbidden):
        fieldlog.approve_week(cohort.student, week[0].placement_id, MONDAY)
    assert statuses(week) == [vocab.SUBMITTED] * 3


@pytest.mark.parametrize("day", [None, "", "2026-13-01", "monday"])
def test_approve_week_refuses_a_missing_or_bad_day(cohort, day):
    week = week_of(cohort.student)
    with pytest.raises(Invalid) as refused:
        fieldlog.approve_week(cohort.agency, week[0].placement_id, day)
    assert "week" in refused.value.field_errors
    assert statuses(week) == [vocab.SUBMITTED] * 3


def test_approve_week_with_nothing_waiting_says_so(cohort):
    week_of(cohort.student, submit=False)
    placement = fieldlog.placement_for(cohort.student)
    with pytest.raises(Invalid):
        fieldlog.approve_week(cohort.agency, placement.pk, MONDAY)
    assert not AuditEvent.objects.filter(action="approve").exists()


def test_academic_countersigns_chosen_entries_and_unapproved_ones_are_refused_with_a_reason(cohort):
    week = week_of(cohort.student, days=(0, 1, 2, 3))
    for entry in week[:3]:
        fieldlog.approve_entry(cohort.agency, entry.pk)
    fieldlog.countersign_entry(cohort.academic, week[2].pk)

    with translation.override("en"):
        batch = fieldlog.countersign_entries(cohort.coordinator, [str(e.pk) for e in week])

    assert sorted(e.pk for e in batch.done) == sorted([week[0].pk, week[1].pk])
    refused = dict(batch.refused)
    assert set(refused) == {week[2].pk, week[3].pk}
    assert "approved by the agency" in refused[week[3].pk]
    assert statuses(week) == [vocab.COUNTERSIGNED] * 3 + [vocab.SUBMITTED]
    assert AuditEvent.objects.filter(action="countersign").count() == 3  # one earlier, two now


def test_academic_countersigns_a_students_week(cohort):
    week = week_of(cohort.student)
    fieldlog.approve_week(cohort.agency, week[0].placement_id, MONDAY)
    batch = fieldlog.countersign_week(cohort.academic, week[0].placement_id, MONDAY)
    assert len(batch.done) == 3 and statuses(week) == [vocab.COUNTERSIGNED] * 3


@pytest.mark.parametrize("who", ["student", "agency", "link"])
def test_only_course_supervisors_countersign_in_bulk(cohort, who):
    week = week_of(cohort.student)
    fieldlog.approve_week(cohort.agency, week[0].placement_id, MONDAY)
    if who == "link":
        actor = links.open_link(links.issue(cohort.academic, week[0].placement_id)[1])
    else:
        actor = getattr(cohort, who)
    with pytest.raises(Forbidden):
        fieldlog.countersign_entries(actor, [e.pk for e in week])
    with pytest.raises(Forbidden):
        fieldlog.countersign_week(actor, week[0].placement_id, MONDAY)
    assert statuses(week) == [vocab.APPROVED] * 3


@pytest.mark.parametrize("ids", [[], ["x"], [None], ["1", "two"]])
def test_countersign_refuses_a_bad_selection_and_writes_nothing(cohort, ids):
    week = week_of(cohort.student)
    fieldlog.approve_week(cohort.agency, week[0].placement_id, MONDAY)
    with pytest.raises(Invalid):
        fieldlog.countersign_entries(cohort.academic, ids)
    assert statuses(week) == [vocab.APPROVED] * 3


def test_entries_of_another_course_are_refused_not_signed(cohort):
    other = cohort.enter("s9", "student", "Mona")  # same course; then one in another course
    from maydan import people, roles
    stranger = people.enter("https://other.example", "c2", "s1", {roles.STUDENT}, name="X")
    foreign = fieldlog.save_entry(stranger, entry_form(), submit=True)
    own = fieldlog.save_entry(other, entry_form(), submit=True)
    batch = fieldlog.countersign_entries(cohort.academic, [foreign.pk, own.pk])
    assert batch.done == [] and {pk for pk, _m in batch.refused} == {foreign.pk, own.pk}
    assert statuses([foreign, own]) == [vocab.SUBMITTED, vocab.SUBMITTED]


def test_nobody_approves_or_countersigns_their_own_week_in_bulk(cohort):
    """A person a platform gives a student's and a supervisor's role: each of their own entries is
    refused by the single-entry services' own-work check, reported, and left as it was."""
    from maydan import people, roles
    dual = people.enter(cohort.issuer, cohort.context, "dual", {roles.STUDENT, roles.ACADEMIC}, name="Dual Person")
    author = people.Actor(course=cohort.course, person=dual.person, roles=frozenset({roles.STUDENT}))
    week = week_of(author)
    batch = fieldlog.approve_week(dual, week[0].placement_id, MONDAY)
    assert batch.done == [] and len(batch.refused) == 3
    assert statuses(week) == [vocab.SUBMITTED] * 3
    for entry in week:
        fieldlog.approve_entry(cohort.academic, entry.pk)
    batch = fieldlog.countersign_week(dual, week[0].placement_id, MONDAY)
    assert batch.done == [] and len(batch.refused) == 3
    assert statuses(week) == [vocab.APPROVED] * 3
    assert not AuditEvent.objects.filter(action="countersign").exists()
