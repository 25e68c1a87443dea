"""Who is acting: courses, people and their roles, as every adapter hands them to the core."""
from dataclasses import dataclass, field

from django.db import transaction

from . import roles
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

    def has(self, *wanted):
        return bool(self.roles.intersection(wanted))

    @property
    def supervises_course(self):
        return self.has(*roles.COURSE_SUPERVISORS)


@transaction.atomic
def enter(issuer, context_id, subject, role_set, *, course_title="", name="", email="", language=None):
    """Record a person arriving in a course with their platform's roles; return their Actor.

    Called on every launch or render, so names and roles follow the platform.
    """
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
