"""The grade outbox: approvals queue the log's grade; delivery happens once, failures keep it queued."""
import pytest

from maydan import fieldlog, grades
from maydan.models import GradeOutbox
from tests.conftest import entry_form


@pytest.fixture
def destination(cohort):
    grades.register_destination(cohort.course, "xblock:log-1")
    return "xblock:log-1"


def test_approval_queues_the_score_and_supersedes_undelivered_ones(cohort, destination):
    a = fieldlog.save_entry(cohort.student, entry_form(start_time="08:00", end_time="12:00"), submit=True)
    b = fieldlog.save_entry(cohort.student, entry_form(start_time="13:00", end_time="17:00"), submit=True)
    fieldlog.approve_entry(cohort.agency, a.pk)
    fieldlog.approve_entry(cohort.agency, b.pk)
    row = grades.pending(destination, cohort.student.person)
    assert GradeOutbox.objects.count() == 1 and row.score == pytest.approx(8 / 400)


def test_delivery_marks_done_once_and_failure_keeps_the_grade(cohort, destination):
    entry = fieldlog.save_entry(cohort.student, entry_form(), submit=True)
    fieldlog.approve_entry(cohort.agency, entry.pk)
    row = grades.pending(destination, cohort.student.person)

    def platform_down(score):
        raise ConnectionError("platform unreachable")

    assert grades.deliver(row, platform_down) is False
    row.refresh_from_db()
    assert row.delivered_at is None and row.attempts == 1 and "unreachable" in row.last_error
    sent = []
    assert grades.deliver(row, sent.append) is True
    assert grades.deliver(row, sent.append) is False  # never applied twice
    assert sent == [pytest.approx(2.5 / 400)]
    assert grades.pending(destination, cohort.student.person) is None


def test_reopening_an_approved_entry_lowers_the_grade(cohort, destination):
    entry = fieldlog.save_entry(cohort.student, entry_form(), submit=True)
    fieldlog.approve_entry(cohort.agency, entry.pk)
    grades.deliver(grades.pending(destination, cohort.student.person), lambda s: None)
    fieldlog.reopen_entry(cohort.academic, entry.pk, "Wrong date")
    assert grades.pending(destination, cohort.student.person).score == 0
