"""A database written before the tallies existed migrates to the latest schema with every placement's sums kept:
each backfill writes the fields its own migration knows, the later ones fill theirs."""
from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from maydan import vocab
from maydan.tallies import sums

BEFORE = [("maydan", "0022_scale")]


@pytest.fixture
def migrated_back(transactional_db):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    yield MigrationExecutor(connection).loader.project_state(BEFORE).apps
    executor = MigrationExecutor(connection)
    executor.migrate(latest)


def test_the_backfills_keep_every_sum_from_entries_written_before(migrated_back):
    apps = migrated_back
    Course, Person = apps.get_model("maydan", "Course"), apps.get_model("maydan", "Person")
    Placement, LogEntry = apps.get_model("maydan", "Placement"), apps.get_model("maydan", "LogEntry")
    course = Course.objects.create(issuer="https://lms.example.edu", context_id="before")
    student = Person.objects.create(issuer=course.issuer, subject="s1", name="Sara Adel")
    placement = Placement.objects.create(course=course, student=student)
    for day, minutes, status in ((3, 60, vocab.APPROVED), (4, 30, vocab.SUBMITTED), (5, 45, vocab.SUBMITTED),
                                 (6, 20, vocab.COUNTERSIGNED), (7, 90, vocab.DRAFT), (8, 15, vocab.WITHDRAWN)):
        LogEntry.objects.create(placement=placement, date=date(2025, 3, day), minutes=minutes, status=status,
                                activity_type="home_visit", modality="in_person", time_kind="direct")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    from maydan.tallies.models import PlacementTally

    tally = PlacementTally.objects.get(placement_id=placement.pk)
    assert (tally.approved_minutes, tally.pending_minutes, tally.waiting, tally.to_countersign) == (80, 75, 2, 1)
    assert tally.last_entry == date(2025, 3, 6) and tally.last_logged == date(2025, 3, 7)
    assert sums.differences([placement.pk]) == []
