"""Who is acting: courses, people and their roles, as every adapter hands them to the core."""
from dataclasses import dataclass, field

from django.db import transaction

from django.utils.translation import gettext as _

from . import audit, roles
from .errors import Forbidden
from .models import Course, Membership, Person, Placement


@dataclass(frozen=True)
class Actor:
    """A person (or an agency link) acting in a course with a set of roles."""

    course: Course
    person: Person | None
    roles: frozenset = field(default_factory=frozenset)
    # Set when an agency supervisor comes in through a signed link: the one placement it opens.
    link_placement: Placement | None = None
    via: str = ""
    # The agency link itself (who it greets, until when it is valid), when the actor came through one.
    link: object = None

    def has(self, *wanted):
        return bool(self.roles.intersection(wanted))

    @property
    def supervises_course(self):
        return self.has(*roles.COURSE_SUPERVISORS)


def enter(issuer, context_id, subject, role_set, *, course_title="", name="", email="", language=None):
    """Record a person arriving in a course with their platform's roles; return their Actor.

    Called on every launch or render, so names and roles follow the platform. Most arrivals
    change nothing: they are read in one query (two for a student), without a write transaction (on SQLite every
    write transaction waits for the others, whatever it ends up writing).
    """
    return as_recorded(issuer, context_id, subject, role_set, course_title=course_title, name=name,
                       email=email) or _record(issuer, context_id, subject, role_set, course_title=course_title,
                                               name=name, email=email, language=language)


def as_recorded(issuer, context_id, subject, role_set, *, course_title="", name="", email=""):
    """The Actor if the course, the person, their roles (and a student's placement) are recorded
    exactly as this arrival describes them; None if `enter` has something to write."""
    rows = list(
        Membership.objects.filter(course__issuer=issuer, course__context_id=context_id, person__issuer=issuer,
                                  person__subject=subject)
        .select_related("course", "person")
    )
    if not rows or not set(role_set) <= {row.role for row in rows}:
        return None
    course, person = rows[0].course, rows[0].person
    if (course_title and course.title != course_title) or (name and person.name != name) or (
            email and person.email != email):
        return None
    if roles.STUDENT in role_set and not Placement.objects.filter(course=course, student=person).exists():
        return None
    return Actor(course=course, person=person, roles=frozenset(role_set))


@transaction.atomic
def _record(issuer, context_id, subject, role_set, *, course_title, name, email, language):
    course, created = Course.objects.get_or_create(
        issuer=issuer, context_id=context_id, defaults={"title": course_title or context_id}
    )
    if course_title and course.title != course_title:
        course.title = course_title
        course.save(update_fields=["title"])
    if created and language:
        course.language = language
        course.save(update_fields=["language"])
    person, _ = Person.objects.get_or_create(issuer=issuer, subject=subject)
    if (name and person.name != name) or (email and person.email != email):
        person.name = name or person.name
        person.email = email or person.email
        person.save(update_fields=["name", "email"])
    for role in role_set:
        Membership.objects.get_or_create(course=course, person=person, role=role)
    if roles.STUDENT in role_set:
        Placement.objects.get_or_create(course=course, student=person)
    return Actor(course=course, person=person, roles=frozenset(role_set))


def supervises_as_recorded(actor, subjects):
    """Whether the agency supervisor `actor` is already recorded as supervising these students (by subject):
    nothing for assign_agency_supervisor to write."""
    wanted = {str(subject) for subject in subjects}
    return not wanted or Placement.objects.filter(
        course=actor.course, student__subject__in=wanted, agency_supervisor=actor.person).count() == len(wanted)


def mentees(actor):
    """The placements an agency supervisor with an account may act on."""
    return Placement.objects.filter(course=actor.course, agency_supervisor=actor.person)


@transaction.atomic
def assign_agency_supervisor(course, supervisor, students):
    """Make `supervisor` the agency supervisor of these students' placements (LTI role_scope_mentor)."""
    Membership.objects.get_or_create(course=course, person=supervisor, role=roles.AGENCY)
    for student in students:
        placement, _ = Placement.objects.get_or_create(course=course, student=student)
        if placement.agency_supervisor_id != supervisor.id:
            placement.agency_supervisor = supervisor
            placement.save(update_fields=["agency_supervisor"])


@dataclass(frozen=True)
class Member:
    """A person as a platform's roster lists them (LTI NRPS, for instance)."""

    subject: str
    roles: frozenset
    name: str = ""
    email: str = ""


def sync_roster(actor, fetch):
    """Enter everyone of the course's roster, so supervisors see students who have not opened Maydan yet.

    `fetch()` returns the platform's Members; it is called only once the actor may sync.
    Nobody is removed: a person who left the platform's roster keeps their records here.
    """
    if not actor.supervises_course:
        raise Forbidden(_("Only the course's academic supervisors and coordinators can update the roster."))
    members = fetch()
    with transaction.atomic():
        count = enter_roster(actor.course, members)
        audit.record(actor, "roster_synced", changes={"members": count})
    return count


@transaction.atomic
def enter_roster(course, members):
    """Enter a platform's roster into a course (also run on a launch that carries one); returns how many."""
    count = 0
    for member in members:
        if member.subject and member.roles:
            enter(course.issuer, course.context_id, member.subject, member.roles, name=member.name,
                  email=member.email)
            count += 1
    return count
