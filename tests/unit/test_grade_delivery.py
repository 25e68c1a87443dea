"""The outbox's delivery bookkeeping: one sender at a time, exponential backoff, a grade changed in flight goes again."""
from datetime import timedelta

import pytest
from django.utils import timezone

from maydan import grades, people, roles
from maydan.errors import Forbidden, NotFound
from maydan.models import AuditEvent, GradeOutbox, Membership

LINE_ITEM = "https://lms.example.edu/lineitems/7"


@pytest.fixture
def row(cohort):
    grades.register_destination(cohort.course, LINE_ITEM)
    grades.queue_grade(cohort.course, cohort.student.person, "fieldlog", 0.5)
    return GradeOutbox.objects.get()


def test_a_claimed_row_is_not_claimed_again_until_its_lease_ends(row):
    taken = grades.claim(row)
    assert taken.score == 0.5 and grades.claim(row) is None
    assert grades.claim(row, now_or_never=True) is None  # not even on a person's request while in flight
    assert grades.due() == []


def test_failures_back_off_exponentially(row, settings):
    settings.MAYDAN_GRADE_RETRY_SECONDS = 10
    for attempt, wait in [(1, 10), (2, 20), (3, 40)]:
        GradeOutbox.objects.filter(pk=row.pk).update(next_attempt_at=None)
        taken = grades.claim(GradeOutbox.objects.get())
        assert grades.finish(taken, ConnectionError("down")) is False
        row.refresh_from_db()
        assert row.attempts == attempt and "down" in row.last_error
        assert abs((row.next_attempt_at - timezone.now()) - timedelta(seconds=wait)) < timedelta(seconds=2)
    assert grades.backoff(30) == grades.MAX_BACKOFF


def test_a_grade_changed_while_in_flight_is_sent_again(cohort, row):
    taken = grades.claim(row)
    grades.queue_grade(cohort.course, cohort.student.person, "fieldlog", 0.75)
    assert grades.finish(taken) is False
    assert grades.claim(row) is None  # the row in hand is stale: a worker reads the due rows again
    again = grades.claim(GradeOutbox.objects.get())
    assert again.score == 0.75 and grades.finish(again) is True
    assert GradeOutbox.objects.get().delivered_at is not None


def test_supervisors_see_delivery_and_resend(cohort, row):
    assert grades.deliver(row, lambda score: None)
    assert [r.pk for r in grades.delivery_status(cohort.academic, [LINE_ITEM])] == [row.pk]
    fresh = grades.resend(cohort.coordinator, row.pk)
    assert fresh.pk != row.pk and fresh.score == 0.5 and fresh.delivered_at is None
    assert AuditEvent.objects.filter(action="grade_resent").count() == 1
    assert grades.resend(cohort.academic, row.pk).pk == fresh.pk  # a waiting one is made due, not doubled


@pytest.mark.parametrize("who", ["student", "agency"])
def test_students_and_agency_supervisors_cannot_see_or_resend(cohort, row, who):
    actor = getattr(cohort, who)
    with pytest.raises(Forbidden):
        grades.delivery_status(actor, [LINE_ITEM])
    with pytest.raises(Forbidden):
        grades.resend(actor, row.pk)
    assert GradeOutbox.objects.count() == 1 and not AuditEvent.objects.filter(action="grade_resent").exists()


def test_resending_an_unknown_grade_is_a_404(cohort):
    with pytest.raises(NotFound):
        grades.resend(cohort.academic, 999)


def test_a_roster_enters_people_with_their_roles(cohort):
    members = [people.Member("s9", frozenset({roles.STUDENT}), "Mona Ali"),
               people.Member("m9", frozenset({roles.AGENCY}), "Agency Hana"),
               people.Member("x9", frozenset(), "Observer")]
    assert people.sync_roster(cohort.academic, lambda: members) == 2
    assert set(Membership.objects.filter(person__subject="s9").values_list("role", flat=True)) == {roles.STUDENT}
    assert not Membership.objects.filter(person__subject="x9").exists()
    assert AuditEvent.objects.filter(action="roster_synced").count() == 1


def test_a_student_cannot_sync_the_roster_and_nothing_is_fetched(cohort):
    fetched = []
    with pytest.raises(Forbidden):
        people.sync_roster(cohort.student, lambda: fetched.append(1) or [])
    assert fetched == [] and not AuditEvent.objects.filter(action="roster_synced").exists()
