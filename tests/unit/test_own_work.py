"""Nobody approves, returns, countersigns, reopens, grades, releases, signs or credits their own work,
whatever roles a platform gives them; the same action on another student's work goes through.

Each combination is entered as the LTI adapter enters it (roles.from_lti, a Mentor's scope that names
themselves), so the person holds a student's placement and a reviewer's role in one course.
"""
import pytest
from django.apps import apps
from django.utils import translation

from maydan import fieldlog, people, roles
from maydan.errors import Forbidden
from maydan.grading import agreements, markings, recordings, services
from maydan.grading.models import Marking
from tests.conftest import entry_form, form as posted

from .test_grading_evaluations import answers
from .test_grading_recordings import recording_form
from .test_grading_simulation import ANSWER_FULL, REFLECTION
from .test_simulation_services import mini, play  # noqa: F401 (fixture)

LIS = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
OWN_WORK = "Nobody may approve, return, countersign or grade their own work."

# platform roles -> whether the person is in their own Mentor scope
COMBINATIONS = {
    "Learner + Mentor": (["Learner", "Mentor"], True),
    "Learner + TeachingAssistant": (["Learner", "TeachingAssistant"], False),
    "Learner + Instructor": (["Learner", "Instructor"], False),
    "Instructor + Mentor, self in scope": (["Instructor", "Mentor"], True),
    "Administrator + Learner": (["Administrator", "Learner"], False),
}


@pytest.fixture(params=list(COMBINATIONS))
def dual(request, cohort):
    """(reviewer, author): the same person launched with the combination, and as the author of their work."""
    platform_roles, self_in_scope = COMBINATIONS[request.param]
    role_set = roles.from_lti([LIS + name for name in platform_roles])
    reviewer = people.enter(cohort.issuer, cohort.context, "dual", role_set, name="Dual Person")
    person = reviewer.person
    author = people.enter(cohort.issuer, cohort.context, "dual", {roles.STUDENT}, exact=False)
    if self_in_scope:
        people.set_mentees(cohort.course, person, [person, cohort.other_student.person])
    else:
        people.assign_agency_supervisor(cohort.course, cohort.agency.person, [person, cohort.other_student.person])
    return people.Actor(course=cohort.course, person=person, roles=frozenset(role_set)), \
        people.Actor(course=cohort.course, person=person, roles=frozenset({roles.STUDENT}))


def state():
    """Every row of the core, with the fields a review or a grade changes."""
    rows = {model.__name__: model.objects.count() for model in apps.get_app_config("maydan").get_models()}
    rows["statuses"] = sorted(apps.get_model("maydan", "LogEntry").objects.values_list("pk", "status"))
    rows["markings"] = sorted(Marking.objects.values_list("pk", "status", "override_score"))
    return rows


def entry_in(cohort, author, status):
    entry = fieldlog.save_entry(author, entry_form(), submit=True)
    if status in ("approved",):
        agency = cohort.agency if entry.placement.agency_supervisor_id == cohort.agency.person.pk else None
        fieldlog.approve_entry(agency or cohort.academic, entry.pk)
    return entry


def marking_ready(cohort, author):
    entry = fieldlog.save_entry(author, entry_form(), submit=True)
    markings.grade(cohort.academic, entry.pk, "reflection", posted(**REFLECTION))
    markings.move(cohort.academic, entry.pk, "reflection", Marking.IN_REVIEW)
    markings.move(cohort.academic, entry.pk, "reflection", Marking.READY)
    return entry.pk


def evaluation_submitted(cohort, author):
    placement = author.person.placements.get(course=cohort.course)
    services.save_sheet(cohort.academic, placement.pk, "midterm", answers(3), submit=True)
    return placement.pk


def both_sides_in(cohort, author):
    placement = author.person.placements.get(course=cohort.course)
    # the agency's paper form, entered by the academic supervisor (the agency supervisor may be the author)
    services.save_sheet(cohort.academic, placement.pk, "midterm", answers(3), submit=True, side="agency")
    services.save_sheet(cohort.academic, placement.pk, "midterm", answers(3), submit=True)
    return placement.pk


def agreement_written(cohort, author):
    agreements.save(author, posted(goals_1="Use supervision every week.", activities_1="Weekly conference."))
    return author.person.placements.get(course=cohort.course).pk


def recording_submitted(cohort, author):
    return recordings.save(author, recording_form(), submit=True).pk


def answer_handed_in(cohort, author, key):
    attempt = play(author, key, "warm")
    return f"answer:{attempt.answers.get().pk}"


# name -> (which reviewers may do it to others, prepare(cohort, author) -> work, act(reviewer, work))
ACTIONS = {
    "approve an entry": ("agency", lambda c, a: entry_in(c, a, "submitted").pk,
                         lambda r, w: fieldlog.approve_entry(r, w)),
    "return an entry": ("agency", lambda c, a: entry_in(c, a, "submitted").pk,
                        lambda r, w: fieldlog.return_entry(r, w, "Add the agency's name.")),
    "countersign an entry": ("course", lambda c, a: entry_in(c, a, "approved").pk,
                             lambda r, w: fieldlog.countersign_entry(r, w)),
    "reopen an entry": ("course", lambda c, a: entry_in(c, a, "approved").pk,
                        lambda r, w: fieldlog.reopen_entry(r, w, "The date is wrong.")),
    "grade a reflection": ("course", lambda c, a: entry_in(c, a, "submitted").pk,
                           lambda r, w: markings.grade(r, w, "reflection", posted(**REFLECTION))),
    "release a grade": ("course", marking_ready, lambda r, w: markings.release(r, w, "reflection")),
    "override a grade": ("course", marking_ready, lambda r, w: markings.override(r, w, "reflection", "1", "Regraded.")),
    "send a grade back": ("course", marking_ready,
                          lambda r, w: markings.move(r, w, "reflection", Marking.IN_REVIEW, "Recheck.")),
    "fill an evaluation": ("agency", lambda c, a: a.person.placements.get(course=c.course).pk,
                           lambda r, w: services.save_sheet(r, w, "midterm", answers(5), submit=True)),
    "reopen an evaluation": ("course", evaluation_submitted,
                             lambda r, w: services.reopen_sheet(r, w, "midterm", "academic", "Recheck.")),
    "release an evaluation": ("course", both_sides_in, lambda r, w: services.release(r, w, "midterm")),
    "sign a learning agreement": ("agency", agreement_written, lambda r, w: agreements.sign(r, w)),
    "comment a process recording": ("agency", recording_submitted,
                                    lambda r, w: recordings.comment(r, w, posted(comment_0="Good opening."))),
}


def may(reviewer, who):
    return reviewer.supervises_course if who == "course" else (reviewer.supervises_course or reviewer.has(roles.AGENCY))


@pytest.mark.parametrize("action", list(ACTIONS))
def test_nobody_acts_on_their_own_work_but_may_on_another_s(cohort, dual, action):
    reviewer, author = dual
    who, prepare, act = ACTIONS[action]
    if not may(reviewer, who):
        pytest.skip("these roles may not do this to anyone's work")
    act(reviewer, prepare(cohort, cohort.other_student))  # allowed on another student's work
    own = prepare(cohort, author)
    before = state()
    with translation.override("ar"), pytest.raises(Forbidden) as refusal:
        act(reviewer, own)
    assert str(refusal.value.message) == "لا يجوز لأحد أن يعتمد عمله أو يعيده أو يصادق عليه أو يقيّمه بنفسه."
    assert refusal.value.status == 403
    assert state() == before


def test_a_simulation_answer_of_one_s_own_is_not_graded(cohort, dual, mini):  # noqa: F811 (fixture)
    reviewer, author = dual
    if not reviewer.supervises_course:
        pytest.skip("only course supervisors grade simulation answers")
    markings.grade(reviewer, answer_handed_in(cohort, cohort.other_student, mini), "simulation-answer",
                   posted(**ANSWER_FULL))
    own = answer_handed_in(cohort, author, mini)
    before = state()
    with translation.override("en"), pytest.raises(Forbidden, match=OWN_WORK):
        markings.grade(reviewer, own, "simulation-answer", posted(**ANSWER_FULL))
    assert state() == before


def test_a_supervisor_credits_the_others_but_not_themselves(cohort, dual):
    """Attendance credits hours through credit_entries: the person's own line is refused, the others written."""
    reviewer, author = dual
    if not reviewer.supervises_course:
        pytest.skip("only course supervisors credit hours")
    own = author.person.placements.get(course=cohort.course)
    other = cohort.other_student.person.placements.get(course=cohort.course)
    data = entry_form(activity_type="supervision", modality="remote", time_kind="indirect")
    with translation.override("en"):
        results = fieldlog.credit_entries(reviewer, [(own, data, {}), (other, data, {})])
    assert isinstance(results[0], Forbidden) and str(results[0].message) == OWN_WORK
    assert results[1].placement == other
    assert not own.entries.exists() and other.entries.count() == 1


def test_a_mentor_alone_still_approves_their_students(cohort):
    """The check is about the person, not the roles: a plain agency supervisor is not refused."""
    entry = fieldlog.save_entry(cohort.student, entry_form(), submit=True)
    assert fieldlog.approve_entry(cohort.agency, entry.pk).status == "approved"
