"""NRPS: the sandbox's roster enters the course, so supervisors see students who never launched."""
import pytest
from django.test import Client

from lti_tool.models import ResourceLink
from lti_tool.sandbox import services as platform
from lti_tool.sandbox import ensure_sandbox_registration
from maydan import roles
from maydan.models import AuditEvent, Membership, Person, Placement

from .flow import ctx_of, launch

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, settings):
    settings.MAYDAN_BASE_URL = live_server.url
    settings.MAYDAN_LTI_ROSTER_ON_LAUNCH = True
    ensure_sandbox_registration()
    return live_server.url


def roles_of(sub):
    return set(Membership.objects.filter(person__subject=sub).values_list("role", flat=True))


def test_a_launch_brings_the_whole_roster(site):
    page = launch(Client(), person="instructor", lang="en").content.decode()
    # Omar (student_2) never launched, yet the academic supervisor sees him.
    assert "Omar Nabil" in page and "Sara Adel" in page
    assert roles_of("student_2") == {roles.STUDENT} and roles_of("mentor") == {roles.AGENCY}
    assert roles_of("admin") == {roles.COORDINATOR} and roles_of("instructor") == {roles.ACADEMIC}
    assert Placement.objects.filter(student__subject="student_2").exists()
    assert Person.objects.get(subject="student_2").email == "student2@sandbox.maydan.example"
    assert ResourceLink.objects.get().memberships_url.endswith("/sandbox/courses/field-training-1/memberships")


def test_a_supervisor_updates_the_roster_on_demand(site, settings):
    settings.MAYDAN_LTI_ROSTER_ON_LAUNCH = False
    teacher = launch(Client(), person="instructor", lang="en")
    assert not Person.objects.filter(subject="student_2").exists()
    answer = Client().post("/lti/roster", {"ctx": ctx_of(teacher)})
    assert answer.status_code == 200, answer.content.decode()
    assert "5 people listed by the platform" in answer.content.decode()
    assert roles_of("student_2") == {roles.STUDENT}
    assert AuditEvent.objects.filter(action="roster_synced").count() == 1


def test_a_student_cannot_update_the_roster(site, settings):
    settings.MAYDAN_LTI_ROSTER_ON_LAUNCH = False
    student = launch(Client(), person="student_1", lang="en")
    people_before = Person.objects.count()
    answer = Client().post("/lti/roster", {"ctx": ctx_of(student)})
    assert answer.status_code == 403
    assert "can update the roster" in answer.content.decode()
    assert Person.objects.count() == people_before and not AuditEvent.objects.filter(action="roster_synced").exists()


def test_the_roster_unavailable_is_a_502_and_the_launch_still_works(site):
    platform.fail_next(2)
    teacher = launch(Client(), person="instructor", lang="en")
    assert not Person.objects.filter(subject="student_2").exists()
    answer = Client().post("/lti/roster", {"ctx": ctx_of(teacher)})
    assert answer.status_code == 502 and "did not answer with the roster" in answer.content.decode()
    assert not Person.objects.filter(subject="student_2").exists()
