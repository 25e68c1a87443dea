"""The Open edX gradebook channel: who can be named in edx-submissions, and who waits for their visit."""
from datetime import date, timedelta

import pytest
from opaque_keys.edx.locator import BlockUsageLocator

from maydan.models import GradeOutbox, LogEntry, OpenEdxBlock, OpenEdxLearner
from xblocks import gradebook as gradebook_channel

from .test_fieldlog_block import gradebook_score, submitted_entry
from .xbtools import COURSE_KEY, USAGE_KEY, LmsCourse, Person, lms_user


def test_a_student_the_lms_gave_no_anonymous_id_is_never_sent_and_gets_the_grade_on_their_visit(lms, gradebook):
    hoda = Person(lms, lms_user("anon-staff-hoda", role="staff", lang="en"))
    hoda.post_json("studio_submit", {"weight": 4, "target_hours": 10})
    nour = Person(lms, lms_user(None, name="Nour Ali", number="42"))
    rami = Person(lms, lms_user("anon-agency-rami", role="maydan:agency_supervisor", mentees=["42"]))
    entry_id = submitted_entry(nour)
    assert rami.act(action="approve", entry=entry_id).status_code == 200
    assert gradebook == [] and not OpenEdxLearner.objects.exists()
    row = GradeOutbox.objects.get()
    assert row.delivered_at is None and "anonymous id" in row.last_error   # the status says why
    nour.view()
    assert nour.published == [("grade", {"value": 1.0, "max_value": 4.0})]
    assert GradeOutbox.objects.get().delivered_at is not None and gradebook == []


def test_the_block_type_and_points_follow_the_block_and_the_next_grade_uses_them(lms, gradebook):
    hoda = Person(lms, lms_user("anon-staff-hoda", role="staff", lang="en"))
    sara = Person(lms, lms_user("anon-sara", name="Sara"))
    rami = Person(lms, lms_user("anon-agency-rami", role="maydan:agency_supervisor", mentees=["anon-sara"]))
    hoda.post_json("studio_submit", {"weight": 4, "target_hours": 10})
    first = submitted_entry(sara)
    rami.act(action="approve", entry=first)
    hoda.post_json("studio_submit", {"weight": 8})
    submitted_entry(sara, date=(date.today() - timedelta(days=8)).isoformat())
    assert rami.act(action="approve", entry=str(LogEntry.objects.exclude(pk=first).get().pk)).status_code == 200
    block = OpenEdxBlock.objects.get(destination=f"xblock:{USAGE_KEY}")
    assert (block.block_type, block.max_score) == ("maydan_fieldlog", 8.0)
    assert gradebook == [gradebook_score(1, 4, "anon-sara"), gradebook_score(4, 8, "anon-sara")]


def test_a_students_later_grade_follows_the_gradebook_score_the_lms_reads_first(lms, gradebook):
    """Once edx-submissions holds a score for the block, the LMS reads it before what runtime.publish sets:
    the student's own later grades must go there too, or the gradebook would keep the supervisor's."""
    from maydan import grades
    from maydan.models import Person as Someone

    hoda = Person(lms, lms_user("anon-staff-hoda", role="staff", lang="en"))
    sara = Person(lms, lms_user("anon-sara", name="Sara"))
    rami = Person(lms, lms_user("anon-agency-rami", role="maydan:agency_supervisor", mentees=["anon-sara"]))
    hoda.post_json("studio_submit", {"weight": 4, "target_hours": 10})
    rami.act(action="approve", entry=submitted_entry(sara))
    student = Someone.objects.get(subject="anon-sara")
    grades.queue_grade(OpenEdxBlock.objects.get().course, student, "fieldlog", 0.5)
    sara.view()
    assert sara.published == []
    assert gradebook[-1] == gradebook_score(2, 4, "anon-sara")



def test_switched_off_by_the_operator_a_supervisors_grade_waits_for_the_students_visit(lms, gradebook, settings):
    settings.FEATURES = {"MAYDAN_SUPERVISOR_GRADES_IN_GRADEBOOK": False}
    hoda = Person(lms, lms_user("anon-staff-hoda", role="staff", lang="en"))
    sara = Person(lms, lms_user("anon-sara", name="Sara"))
    rami = Person(lms, lms_user("anon-agency-rami", role="maydan:agency_supervisor", mentees=["anon-sara"]))
    hoda.post_json("studio_submit", {"weight": 4, "target_hours": 10})
    rami.act(action="approve", entry=submitted_entry(sara))
    assert gradebook == [] and sara.published == []
    sara.view()
    assert sara.published == [("grade", {"value": 1.0, "max_value": 4.0})] and gradebook == []


@pytest.mark.parametrize("score, maximum, expected", [
    (0.25, 10, (3, 10)),      # a half point goes up, as people round
    (0.895, 10, (9, 10)),
    (1.0, 20, (20, 20)),
    (0.0, 5, (0, 5)),
    (1.3, 10, (10, 10)),      # never more than the block's points
    (-0.2, 10, (0, 10)),
    (0.5, 2.5, (2, 3)),       # edx-submissions keeps whole points only
])
def test_points_are_whole_points_of_the_blocks_weight(score, maximum, expected):
    assert gradebook_channel.points(score, maximum) == expected


def test_a_block_worth_no_points_sends_nothing_and_keeps_no_grade_waiting(lms, gradebook):
    hoda = Person(lms, lms_user("anon-staff-hoda", role="staff", lang="en"))
    sara = Person(lms, lms_user("anon-sara", name="Sara"))
    rami = Person(lms, lms_user("anon-agency-rami", role="maydan:agency_supervisor", mentees=["anon-sara"]))
    hoda.post_json("studio_submit", {"weight": 0, "target_hours": 10})
    rami.act(action="approve", entry=submitted_entry(sara))
    assert gradebook == [] and GradeOutbox.objects.get().delivered_at is not None


def test_an_evaluation_released_in_a_block_the_student_never_opened_reaches_their_gradebook(lms, gradebook):
    """The anonymous id is the course's: having opened the field log is enough to be reached by the
    evaluation block's grade, and by the cohort view (no score) too."""
    from maydan.models import Placement
    from xblocks.cohort import CohortXBlock
    from xblocks.evaluation import EvaluationXBlock

    from .test_evaluation_block import USAGE, sheet

    Person(lms, lms_user("anon-sara", name="Sara")).view()                     # the field log only
    nour = lms_user("anon-nour", name="Nour")
    Person(LmsCourse(BlockUsageLocator(COURSE_KEY, block_type="maydan_cohort", block_id="c1"), CohortXBlock),
           nour).view()                                                         # the cohort view only
    evaluation = LmsCourse(USAGE, EvaluationXBlock)
    hoda = Person(evaluation, lms_user("anon-hoda", role="staff"))
    rami = Person(evaluation, lms_user("anon-rami", role="maydan:agency_supervisor",
                                       mentees=["anon-sara", "anon-nour"]))
    hoda.post("studio_submit", {"form": "midterm", "weight": "20"})
    rami.view()
    for student in ("anon-sara", "anon-nour"):
        placement = str(Placement.objects.get(student__subject=student).pk)
        assert rami.act(**sheet(5, placement=placement)).status_code == 200
        assert hoda.act(**sheet(3, placement=placement)).status_code == 200
        assert hoda.act(action="release", placement=placement).status_code == 200
    assert [(s["anonymous_user_id"], s["item_id"], s["points_earned"], s["points_possible"]) for s in gradebook] == [
        ("anon-sara", str(USAGE), 16, 20), ("anon-nour", str(USAGE), 16, 20)]


def test_the_background_task_sets_a_waiting_grade_once_the_lms_knows_the_student(lms, gradebook, settings):
    """What the supervisor's request could not send waits in the outbox; the LMS's worker sends it."""
    from xblocks.tasks import deliver_gradebook

    settings.MAYDAN_GRADE_RETRY_SECONDS = 0
    hoda = Person(lms, lms_user("anon-staff-hoda", role="staff", lang="en"))
    hoda.post_json("studio_submit", {"weight": 4, "target_hours": 10})
    nour = Person(lms, lms_user(None, name="Nour Ali", number="42"))
    rami = Person(lms, lms_user("anon-agency-rami", role="maydan:agency_supervisor", mentees=["42"]))
    assert rami.act(action="approve", entry=submitted_entry(nour)).status_code == 200
    assert deliver_gradebook() == (0, 1) and gradebook == []        # still nobody to name
    row = GradeOutbox.objects.get()
    OpenEdxLearner.objects.create(course=row.course, student=row.student, anonymous_id="anon-nour")
    assert deliver_gradebook() == (1, 0)
    assert [(s["anonymous_user_id"], s["points_earned"], s["points_possible"]) for s in gradebook] == [
        ("anon-nour", 1, 4)]                                            # 2.5 of 10 hours, of 4 points
    assert deliver_gradebook() == (0, 0)                            # never twice
