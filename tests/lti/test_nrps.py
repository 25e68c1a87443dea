"""NRPS: the sandbox's roster enters the course, so supervisors see students who never launched."""
import pytest
from django.test import Client

from lti_tool import nrps
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


LIS = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


@pytest.fixture
def odd_roster(db):
    """A platform of its own (a real HTTP server) that gives the tool tokens and answers roster pages as told."""
    from lti_tool.models import Registration

    from .odd_platform import OddPlatform

    platform = OddPlatform()
    platform.routes["/token"] = {"access_token": "token", "token_type": "Bearer", "expires_in": 3600}
    registration = Registration.objects.create(
        issuer=platform.base, client_id="odd", auth_login_url=platform.base + "/auth",
        auth_token_url=platform.base + "/token", key_set_url=platform.base + "/jwks")
    yield platform, registration
    platform.close()


def member(subject, *platform_roles, **more):
    return {"user_id": subject, "roles": [LIS + role for role in platform_roles or ("Learner",)], **more}


def page(members, next_page=None):
    return (200, {"Link": f'<{next_page}>; rel="next"'} if next_page else {}, {"members": members})


def test_the_roster_s_pages_are_followed_as_the_platform_wrote_their_addresses(odd_roster):
    platform, registration = odd_roster
    first = platform.base + "/Roster/CourseSection/7/memberships"
    platform.routes["/Roster/CourseSection/7/memberships"] = page(
        [member("u1"), member("u2", "Instructor")], first + "?Cursor=AbC")
    # Only this exact address (cases as written) answers; the third page's address is relative.
    platform.routes["/Roster/CourseSection/7/memberships?Cursor=AbC"] = page([member("u3")], "Page3?Cursor=XyZ")
    platform.routes["/Roster/CourseSection/7/Page3?Cursor=XyZ"] = page([member("u4", "Mentor")])
    listed = nrps.fetch(registration, first)
    assert {(m.subject, frozenset(m.roles)) for m in listed} == {
        ("u1", frozenset({roles.STUDENT})), ("u2", frozenset({roles.ACADEMIC})), ("u3", frozenset({roles.STUDENT})),
        ("u4", frozenset({roles.AGENCY}))}


@pytest.mark.parametrize("loop", ["a page naming itself next", "two pages naming each other", "pages that never end"])
def test_a_roster_whose_pages_loop_or_never_end_is_refused_whole_and_quickly(odd_roster, loop):
    platform, registration = odd_roster
    if loop == "a page naming itself next":
        platform.routes["/r"] = page([member("u1")], platform.base + "/r")
    elif loop == "two pages naming each other":
        platform.routes["/r"] = page([member("u1")], platform.base + "/r2")
        platform.routes["/r2"] = page([member("u2")], platform.base + "/r")
    else:
        platform.routes["/r"] = lambda path: page([member("u1")], f"/r?page={len(platform.asked)}")
    with pytest.raises(nrps.RosterRefused):
        nrps.fetch(registration, platform.base + "/r")
    assert len([path for path in platform.asked if path.startswith("/r")]) <= nrps.MOST_PAGES


def test_odd_members_are_left_out_and_the_others_entered(odd_roster):
    platform, registration = odd_roster
    platform.routes["/r"] = page([
        1, "someone", None, ["u9"],
        member(True), member(""), member(["u8"]), member("x" * 256),
        {"user_id": "no-roles"}, {"user_id": "roles-a-string", "roles": LIS + "Learner"},
        member("gone", status="Inactive"),
        member("ok", name={"first": "Omar"}, given_name=5, family_name="Nabil", email=7),
        member(42, "Instructor", name="Dr. Numbered", email="n@example.org"),
    ])
    listed = {m.subject: m for m in nrps.fetch(registration, platform.base + "/r")}
    assert set(listed) == {"ok", "42"}
    assert (listed["ok"].name, listed["ok"].email, listed["ok"].roles) == ("Nabil", "", frozenset({roles.STUDENT}))
    assert (listed["42"].name, listed["42"].email) == ("Dr. Numbered", "n@example.org")


@pytest.mark.parametrize("hangs", ["/token", "/r"])
def test_a_platform_that_never_answers_does_not_hold_the_roster_for_ever(odd_roster, monkeypatch, hangs):
    import time

    from lti_tool import lti

    from .odd_platform import Slow

    platform, registration = odd_roster
    platform.routes["/r"] = page([member("u1")])
    platform.routes[hangs] = (200, {}, Slow(10))
    monkeypatch.setattr(lti, "FETCH_TIMEOUT", 0.5)
    started = time.monotonic()
    with pytest.raises(Exception):
        nrps.fetch(registration, platform.base + "/r")
    assert time.monotonic() - started < 5
