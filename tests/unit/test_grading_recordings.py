"""Process recordings: verbatim rows, a pseudonymous client, supervisor comments, deletion after retention."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from maydan.errors import Conflict, Forbidden, Invalid, NotFound
from maydan.grading import recordings, services
from maydan.grading.models import ProcessRecording
from maydan.models import AuditEvent
from tests.conftest import form

ROWS = {"worker_0": "Good morning, what brings you here today?", "client_0": "My son stopped going to school.",
        "thoughts_0": "I felt the mother's worry and wanted to reassure her too fast.", "skill_0": "Open question",
        "worker_1": "You are worried about him.", "client_1": "Yes, very.", "skill_1": "Reflection of feeling"}


def recording_form(**changes):
    values = dict(ROWS, date=(date.today() - timedelta(days=2)).isoformat(), client_code="C-031",
                  purpose="First interview with the mother.")
    values.update(changes)
    return form(**values)


@pytest.fixture
def placement(cohort):
    return cohort.student.person.placements.get()


def test_student_writes_submits_and_supervisors_comment_per_row(cohort, placement):
    draft = recordings.save(cohort.student, recording_form())
    assert [r["skill"] for r in draft.rows] == ["Open question", "Reflection of feeling"]
    assert recordings.recordings(cohort.academic, placement) == []    # drafts stay the student's
    recordings.save(cohort.student, recording_form(), recording_id=draft.pk, submit=True)
    recordings.comment(cohort.agency, draft.pk, form(comment_0="Good opening; slow down before reassuring."))
    recordings.comment(cohort.academic, draft.pk, form(comment_1="Feeling reflected well."))
    [shown] = recordings.recordings(cohort.student, placement)
    assert [r["comment"] for r in shown.rows] == ["Good opening; slow down before reassuring.", "Feeling reflected well."]
    with pytest.raises(Conflict):
        recordings.save(cohort.student, recording_form(), recording_id=draft.pk)
    assert AuditEvent.objects.filter(action="recording_comment").count() == 2


def test_identifiers_are_refused_and_nothing_is_stored(cohort):
    for bad in (dict(client_code="Ahmed Ali"), dict(client_0="Call me on 01012345678"),
                dict(thoughts_1="The client Ahmed cried."), dict(date="2999-01-01")):
        with pytest.raises(Invalid):
            recordings.save(cohort.student, recording_form(**bad))
    with pytest.raises(Invalid):
        recordings.save(cohort.student, form(date=date.today().isoformat(), client_code="C-1"), submit=True)
    assert not ProcessRecording.objects.exists()


def test_roles_and_visibility(cohort, placement):
    recording = recordings.save(cohort.student, recording_form(), submit=True)
    with pytest.raises(Forbidden):
        recordings.save(cohort.academic, recording_form())
    with pytest.raises(NotFound):
        recordings.comment(cohort.other_student, recording.pk, form(comment_0="x"))
    stranger = cohort.enter("m2", "agency_supervisor", "Another agency")
    with pytest.raises(NotFound):
        recordings.comment(stranger, recording.pk, form(comment_0="x"))
    with pytest.raises(Forbidden):
        recordings.comment(cohort.student, recording.pk, form(comment_0="self praise"))
    with pytest.raises(Invalid):
        recordings.comment(cohort.academic, recording.pk, form(comment_0="Ask Mrs. Huda Kamel about it"))


def test_recordings_are_deleted_after_the_retention_period_with_an_audit_row(cohort, placement):
    services.configure(cohort.academic, rule="weighted_mean", agency_weight=1, academic_weight=1, threshold=1,
                       show_both_voices="1", retention_days=30)
    old = recordings.save(cohort.student, recording_form(), submit=True)
    ProcessRecording.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    recent = recordings.save(cohort.student, recording_form(client_code="C-032"), submit=True)
    assert [r.pk for r in recordings.recordings(cohort.academic, placement)] == [recent.pk]
    deleted = AuditEvent.objects.get(action="recording_delete")
    assert deleted.via == "retention" and deleted.changes["recording"] == old.pk and deleted.actor is None
    assert recordings.purge_expired(cohort.course) == 0
    with pytest.raises(Invalid):
        services.configure(cohort.academic, rule="weighted_mean", agency_weight=1, academic_weight=1, threshold=1,
                           show_both_voices="1", retention_days="0")


def test_the_daily_purge_reaches_courses_nobody_opens(cohort, placement):
    from io import StringIO

    from django.core.management import call_command

    old = recordings.save(cohort.student, recording_form(), submit=True)
    ProcessRecording.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    kept = recordings.save(cohort.student, recording_form(client_code="C-032"), submit=True)
    out = StringIO()
    call_command("purge_recordings", stdout=out)
    assert out.getvalue().strip() == "1 recording(s) deleted"
    assert list(ProcessRecording.objects.values_list("pk", flat=True)) == [kept.pk]
    assert AuditEvent.objects.get(action="recording_delete").changes["recording"] == old.pk
