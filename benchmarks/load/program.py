"""The data a load run works on, and its plan: who the simulated people are and what they hold.

`fill` writes a program (maydan.demo_program, as `maydan demo --program N` does): N students in 30
courses over two terms, each with a term's work; its large course (a tenth of them) is the sandbox
platform's second course, where the day's traffic happens while the rest of the program fills the tables.
Then, through the core's services, half of that course's agency supervisors get the signed links an
academic supervisor issues to those without a platform account.
`plan` reads back what the simulated people need: the course's students, seats for its agency
supervisors (each a supervisor and a share of their students, so two simulated people never review
the same entry), the links' tokens, calendar feed keys for the whole program. `platform_people` is what
the sandbox must know to launch the course's people. Runs in a process set up on the tool's database.
"""
from lti_tool import demo_setup
from lti_tool.sandbox.demo import COURSES
from maydan import people, roles
from maydan.fieldlog import links
from maydan.models import AgencyLink, Course, Membership, Placement
from maydan.sessions import calendars

LIS = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
LTI_ROLE = {roles.STUDENT: "Learner", roles.AGENCY: "Mentor", roles.ACADEMIC: "Instructor",
            roles.COORDINATOR: "Administrator"}
CONTEXT = list(COURSES)[1]  # the course demo_setup.prepare_program makes the program's large one
SEAT = 10  # students per agency supervisor's seat


def fill(n, *, link_share=0.5):
    """The program, and links for the students of the last `link_share` of the large course's agency supervisors."""
    made = demo_setup.prepare_program(n)
    course = made.large
    supervisors = sorted(_mentees(course))
    for subject in supervisors[len(supervisors) - round(len(supervisors) * link_share):]:
        for placement in Placement.objects.filter(course=course, agency_supervisor__subject=subject):
            links.issue(made.coordinator, placement.pk, days=60, supervisor_name=f"Agency supervisor {subject}")
    return course


def plan(course):
    """What the simulated people need (JSON-ready)."""
    by_link = {}  # an agency supervisor without a platform account: the tokens of their students' links
    for link in AgencyLink.objects.filter(placement__course=course, revoked_at=None).select_related(
            "placement__agency_supervisor").order_by("pk"):
        by_link.setdefault(link.placement.agency_supervisor.subject, []).append(links.token_for(link))
    placements = {}
    for pk, subject in Placement.objects.filter(course=course, agency_supervisor__isnull=False).order_by("pk").values_list(
            "pk", "agency_supervisor__subject"):
        placements.setdefault(subject, []).append(pk)
    return {
        "course": course.context_id,
        "students": list(Placement.objects.filter(course=course).order_by("pk").values_list("student__subject", flat=True)),
        "mentor_seats": [{"mentor": subject, "placements": [str(pk) for pk in chunk]}
                         for subject, pks in sorted(placements.items()) if subject not in by_link for chunk in _seats(pks)],
        "link_seats": [chunk for _subject, tokens in sorted(by_link.items()) for chunk in _seats(tokens)],
        "coordinators": _subjects(course, roles.COORDINATOR) + _subjects(course, roles.ACADEMIC)[:2],
        "feeds": [calendars.feed_token(actor).key for actor in _program_members(course)],
    }


def _seats(items):
    return [items[i:i + SEAT] for i in range(0, len(items), SEAT)]


def _subjects(course, role):
    return list(Membership.objects.filter(course=course, role=role).order_by("pk").values_list(
        "person__subject", flat=True))


def _program_members(course):
    """Whoever subscribes to their calendar: every member of every course on the course's platform."""
    for m in Membership.objects.filter(course__issuer=course.issuer).select_related("person", "course"):
        yield people.Actor(course=m.course, person=m.person, roles=frozenset({m.role}))


def platform_people(course):
    """The sandbox platform's people for this course: {subject: its PEOPLE entry}. A person the program
    wrote without an address gets one, which their first launch (or the roster) records."""
    found = {}
    for m in Membership.objects.filter(course=course).select_related("person"):
        person = found.setdefault(m.person.subject, {
            "name": m.person.name, "email": m.person.email or f"{m.person.subject}@sandbox.maydan.example", "roles": []})
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
