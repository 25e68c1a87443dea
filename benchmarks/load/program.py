"""The data a load run works on, and its plan: who the simulated people are and what they hold.

`fill` makes a cohort in the sandbox platform's course through the core's services (people.enter,
assign_agency_supervisor, agency links, feed keys) with a history of entries written in bulk.
`plan` reads back what the simulated people need: the students and agency supervisors the sandbox
must be able to launch (it is told them, `platform_people`), the agency links of the supervisors who
have no platform account, and calendar feed keys. Runs in a process set up on the tool's database.
"""
import random
from datetime import time as clock, timedelta

from maydan import people, roles, vocab
from maydan.fieldlog import links
from maydan.fieldlog.input import today_in
from maydan.models import AgencyLink, Course, LogEntry, Membership, Placement
from maydan.sessions import calendars

LIS = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
LTI_ROLE = {roles.STUDENT: "Learner", roles.AGENCY: "Mentor", roles.ACADEMIC: "Instructor",
            roles.COORDINATOR: "Administrator"}
MENTEES = 10  # students per agency supervisor
HISTORY = 40  # entries each student logged before the day of the run, between 10 and 49 days ago
HISTORY_STATUSES = [vocab.COUNTERSIGNED] * 5 + [vocab.APPROVED] * 3 + [vocab.SUBMITTED, vocab.RETURNED]
ACTIVITIES = ["home_visit", "e_therapy", "supervision", "community_meeting", "field_visit", "interview"]
GIVEN = ["Sara", "Omar", "Mona", "Youssef", "Nour", "Karim", "Salma", "Ahmed", "Laila", "Tarek"]
FAMILY = ["Adel", "Nabil", "Hassan", "Fawzy", "Samir", "Mahmoud", "Saad", "Farouk", "Zaki", "Ibrahim"]


def _name(i):
    return f"{GIVEN[i % len(GIVEN)]} {FAMILY[i // len(GIVEN) % len(FAMILY)]} {i:04d}"


def fill(issuer, context_id, title, *, students, link_share=0.5):
    """`students` more students in the course, an agency supervisor for every MENTEES of them: the first
    part launch from the platform (Mentor), the rest (`link_share`) work through agency links only."""
    academic = people.enter(issuer, context_id, "instructor", {roles.ACADEMIC}, course_title=title)
    course = academic.course
    entered = [people.enter(issuer, context_id, f"load-student-{i:04d}", {roles.STUDENT}, course_title=title,
                            name=_name(i), email=f"load-student-{i:04d}@sandbox.maydan.example")
               for i in range(students)]
    mentors = (students + MENTEES - 1) // MENTEES
    by_link = round(mentors * link_share)
    for m in range(mentors):
        group = [s.person for s in entered[m * MENTEES:(m + 1) * MENTEES]]
        supervisor = people.enter(issuer, context_id, f"load-mentor-{m:03d}", {roles.AGENCY}, course_title=title,
                                  name=f"Agency supervisor {m:03d}", email=f"load-mentor-{m:03d}@sandbox.maydan.example")
        people.assign_agency_supervisor(course, supervisor.person, group)
        if m >= mentors - by_link:  # no platform account: approves through the links the academic supervisor issued
            Placement.objects.filter(course=course, student__in=group).update(agency=f"Agency {m:03d}")
            for placement in Placement.objects.filter(course=course, student__in=group):
                links.issue(academic, placement.pk, days=60, supervisor_name=f"Agency supervisor {m:03d}")
    _history(course)
    return course


def _history(course):
    """Each placement's entries before the run, in bulk (no history of their own is needed to be read)."""
    today = today_in(course.time_zone)
    rng = random.Random(19)
    rows = []
    for placement in Placement.objects.filter(course=course, student__subject__startswith="load-student-"):
        for day in range(HISTORY):
            start = 8 + day % 6
            rows.append(LogEntry(
                placement=placement, date=today - timedelta(days=10 + day), start_time=clock(start),
                end_time=clock(start + 2), minutes=120, activity_type=ACTIVITIES[day % len(ACTIVITIES)],
                modality="in_person", time_kind="direct", agency=placement.agency,
                competencies=[1 + day % 9], client_code=f"C-{rng.randrange(100, 999)}",
                description="Home visit to review the family's safety plan.",
                status=rng.choice(HISTORY_STATUSES)))
        if len(rows) > 5000:
            LogEntry.objects.bulk_create(rows)
            rows = []
    LogEntry.objects.bulk_create(rows)


def plan(issuer, context_id):
    """What the simulated people need, read from the database (JSON-ready)."""
    course = Course.objects.get(issuer=issuer, context_id=context_id)
    by_link = {}  # an agency supervisor without a platform account: the tokens of their students' links
    for link in AgencyLink.objects.filter(placement__course=course, revoked_at=None).select_related(
            "placement__agency_supervisor").order_by("pk"):
        by_link.setdefault(link.placement.agency_supervisor.subject, {})[link.placement_id] = links.token_for(link)
    return {
        "course": context_id,
        "students": [sub for sub in Placement.objects.filter(course=course).order_by("pk").values_list(
            "student__subject", flat=True) if sub.startswith("load-")],
        "mentors": sorted(sub for sub in _mentees(course) if sub.startswith("load-") and sub not in by_link),
        "link_supervisors": [list(tokens.values()) for _sub, tokens in sorted(by_link.items())],
        "coordinators": ["admin", "instructor"],
        "feeds": [calendars.feed_token(actor).key for actor in _feed_people(course)],
    }


def _feed_people(course):
    """Whoever subscribes to their calendar: every member of the course."""
    for m in Membership.objects.filter(course=course).select_related("person", "course"):
        yield people.Actor(course=course, person=m.person, roles=frozenset({m.role}))


def platform_people(issuer, context_id):
    """The sandbox platform's people for this course: {subject: its PEOPLE entry}."""
    course = Course.objects.get(issuer=issuer, context_id=context_id)
    found = {}
    for m in Membership.objects.filter(course=course).select_related("person"):
        person = found.setdefault(m.person.subject, {"name": m.person.name, "email": m.person.email, "roles": []})
        person["roles"].append(LIS + LTI_ROLE[m.role])
        person["role"] = LTI_ROLE[m.role]
    for supervisor, mentees in _mentees(course).items():
        found[supervisor]["mentees"] = mentees
    return found


def _mentees(course):
    """{agency supervisor's subject: their students' subjects}."""
    mentees = {}
    for supervisor, student in Placement.objects.filter(course=course, agency_supervisor__isnull=False).values_list(
            "agency_supervisor__subject", "student__subject"):
        mentees.setdefault(supervisor, []).append(student)
    return mentees
