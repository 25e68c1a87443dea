"""Roles and a Mentor's students are what the platform said last: a launch replaces them, a roster sync
withdraws whom the platform no longer lists. What a student wrote stays."""
import pytest

from maydan import fieldlog, people, roles
from maydan.cohort import dashboard
from maydan.errors import NotFound
from maydan.grading import agreements, recordings, services
from maydan.models import Membership, Placement
from maydan.sessions import services as sessions
from maydan.simulation import services as sim
from tests.conftest import entry_form, form as posted

from .test_grading_evaluations import answers
from .test_grading_recordings import recording_form
from .test_sessions import session_form
from .test_simulation_services import mini, play  # noqa: F401 (fixture)


def roles_of(cohort, subject):
    return set(Membership.objects.filter(course=cohort.course, person__subject=subject).values_list("role", flat=True))


@pytest.fixture
def shrunk(cohort, mini):  # noqa: F811 (fixture)
    """The agency supervisor had both students, each with work waiting; then the platform named only the second."""
    mentor = cohort.agency
    people.set_mentees(cohort.course, mentor.person, [cohort.student.person, cohort.other_student.person])
    work = {}
    for actor in (cohort.student, cohort.other_student):
        placement = actor.person.placements.get()
        work[actor.person.subject] = {
            "placement": placement.pk,
            "entry": fieldlog.save_entry(actor, entry_form(), submit=True).pk,
            "recording": recordings.save(actor, recording_form(), submit=True).pk,
            "session": sessions.save_session(cohort.academic, session_form(
                title=f"Group of {actor.person.name}", students=str(actor.person.pk))).pk,
            "attempt": play(actor, mini, "warm").pk,
        }
        agreements.save(actor, posted(goals_1="Use supervision every week.", activities_1="Weekly conference."))
    assert {p.student.subject for p in fieldlog.visible_placements(mentor)} == {"s1", "s2"}
    people.set_mentees(cohort.course, mentor.person, [cohort.other_student.person])
    return mentor, work["s1"], work["s2"]


def test_a_shrunk_scope_hides_the_removed_student_in_every_capability(cohort, shrunk, mini):  # noqa: F811
    mentor, gone, kept = shrunk
    assert [p.student.subject for p in fieldlog.visible_placements(mentor)] == ["s2"]
    refused = [
        lambda: fieldlog.placement_for(mentor, gone["placement"]),                                # field log
        lambda: fieldlog.approve_entry(mentor, gone["entry"]),
        lambda: fieldlog.return_entry(mentor, gone["entry"], "Add the agency."),
        lambda: services.save_sheet(mentor, gone["placement"], "midterm", answers(4)),            # evaluations
        lambda: services.view(mentor, gone["placement"], "midterm"),
        lambda: agreements.sign(mentor, gone["placement"]),                                        # agreement
        lambda: recordings.comment(mentor, gone["recording"], posted(comment_0="Good.")),          # recordings
        lambda: sessions.session_for(mentor, gone["session"]),                                     # sessions
    ]
    for attempt in refused:
        with pytest.raises(NotFound):
            attempt()
    assert [a.student.subject for a in sim.attempts(mentor, mini)] == ["s2"]                      # simulations
    assert [row.placement.student.subject for row in dashboard.rows(mentor)] == ["s2"]           # cohort
    # The student still in scope is theirs in every one of them.
    fieldlog.approve_entry(mentor, kept["entry"])
    services.save_sheet(mentor, kept["placement"], "midterm", answers(4))
    agreements.sign(mentor, kept["placement"])
    recordings.comment(mentor, kept["recording"], posted(comment_0="Good."))
    assert sessions.session_for(mentor, kept["session"]).pk == kept["session"]
    assert Placement.objects.get(pk=gone["placement"]).entries.get().status == "submitted"  # the work stays


def test_a_scope_the_platform_does_not_send_leaves_the_recorded_students(cohort):
    assert people.supervises_as_recorded(cohort.agency, None)
    assert people.supervises_as_recorded(cohort.agency, ["s1"])
    assert not people.supervises_as_recorded(cohort.agency, ["s1", "s2"])   # grew
    assert not people.supervises_as_recorded(cohort.agency, [])             # shrank to nobody
    people.set_mentees(cohort.course, cohort.agency.person, [])
    assert not fieldlog.visible_placements(cohort.agency).exists()


def test_a_role_the_platform_took_away_is_withdrawn_with_its_powers(cohort):
    issuer, context = cohort.issuer, cohort.context
    people.enter(issuer, context, "a1", {roles.ACADEMIC, roles.AGENCY})
    people.set_mentees(cohort.course, cohort.academic.person, [cohort.other_student.person])
    demoted = people.enter(issuer, context, "a1", {roles.STUDENT})
    assert roles_of(cohort, "a1") == {roles.STUDENT}
    assert not demoted.supervises_course
    assert not Placement.objects.filter(agency_supervisor__subject="a1").exists()
    assert [p.student.subject for p in fieldlog.visible_placements(demoted)] == ["a1"]
    # A Mentor's student named in their launch gains the student's role and keeps their others.
    people.enter(issuer, context, "a1", {roles.STUDENT}, exact=False)
    people.enter(issuer, context, "k1", {roles.STUDENT}, exact=False)
    assert roles_of(cohort, "k1") == {roles.COORDINATOR, roles.STUDENT}


def test_a_roster_sync_withdraws_whom_the_platform_no_longer_lists(cohort):
    entry = fieldlog.save_entry(cohort.other_student, entry_form(), submit=True)
    listed = [people.Member("s1", frozenset({roles.STUDENT})), people.Member("a1", frozenset({roles.ACADEMIC})),
              people.Member("k1", frozenset({roles.COORDINATOR, roles.STUDENT})),
              people.Member("x9", frozenset())]  # a role this tool does not know: as if not listed
    assert people.enter_roster(cohort.course, listed) == 3
    assert roles_of(cohort, "s2") == set() and roles_of(cohort, "m1") == set()
    assert roles_of(cohort, "k1") == {roles.COORDINATOR, roles.STUDENT}
    assert not Placement.objects.filter(agency_supervisor__subject="m1").exists()   # the Mentor's scope too
    assert entry.placement.entries.get().pk == entry.pk                              # records stay


def test_an_empty_roster_withdraws_nobody(cohort):
    before = Membership.objects.count()
    assert people.enter_roster(cohort.course, []) == 0
    assert Membership.objects.count() == before


def test_a_roster_sync_writes_only_who_changed_and_reads_the_rest_at_once(cohort, django_assert_max_num_queries):
    """A launch waits for the roster sync: an unchanged roster of any size costs the same few queries."""
    def roster(size, **changed):
        listed = [people.Member(f"r{i}", frozenset({roles.STUDENT}), name=f"Student {i}", email=f"r{i}@uni.example")
                  for i in range(size)]
        listed += [people.Member("a1", frozenset({roles.ACADEMIC}), name="Dr. Hoda Samir"),
                   people.Member("k1", frozenset({roles.COORDINATOR}))]
        return [changed.get(m.subject, m) for m in listed]

    assert people.enter_roster(cohort.course, roster(40)) == 42
    with django_assert_max_num_queries(5):  # 42 members, none changed: read at once, nothing written
        assert people.enter_roster(cohort.course, roster(40)) == 42
    # Whoever the platform lists otherwise is written: a new name, a new address, a role more, a newcomer,
    # a student whose placement is gone.
    Placement.objects.filter(course=cohort.course, student__subject="r4").delete()
    people.enter_roster(cohort.course, roster(40, r1=people.Member("r1", frozenset({roles.STUDENT}), name="Renamed"),
                                              r2=people.Member("r2", frozenset({roles.STUDENT}), email="new@uni.example"),
                                              r3=people.Member("r3", frozenset({roles.STUDENT, roles.AGENCY})))
                        + [people.Member("r99", frozenset({roles.STUDENT}), name="Newcomer")])
    members = {m.person.subject: m.person for m in Membership.objects.filter(course=cohort.course).select_related("person")}
    assert members["r1"].name == "Renamed" and members["r1"].email == "r1@uni.example"
    assert members["r2"].email == "new@uni.example" and members["r2"].name == "Student 2"
    assert roles_of(cohort, "r3") == {roles.STUDENT, roles.AGENCY}
    assert roles_of(cohort, "r99") == {roles.STUDENT} and members["r99"].name == "Newcomer"
    assert Placement.objects.filter(course=cohort.course, student__subject="r4").exists()
    assert roles_of(cohort, "s1") == set()  # no longer listed: withdrawn, as before
