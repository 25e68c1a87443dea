"""Who is acting: courses, people and their roles, as every adapter hands them to the core."""
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from . import arrival, audit, roles, rows
from .errors import Forbidden
from .models import Course, Membership, Person, Placement

log = logging.getLogger(__name__)


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
    # A student's own placement as their launch's arrival read it (fieldlog.own_placement_beside), for the screen
    # drawn right after it: nothing is written in between. None where it was not read so.
    own_placement: Placement | None = None

    def has(self, *wanted):
        return bool(self.roles.intersection(wanted))

    @property
    def supervises_course(self):
        return self.has(*roles.COURSE_SUPERVISORS)


def enter(issuer, context_id, subject, role_set, *, course_title="", name="", email="", language=None, exact=True):
    """Record a person arriving in a course with their platform's roles; return their Actor.

    Called on every launch or render, so names and roles follow the platform: the roles of the
    latest arrival replace the recorded ones (`exact`), so a role the platform took away takes its
    powers with it. `exact=False` only adds (a Mentor's students named in their launch: the
    platform said nothing about their other roles). Most arrivals change nothing: they are read
    in one query (two for a student), without a write transaction (on SQLite every write
    transaction waits for the others, whatever it ends up writing).
    """
    return as_recorded(issuer, context_id, subject, role_set, course_title=course_title, name=name,
                       email=email, exact=exact) or _record(issuer, context_id, subject, role_set,
                                                            course_title=course_title, name=name, email=email,
                                                            language=language, exact=exact)


def as_recorded(issuer, context_id, subject, role_set, *, course_title="", name="", email="", exact=True,
                beside=()):
    """The Actor if the course, the person, their roles (and a student's placement) are recorded
    exactly as this arrival describes them; None if `enter` has something to write.
    `beside`: rows of an adapter's or a screen's own read in the same query (maydan.arrival.Beside)."""
    # A student's placement is looked for in the same query.
    found = arrival.recorded(issuer, context_id, subject, placement=roles.STUDENT in role_set, beside=beside)
    if found is None:
        return None
    course, person, held, placed = found
    if (course_title and course.title != course_title) or not _described(
            held, person.name, person.email, placed, role_set, name, email, exact=exact):
        return None
    return Actor(course=course, person=person, roles=frozenset(role_set))


def _described(held, recorded_name, recorded_email, placed, role_set, name, email, *, exact=True):
    """Whether a course's record of a person (the roles they hold, name, e-mail, a student's placement) is
    what an arrival or a roster describes: then `enter` has nothing to write."""
    wanted = set(role_set)
    return (wanted <= held and (not exact or held == wanted) and (not name or recorded_name == name)
            and (not email or recorded_email == email) and (roles.STUDENT not in wanted or placed))


@transaction.atomic
def _record(issuer, context_id, subject, role_set, *, course_title, name, email, language, exact):
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
    if exact:
        _withdraw(course, Membership.objects.filter(course=course, person=person).exclude(role__in=role_set))
    if roles.STUDENT in role_set:
        Placement.objects.get_or_create(course=course, student=person)
    return Actor(course=course, person=person, roles=frozenset(role_set))


def _withdraw(course, memberships):
    """Delete these memberships; whoever loses the agency supervisor's role loses their students too."""
    gone = list(memberships.values_list("person_id", "role"))
    if not gone:
        return
    memberships.delete()
    former_agency = [person for person, role in gone if role == roles.AGENCY]
    if former_agency:
        Placement.objects.filter(course=course, agency_supervisor__in=former_agency).update(agency_supervisor=None)


def own_work(actor, student_id):
    """The refusal when `actor` would review, grade or credit the work of `student_id` and that is
    themselves (whatever roles the platform gives them: Learner + Instructor, Mentor of oneself...);
    None otherwise. Every service that approves, returns, countersigns, reopens, grades, releases,
    signs or credits asks this before writing anything."""
    if actor.person is None or student_id != actor.person.pk:
        return None
    log.warning("own work refused: course %s, person %s", actor.course.pk, actor.person.pk)  # ids, never names
    return Forbidden(_("Nobody may approve, return, countersign or grade their own work."))


def refuse_own_work(actor, student_id):
    """Raise own_work's refusal, if any."""
    if refusal := own_work(actor, student_id):
        raise refusal


def supervises_as_recorded(actor, subjects):
    """Whether the agency supervisor `actor` is recorded as supervising exactly these students (by subject):
    nothing for set_mentees to write. `subjects` None: the platform did not say (nothing to write either).
    One query."""
    if subjects is None:
        return True
    wanted = {str(subject) for subject in subjects}
    # Every launch of an agency supervisor asks this: the SQL is written out (see maydan.arrival for why).
    supervised = [subject for (subject,) in rows.fetch(
        f"SELECT p.{rows.column(Person, 'subject')} FROM {rows.table(Placement)} pl "
        f"JOIN {rows.table(Person)} p ON p.id = pl.{rows.column(Placement, 'student')} "
        f"WHERE pl.{rows.column(Placement, 'course')} = %s AND pl.{rows.column(Placement, 'agency_supervisor')} = %s",
        [actor.course.pk, actor.person.pk])]
    return len(supervised) == len(wanted) and set(supervised) == wanted


def mentees(actor):
    """The placements an agency supervisor with an account may act on."""
    return Placement.objects.filter(course=actor.course, agency_supervisor=actor.person)


@transaction.atomic
def set_mentees(course, supervisor, students):
    """Make `supervisor` the agency supervisor of exactly these students' placements (LTI role_scope_mentor,
    which lists them all): students no longer listed are no longer theirs, in every capability."""
    Membership.objects.get_or_create(course=course, person=supervisor, role=roles.AGENCY)
    Placement.objects.filter(course=course, agency_supervisor=supervisor).exclude(
        student__in=[student.pk for student in students]).update(agency_supervisor=None)
    assign_agency_supervisor(course, supervisor, students)


def assign_agency_supervisor(course, supervisor, students):
    """Make `supervisor` the agency supervisor of these students' placements too (the demo, a coordinator)."""
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
    The roster is the platform's word on who is in the course: a person it no longer lists loses
    their roles here (see enter_roster), while their records stay.
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
    """Enter a platform's roster into a course (also run on a launch that carries one); returns how many.

    Each listed member's roles become the listed ones; the memberships of people the roster no
    longer lists (or lists with no role this tool knows) are withdrawn, and with an agency
    supervisor's role their students. Their log, grades and audit trail stay. An empty roster
    withdraws nobody: a course without a single member is more likely a platform's fault.
    """
    listed = [member for member in members if member.subject and member.roles]
    recorded = _recorded_members(course)
    for member in listed:  # only those the course records otherwise are entered (a launch waits for this)
        if not _as_listed(member, recorded.get(member.subject)):
            enter(course.issuer, course.context_id, member.subject, member.roles, name=member.name, email=member.email)
    if listed:
        _withdraw(course, Membership.objects.filter(course=course).exclude(
            person__subject__in=[member.subject for member in listed]))
    return len(listed)


def _recorded_members(course):
    """{subject: (roles, name, email, placed)} of the course's members from its platform, in two queries."""
    placed = set(Placement.objects.filter(course=course).values_list("student_id", flat=True))
    found = {}
    for person_id, subject, role, name, email in Membership.objects.filter(
            course=course, person__issuer=course.issuer).values_list(
            "person_id", "person__subject", "role", "person__name", "person__email"):
        found.setdefault(subject, (set(), name, email, person_id in placed))[0].add(role)
    return found


def _as_listed(member, recorded):
    """Whether `enter` would find this listed member recorded as listed (as_recorded's test, on rows read
    for the whole roster at once)."""
    if recorded is None:
        return False
    held, name, email, placed = recorded
    return _described(held, name, email, placed, member.roles, member.name, member.email)
