"""The demo cohort shows every state a newcomer should see, and seeding twice changes nothing."""
from maydan import demo, vocab
from maydan.models import LogEntry, Placement


def test_seed_makes_entries_in_every_state_once(db):
    course = demo.seed("https://demo.example", "demo-course")
    statuses = set(LogEntry.objects.values_list("status", flat=True))
    assert {vocab.DRAFT, vocab.SUBMITTED, vocab.APPROVED, vocab.COUNTERSIGNED} <= statuses
    count = LogEntry.objects.count()
    demo.seed("https://demo.example", "demo-course")
    assert LogEntry.objects.count() == count
    agency_students = Placement.objects.filter(course=course, agency_supervisor__subject="agency_1")
    assert agency_students.count() == 2
