"""Each placement's tally (maydan.tallies) stays equal to a fresh sum of its entries, whatever writes them:
every field-log service, the ORM's bulk paths, the program generator's COPY, a rolled-back change."""
import os
import random
import threading
import time
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connections, transaction
from django.db.models import F
from hypothesis import HealthCheck, given, settings, strategies as st

from maydan import demo_program, fieldlog, roles, vocab
from maydan.cohort import dashboard
from maydan.errors import Refused
from maydan.models import LogEntry, Placement, PlacementTally
from maydan.tallies import sums
from tests.conftest import entry_form

TODAY = date.today()


def _draft(rng):
    """A form for an entry in the last four weeks: timed or a duration, long enough at times to bunch a day."""
    day = TODAY - timedelta(days=rng.randint(1, 28))
    kind = rng.choice(list(vocab.ACTIVITY_TYPES))
    competencies = rng.sample(range(1, 10), rng.randint(0, 3))
    if rng.random() < 0.5:
        hour = rng.randint(6, 18)
        return entry_form(date=day.isoformat(), start_time=f"{hour:02d}:00", end_time=f"{hour + rng.randint(1, 4):02d}:30",
                          activity_type=kind, time_kind=rng.choice(list(vocab.TIME_KINDS)), competencies=competencies)
    return entry_form(date=day.isoformat(), start_time="", end_time="", duration=str(rng.choice([45, 240, 480, 780])),
                      activity_type=kind, time_kind=rng.choice(list(vocab.TIME_KINDS)), competencies=competencies)


class World:
    """Three students' placements and everyone who writes to them."""

    def __init__(self, cohort):
        self.cohort = cohort
        self.students = [cohort.student, cohort.other_student, cohort.enter("s3", roles.STUDENT, "Mona Fathy")]
        self.placements = [fieldlog.placement_for(s) for s in self.students]

    def entries(self, i, *statuses):
        found = LogEntry.objects.filter(placement=self.placements[i]).order_by("pk")
        return list(found.filter(status__in=statuses) if statuses else found)

    def pick(self, rng, i, *statuses):
        found = self.entries(i, *statuses)
        if not found:
            raise Refused("nothing to act on")
        return rng.choice(found)

    def reviewer(self, rng, i):
        # The agency supervisor reviews the first student's entries; a course supervisor may review anyone's.
        return rng.choice([self.cohort.agency, self.cohort.academic]) if i == 0 else self.cohort.academic


def _step(world, op, i, rng):
    c, student = world.cohort, world.students[i]
    if op == "save":
        fieldlog.save_entry(student, _draft(rng), submit=rng.random() < 0.5)
    elif op == "edit":
        entry = world.pick(rng, i, *vocab.EDITABLE_STATUSES)
        fieldlog.save_entry(student, _draft(rng), entry_id=entry.pk, submit=rng.random() < 0.3)
    elif op == "submit":
        fieldlog.submit_entry(student, world.pick(rng, i, *vocab.EDITABLE_STATUSES).pk)
    elif op == "submit_week":
        fieldlog.submit_week(student, world.pick(rng, i).date)
    elif op == "withdraw":
        fieldlog.withdraw_entry(student, world.pick(rng, i, vocab.DRAFT, vocab.SUBMITTED, vocab.RETURNED).pk)
    elif op == "approve":
        fieldlog.approve_entry(world.reviewer(rng, i), world.pick(rng, i, vocab.SUBMITTED).pk)
    elif op == "return":
        fieldlog.return_entry(world.reviewer(rng, i), world.pick(rng, i, vocab.SUBMITTED).pk, "Please add the goal.")
    elif op == "countersign":
        fieldlog.countersign_entry(c.academic, world.pick(rng, i, vocab.APPROVED).pk)
    elif op == "reopen":
        fieldlog.reopen_entry(c.academic, world.pick(rng, i, *vocab.APPROVED_STATUSES).pk, "The date is wrong.")
    elif op == "approve_week":
        fieldlog.approve_week(world.reviewer(rng, i), world.placements[i].pk, world.pick(rng, i, vocab.SUBMITTED).date)
    elif op == "countersign_week":
        fieldlog.countersign_week(c.academic, world.placements[i].pk, world.pick(rng, i, vocab.APPROVED).date)
    elif op == "countersign_chosen":
        fieldlog.countersign_entries(c.academic, [e.pk for e in world.entries(i)][:rng.randint(1, 6)])
    elif op == "credit":
        fieldlog.credit_entries(c.academic, [(world.placements[j], _draft(rng), None)
                                             for j in rng.sample(range(3), rng.randint(1, 3))])
    elif op == "bulk_create":  # an import or a seed writing rows straight to the table
        LogEntry.objects.bulk_create(
            LogEntry(placement=world.placements[rng.randrange(3)], date=TODAY - timedelta(days=rng.randint(1, 28)),
                     minutes=rng.choice([60, 400, 800]), activity_type=rng.choice(list(vocab.ACTIVITY_TYPES)),
                     modality="in_person", time_kind=rng.choice(list(vocab.TIME_KINDS)),
                     competencies=rng.sample(range(1, 10), 2), status=rng.choice(list(vocab.STATUSES)))
            for _ in range(rng.randint(1, 4)))
    elif op == "update":  # a data fix in bulk
        LogEntry.objects.filter(placement=world.placements[i], status=rng.choice(list(vocab.STATUSES))).update(
            status=rng.choice(list(vocab.STATUSES)), minutes=F("minutes") + 30)
    elif op == "bulk_update":
        entries = world.entries(i)[:3]
        for entry in entries:
            entry.date, entry.activity_type = entry.date - timedelta(days=1), "training"
        LogEntry.objects.bulk_update(entries, ["date", "activity_type"])
    elif op == "move":  # an entry saved under another placement: both placements' sums change
        entry = world.pick(rng, i)
        entry.placement_id = world.placements[(i + 1) % 3].pk
        entry.save()
    elif op == "comment_only":  # a change the sums do not read
        entry = world.pick(rng, i)
        entry.review_comment = "Seen."
        entry.save(update_fields=["review_comment"])
    elif op == "delete":  # rows with no history (written in bulk) may go, one or all at once
        loose = LogEntry.objects.filter(placement=world.placements[i], audit__isnull=True)
        if rng.random() < 0.5:
            world.pick(rng, i) if not loose.exists() else loose.order_by("pk").first().delete()
        else:
            loose.delete()
    else:
        raise AssertionError(op)


OPS = ["save", "save", "edit", "submit", "submit_week", "withdraw", "approve", "approve", "return", "countersign",
       "reopen", "approve_week", "countersign_week", "countersign_chosen", "credit", "bulk_create", "update",
       "bulk_update", "move", "comment_only", "delete"]


STEPS = st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 2), st.integers(0, 2**32)), min_size=1, max_size=30)


def play(world, steps, after_each=lambda op, i: None):
    for op, i, seed in steps:
        try:
            _step(world, op, i, random.Random(seed))
        except Refused:
            pass  # refused whole: the sums must still be right
        after_each(op, i)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_every_write_path_keeps_the_tallies_equal_to_the_entries(cohort, steps):
    world = World(cohort)

    def check(op, i):
        assert sums.differences([p.pk for p in world.placements]) == [], (op, i)

    with transaction.atomic():
        play(world, steps, check)
        transaction.set_rollback(True)


def test_a_sequence_reaches_every_kind_of_sum(cohort):
    """The random sequences above can reach what the dashboard shows: approved, waiting, returned, competencies."""
    world = World(cohort)
    rng = random.Random(19)
    for op in ["save"] * 40 + ["approve"] * 10 + ["return"] * 4 + ["countersign"] * 4:
        try:
            _step(world, op, 0, rng)
        except Refused:
            pass
    assert sums.differences() == []
    tally = PlacementTally.objects.get(placement=world.placements[0])
    assert tally.approved_minutes and tally.pending_minutes and tally.returned_minutes and tally.competencies
    assert tally.last_entry


def test_days_and_weeks_over_the_limits_are_kept_as_they_are_sent(cohort):
    monday = TODAY - timedelta(days=TODAY.weekday() + 14)
    long_days = [fieldlog.save_entry(cohort.student, entry_form(
        date=(monday + timedelta(days=d)).isoformat(), start_time="", end_time="", duration="780")) for d in range(4)]
    tally = sums.of(Placement.objects.select_related("tally").get(pk=long_days[0].placement_id))
    assert (tally.bunched_days, tally.bunched_weeks) == ([], [])  # drafts are not sent
    fieldlog.submit_week(cohort.student, monday)
    tally.refresh_from_db()
    assert tally.bunched_days == [(monday + timedelta(days=d)).isoformat() for d in range(4)]
    assert tally.bunched_weeks == [monday.isoformat()]  # 52 h
    fieldlog.withdraw_entry(cohort.student, long_days[0].pk)
    tally.refresh_from_db()
    assert tally.bunched_days == [(monday + timedelta(days=d)).isoformat() for d in (1, 2, 3)]
    assert tally.bunched_weeks == []  # 39 h


def test_a_change_rolled_back_leaves_the_tally_as_it_was(cohort):
    entry = fieldlog.save_entry(cohort.student, entry_form(), submit=True)
    before = sums.stored([entry.placement_id])
    with pytest.raises(RuntimeError), transaction.atomic():
        fieldlog.approve_entry(cohort.agency, entry.pk)
        assert PlacementTally.objects.get(placement_id=entry.placement_id).approved_minutes == 150
        raise RuntimeError("the request fails after the approval")
    assert sums.stored([entry.placement_id]) == before
    assert before[entry.placement_id]["pending_minutes"] == 150


def test_the_dashboard_reads_the_tally_not_the_entries(cohort):
    """What a coordinator sees is the tally: proven by changing the tally alone (as drift would)."""
    entry = fieldlog.save_entry(cohort.student, entry_form(), submit=True)
    fieldlog.approve_entry(cohort.agency, entry.pk)
    row, = dashboard.rows(cohort.coordinator, placement=entry.placement_id)
    assert row.bar.approved_minutes == 150 and row.categories == {"home_visit": 150, "direct": 150}
    PlacementTally.objects.filter(placement_id=entry.placement_id).update(approved_minutes=10)
    row, = dashboard.rows(cohort.coordinator, placement=entry.placement_id)
    assert row.bar.approved_minutes == 10


def test_the_command_finds_drift_and_rebuilds(cohort):
    entry = fieldlog.save_entry(cohort.student, entry_form(competencies=["2", "7"]), submit=True)
    fieldlog.approve_entry(cohort.agency, entry.pk)
    out = StringIO()
    call_command("rebuild_tallies", "--check", stdout=out)
    assert "equal" in out.getvalue()
    PlacementTally.objects.filter(placement_id=entry.placement_id).update(competencies={"2": 1}, pending_minutes=5)
    PlacementTally.objects.filter(placement__student=cohort.other_student.person).delete()  # a missing row is zeros
    with pytest.raises(CommandError, match="2 tallied value"):
        call_command("rebuild_tallies", "--check", stdout=out)
    assert f"placement {entry.placement_id}: competencies is {{'2': 1}}, the entries say {{'2': 150, '7': 150}}" \
        in out.getvalue()
    call_command("rebuild_tallies", stdout=out)
    assert sums.differences() == []
    assert PlacementTally.objects.count() == Placement.objects.count()


def test_the_program_generator_writes_past_the_orm_and_its_tallies_still_hold(db):
    made = demo_program.build(12, courses=2, group=6, entries=30, say=lambda *_: None)
    placements = list(Placement.objects.filter(course__in=made.courses).values_list("pk", flat=True))
    assert sums.differences(placements) == []
    assert PlacementTally.objects.filter(placement__in=placements, approved_minutes__gt=0).count() == len(placements)


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="two writers at once need a server database")
def test_an_approval_and_a_bulk_write_at_once_both_reach_the_tally(cohort, transactional_db):
    """The second change waits for the first to commit before it sums, so it does not write a tally without it
    (a bulk write locks no placement of its own: the tally's lock is all that orders them)."""
    first = fieldlog.save_entry(cohort.student, entry_form(start_time="09:00", end_time="10:00"), submit=True)
    first_written, errors = threading.Event(), []

    def approve_then_wait():
        try:
            with transaction.atomic():
                fieldlog.approve_entry(cohort.agency, first.pk)
                first_written.set()
                time.sleep(0.5)  # the import writes meanwhile
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            first_written.set()
            connections.close_all()

    writer = threading.Thread(target=approve_then_wait)
    writer.start()
    first_written.wait(10)
    LogEntry.objects.bulk_create([LogEntry(placement_id=first.placement_id, date=TODAY - timedelta(days=3), minutes=120,
                                           activity_type="training", modality="in_person", time_kind="indirect",
                                           status=vocab.APPROVED)])
    writer.join(10)
    assert errors == []
    assert sums.stored([first.placement_id])[first.placement_id]["approved_minutes"] == 60 + 120
    assert sums.differences() == []
