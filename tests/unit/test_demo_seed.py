"""The demo cohort shows every state a newcomer should see, and seeding twice changes nothing."""
from maydan import demo, vocab
from maydan.models import LogEntry, Placement
from maydan.sessions.models import Session


def seed():
    return demo.seed(
        "https://demo.example", "demo-course", title="Demo",
        students=[("s1", "Sara"), ("s2", "Omar"), ("s3", "Mona")],
        academic=("a1", "Dr. Hoda"), agency=("m1", "Rami"), coordinator=("k1", "Amal"), mentees=["s1", "s2"],
    )


def test_seed_makes_entries_in_every_state_once(db):
    course = seed()
    statuses = set(LogEntry.objects.values_list("status", flat=True))
    assert {vocab.DRAFT, vocab.SUBMITTED, vocab.APPROVED, vocab.COUNTERSIGNED} <= statuses
    count = LogEntry.objects.count()
    seed()
    assert LogEntry.objects.count() == count
    [session] = Session.objects.filter(course=course)  # a weekly group supervision, once
    assert session.rule.startswith("FREQ=WEEKLY") and session.start_date.weekday() == 1
    mentored = Placement.objects.filter(course=course, agency_supervisor__subject="m1")
    assert sorted(mentored.values_list("student__subject", flat=True)) == ["s1", "s2"]


def test_maydan_demo_prepares_the_sandbox_course(db):
    from lti_tool import demo_setup
    from lti_tool.models import Registration

    course = demo_setup.prepare()
    assert Registration.objects.filter(issuer=course.issuer).exists()
    assert LogEntry.objects.filter(placement__course=course, status=vocab.SUBMITTED).exists()
