"""Real launches signed by the sandbox platform land each role on its screen."""
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lti_tool.sandbox.platform import CLIENT_ID, DEPLOYMENT_ID, issuer
from maydan import roles
from maydan.models import Course, Membership, Person, Placement

from .flow import CLAIM, authorized_form, claims, launch, post, resign, until_form


def test_sandbox_signs_a_complete_resource_link_launch(sandbox):
    form = until_form(Client(), person="mentor", lang="ar")
    body = claims(form["id_token"])
    assert body["iss"] == issuer() and body["aud"] == CLIENT_ID and body["nonce"] == form["nonce"]
    assert body[CLAIM + "message_type"] == "LtiResourceLinkRequest"
    assert body[CLAIM + "deployment_id"] == DEPLOYMENT_ID
    assert body[CLAIM + "launch_presentation"]["locale"] == "ar"
    assert body[CLAIM + "role_scope_mentor"] == ["student_1"]
    assert body[CLAIM + "context"]["id"] == "field-training-1"


def test_learner_lands_in_their_field_log_in_arabic(sandbox):
    page = launch(Client(), person="student_1", lang="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert 'action="/lti/app/"' in page and 'name="action" value="save"' in page  # the entry form
    person = Person.objects.get(issuer=issuer(), subject="student_1")
    assert (person.name, person.email) == ("Sara Adel", "student1@sandbox.maydan.example")
    course = Course.objects.get(issuer=issuer(), context_id="field-training-1")
    assert course.title.startswith("Field Training I") and course.language == "ar"
    assert Membership.objects.filter(course=course, person=person, role=roles.STUDENT).exists()
    assert Placement.objects.filter(course=course, student=person).exists()


def test_learner_in_english_gets_a_left_to_right_page(sandbox):
    page = launch(Client(), person="student_2", lang="en").content.decode()
    assert '<html lang="en" dir="ltr">' in page
    assert "New entry" in page


def test_instructor_lands_in_the_supervisor_overview_of_every_student(sandbox):
    launch(Client(), person="student_1")
    launch(Client(), person="student_2")
    page = launch(Client(), person="instructor", lang="en").content.decode()
    assert "Field training: students" in page
    assert "Sara Adel" in page and "Omar Nabil" in page
    assert 'name="action" value="save"' not in page
    instructor = Person.objects.get(issuer=issuer(), subject="instructor")
    assert set(Membership.objects.filter(person=instructor).values_list("role", flat=True)) == {roles.ACADEMIC}


def test_administrator_is_the_field_coordinator(sandbox):
    launch(Client(), person="student_2")
    page = launch(Client(), person="admin", lang="en").content.decode()
    assert "Field training: students" in page and "Omar Nabil" in page
    admin = Person.objects.get(issuer=issuer(), subject="admin")
    assert set(Membership.objects.filter(person=admin).values_list("role", flat=True)) == {roles.COORDINATOR}


def test_mentor_sees_only_the_students_in_their_scope(sandbox):
    launch(Client(), person="student_1")
    launch(Client(), person="student_2")
    page = launch(Client(), person="mentor", lang="en").content.decode()
    assert "Field training: students" in page
    assert "Sara Adel" in page and "Omar Nabil" not in page
    mentor = Person.objects.get(issuer=issuer(), subject="mentor")
    assert Placement.objects.get(student__subject="student_1").agency_supervisor == mentor
    assert Placement.objects.get(student__subject="student_2").agency_supervisor is None
    assert Membership.objects.filter(person=mentor, role=roles.AGENCY).exists()


def test_mentor_launch_before_their_student_creates_the_student(sandbox):
    launch(Client(), person="mentor", lang="en")
    student = Person.objects.get(issuer=issuer(), subject="student_1")
    assert Placement.objects.get(student=student).agency_supervisor.subject == "mentor"
    # When the student launches later, it is the same person and placement.
    launch(Client(), person="student_1")
    assert Person.objects.filter(subject="student_1").count() == 1
    assert Placement.objects.get(student=student).agency_supervisor.subject == "mentor"


def test_the_same_context_on_another_course_is_another_course(sandbox):
    launch(Client(), person="student_1", course="field-training-1")
    launch(Client(), person="student_1", course="field-training-2")
    assert Course.objects.filter(issuer=issuer()).count() == 2
    assert Person.objects.filter(subject="student_1").count() == 1
    assert Placement.objects.filter(student__subject="student_1").count() == 2


@pytest.mark.parametrize("locale, direction", [("ar-EG", "rtl"), ("AR", "rtl"), ("en-US", "ltr"), ("fr-FR", "ltr")])
def test_language_follows_the_launch_locale(sandbox, locale, direction):
    client = Client()
    form = until_form(client, lang="en")
    body = claims(form["id_token"])
    presentation = {**body[CLAIM + "launch_presentation"], "locale": locale}
    response = post(client, form, id_token=resign(form["id_token"], **{CLAIM + "launch_presentation": presentation}))
    assert response.status_code == 200
    assert f'dir="{direction}"' in response.content.decode()


@pytest.mark.parametrize("person, seen", [("student_1", "New entry"), ("instructor", "Sara Adel"),
                                          ("mentor", "Sara Adel"), ("admin", "Sara Adel")])
def test_a_launch_that_changes_nothing_writes_nothing(sandbox, person, seen):
    # Every write transaction waits for the others on SQLite: a returning person who changed
    # nothing on the platform must not take that lock.
    launch(Client(), person="student_1", lang="en")
    launch(Client(), person=person, lang="en")
    client = Client()
    form = until_form(client, person=person, lang="en")
    with CaptureQueriesContext(connection) as captured:
        response = post(client, form)
    assert response.status_code == 200 and seen in response.content.decode()
    statements = [q["sql"].split()[0].upper() for q in captured]
    assert not {"INSERT", "UPDATE", "DELETE", "SAVEPOINT", "BEGIN"} & set(statements), statements


def test_a_relaunch_records_what_the_platform_changed(sandbox):
    launch(Client(), person="student_1", lang="en")
    client = Client()
    form = until_form(client, person="student_1", lang="en")
    body = claims(form["id_token"])
    renamed = {**body[CLAIM + "context"], "title": "Field Training I (spring)"}
    token = resign(form["id_token"], name="Sara Adel Mahmoud", **{
        CLAIM + "context": renamed, CLAIM + "roles": body[CLAIM + "roles"] + [
            "http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper"]})
    assert post(client, form, id_token=token).status_code == 200
    person = Person.objects.get(issuer=issuer(), subject="student_1")
    assert person.name == "Sara Adel Mahmoud"
    assert Course.objects.get(issuer=issuer(), context_id="field-training-1").title == "Field Training I (spring)"
    assert set(Membership.objects.filter(person=person).values_list("role", flat=True)) == {roles.STUDENT, roles.AUTHOR}


def test_a_mentor_whose_scope_grew_gets_the_new_student(sandbox):
    launch(Client(), person="student_2", lang="en")
    launch(Client(), person="mentor", lang="en")
    client = Client()
    form = until_form(client, person="mentor", lang="en")
    token = resign(form["id_token"], **{CLAIM + "role_scope_mentor": ["student_1", "student_2"]})
    page = post(client, form, id_token=token).content.decode()
    assert "Omar Nabil" in page and Placement.objects.get(student__subject="student_2").agency_supervisor.subject == "mentor"


def _tool_queries(person, link=None):
    """SQL statements of the tool's own two requests (login and launch) for a returning person; the
    sandbox platform's requests run in this process too and are not counted."""
    client = Client()
    start = client.get("/sandbox/launch", {"person": person, "course": "field-training-1", "lang": "en",
                                           **({"link": link} if link else {})})
    with CaptureQueriesContext(connection) as login_queries:
        login = client.get(start["Location"])
    form = authorized_form(client, login)
    with CaptureQueriesContext(connection) as launch_queries:
        answer = post(client, form)
    assert answer.status_code == 200
    return [q["sql"] for q in (*login_queries, *launch_queries)]


# The first screen's queries: a student's entries and their history; a supervisor's placements with their kept sums.
FIRST_SCREEN = {"student_1": 2, "instructor": 1, "mentor": 1, "admin": 1}
# Before it: the person, course, membership, link and a student's placement (with its agreement and agency supervisor)
# in one query; an agency supervisor's students in a second.
ARRIVAL = {"student_1": 1, "instructor": 1, "mentor": 2, "admin": 1}


@pytest.mark.parametrize("person", ["student_1", "instructor", "mentor", "admin"])
def test_a_returning_launch_costs_at_most_eight_queries(sandbox, person, monkeypatch):
    """The platform's registration is cached; person, course, membership and link take one query;
    the first screen at most three (a student's with entries: the placement and its agreement, the
    entries, their history)."""
    from maydan.fieldlog import screens  # noqa: PLC0415

    from .test_app import ENTRY, app, student_ctx  # noqa: PLC0415

    assert app(student_ctx("student_1"), **ENTRY, submit="1").status_code == 200
    launch(Client(), person="mentor", lang="en")  # the student's agency supervisor, named on their log
    launch(Client(), person=person, lang="en")
    drawn, render = [], screens.render

    def counted(screen):
        with CaptureQueriesContext(connection) as captured:
            page = render(screen)
        drawn.append([q["sql"] for q in captured])
        return page

    monkeypatch.setattr(screens, "render", counted)
    queries = _tool_queries(person)
    assert len(queries) <= 8, "\n".join(queries)
    assert not any("lti_tool_registration" in sql for sql in queries)
    assert [len(first) for first in drawn] == [FIRST_SCREEN[person]], drawn
    assert len(queries) - FIRST_SCREEN[person] == ARRIVAL[person], "\n".join(queries)
    assert [sql for sql in queries if "lti_tool_resourcelink" in sql] == \
        [sql for sql in queries if "maydan_membership" in sql], "\n".join(queries)


def test_a_changed_registration_is_read_afresh(sandbox):
    """Launches read the platform's registration from the cache; every change through the ORM
    (save, bulk update, delete, a new issuer) is seen by the next launch."""
    from lti_tool.models import Registration  # noqa: PLC0415

    launch(Client(), person="student_1", lang="en")
    with CaptureQueriesContext(connection) as captured:
        assert Registration.objects.of_issuer(issuer())[0].deployment_ids == [DEPLOYMENT_ID]
    assert len(captured) == 0
    Registration.objects.filter(issuer=issuer()).update(deployment_ids=["another"])
    assert Registration.objects.of_issuer(issuer())[0].deployment_ids == ["another"]
    row = Registration.objects.get(issuer=issuer())
    row.deployment_ids = ["a-third"]
    row.save()
    assert Registration.objects.of_issuer(issuer())[0].deployment_ids == ["a-third"]
    row.issuer = "https://moved.example"
    row.save()
    assert Registration.objects.of_issuer(issuer()) == []
    assert Registration.objects.of_issuer("https://moved.example")[0].pk == row.pk
    Registration.objects.filter(pk=row.pk).delete()
    assert Registration.objects.of_issuer("https://moved.example") == []


def test_a_process_builds_the_cached_registrations_once_until_they_change(sandbox):
    """The same cached value gives the same rows without unpickling them again; a change gives new rows at once; an
    issuer nobody registered is not kept."""
    from lti_tool.models import Registration, _built_here  # noqa: PLC0415

    launch(Client(), person="student_1", lang="en")
    first = Registration.objects.of_issuer(issuer())
    assert Registration.objects.of_issuer(issuer())[0] is first[0]
    Registration.objects.filter(issuer=issuer()).update(deployment_ids=["another"])
    changed = Registration.objects.of_issuer(issuer())
    assert changed[0] is not first[0] and changed[0].deployment_ids == ["another"]
    assert Registration.objects.of_issuer(issuer())[0] is changed[0]
    for n in range(3):
        assert Registration.objects.of_issuer(f"https://unknown-{n}.example") == []
    assert set(_built_here) == {issuer()}


_login_address = {}


def _login_goes_to(client_id=CLIENT_ID):
    """Where the tool's login sends the browser (the platform's authorization address), for the login the sandbox
    platform starts (started once: the sandbox's start sets its registration as it should be)."""
    if not _login_address:
        start = Client().get("/sandbox/launch", {"person": "student_1", "course": "field-training-1", "lang": "en"})
        _login_address["url"] = start["Location"]
    login = Client().get(_login_address["url"].replace(f"client_id={CLIENT_ID}", f"client_id={client_id}"))
    return login.status_code, login.get("Location", "").split("?")[0]


def _changed_by_another_process(sql, params):
    """A change to the registrations as another process makes it: the database and the shared cache, not this
    process's memory."""
    from lti_tool.models import registrations_key  # noqa: PLC0415
    from django.core.cache import cache  # noqa: PLC0415

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    cache.delete(registrations_key(issuer()))


def test_a_login_follows_a_change_at_once_here_within_its_time_elsewhere_and_the_launch_at_once(sandbox, monkeypatch):
    from lti_tool import lti  # noqa: PLC0415
    from lti_tool.models import Registration  # noqa: PLC0415

    monkeypatch.setattr(lti, "LOGIN_KEPT", 1)
    _login_address.clear()
    status, goes_to = _login_goes_to()
    assert status == 302 and goes_to.endswith("/sandbox/authorize")
    row = Registration.objects.get(issuer=issuer())
    row.auth_login_url = "https://platform.example/auth-here"
    row.save()  # this process: seen by the next login
    assert _login_goes_to() == (302, "https://platform.example/auth-here")
    _changed_by_another_process("UPDATE lti_tool_registration SET auth_login_url = %s WHERE id = %s",
                                ["https://platform.example/auth-elsewhere", row.pk])
    assert _login_goes_to() == (302, "https://platform.example/auth-here")  # kept for LOGIN_KEPT seconds
    import time  # noqa: PLC0415
    time.sleep(1.1)
    assert _login_goes_to() == (302, "https://platform.example/auth-elsewhere")


def test_a_login_finds_a_registration_another_process_just_added_and_a_launch_refuses_one_it_removed(sandbox):
    from lti_tool.models import Registration  # noqa: PLC0415

    _login_address.clear()
    assert _login_goes_to()[0] == 302
    row = Registration.objects.get(issuer=issuer())
    _changed_by_another_process(
        "INSERT INTO lti_tool_registration (issuer, client_id, auth_login_url, auth_token_url, key_set_url, key_set, "
        "deployment_ids, created) SELECT issuer, %s, %s, auth_token_url, key_set_url, key_set, deployment_ids, created "
        "FROM lti_tool_registration WHERE id = %s", ["second-client", "https://platform.example/second", row.pk])
    assert _login_goes_to("second-client") == (302, "https://platform.example/second")
    client = Client(headers={"Accept-Language": "en"})
    form = until_form(client, lang="en")  # the login keeps the registration in this process's memory
    _changed_by_another_process("DELETE FROM lti_tool_registration WHERE client_id = %s", [CLIENT_ID])
    refused = post(client, form)
    assert refused.status_code == 403 and "not registered" in refused.content.decode()


def test_a_launch_judged_by_the_registration_this_process_read_before_follows_a_change_made_elsewhere(sandbox):
    """A returning launch judges by the registration as its process read it last and confirms it as it marks its nonce
    used: a change another process made in between is never missed, whether it refuses the launch or allows it."""
    from lti_tool.models import Registration  # noqa: PLC0415

    launch(Client(), person="student_1", lang="en")  # this process has read the registration
    row = Registration.objects.get(issuer=issuer())
    client = Client(headers={"Accept-Language": "en"})
    form = until_form(client, person="student_2", lang="en")
    _changed_by_another_process("UPDATE lti_tool_registration SET deployment_ids = %s WHERE id = %s",
                                ['["another"]', row.pk])
    refused = post(client, form)
    assert refused.status_code in (400, 403) and "deployment" in refused.content.decode().lower()
    assert not Person.objects.filter(subject="student_2").exists()

    client = Client(headers={"Accept-Language": "en"})
    form = until_form(client, person="student_2", lang="en")  # the platform's start puts its deployment back
    kept = Registration.objects.built_here(issuer())
    _changed_by_another_process("UPDATE lti_tool_registration SET deployment_ids = %s WHERE id = %s",
                                [f'["another", "{DEPLOYMENT_ID}"]', row.pk])
    assert post(client, form).status_code == 200
    assert Person.objects.filter(subject="student_2").exists()
    assert Registration.objects.built_here(issuer())[0] != kept[0]  # judged again by the registration as it is now
    replayed = post(client, form)
    assert replayed.status_code == 409 and "already used" in replayed.content.decode()


def test_a_student_s_launch_shows_their_placement_as_recorded_now_read_with_their_arrival(sandbox):
    """A student's placement, its agency supervisor and its learning agreement come with the launch's arrival: each
    launch shows them as they are then, and the first screen reads none of them again."""
    from django.utils import timezone  # noqa: PLC0415

    from maydan.grading import agreements  # noqa: PLC0415
    from maydan.grading.models import Agreement  # noqa: PLC0415

    first = launch(Client(), person="student_1", lang="en").content.decode()
    assert 'data-agreement="missing"' in first and "data-placement-agency" not in first
    placement = Placement.objects.get(student__subject="student_1")
    supervisor = Person.objects.create(issuer=placement.student.issuer, subject="agency-9", name="Huda <Salem>")
    Placement.objects.filter(pk=placement.pk).update(agency="Ramallah <Family> Centre", agency_supervisor=supervisor)
    competency = agreements.competencies()[0]
    Agreement.objects.create(placement=placement, goals={competency.id: {"goals": "Lead an <intake>", "activities": ""}},
                             agency_signed_at=timezone.now(), agency_signed_by="Huda")
    with CaptureQueriesContext(connection) as captured:
        page = launch(Client(), person="student_1", lang="en").content.decode()
    assert "Ramallah &lt;Family&gt; Centre" in page and "Huda &lt;Salem&gt;" in page
    assert 'data-agreement="agency_signed"' in page and "Lead an &lt;intake&gt;" in page
    assert not any("maydan_placement" in q["sql"] and "maydan_membership" not in q["sql"]
                   and q["sql"].lstrip().upper().startswith("SELECT") for q in captured), "a placement read again"


def test_a_launch_whose_registration_was_forgotten_then_cached_again_unchanged_meanwhile_is_accepted(sandbox,
                                                                                                    monkeypatch):
    """A registration forgotten during a launch (a save that changed nothing, in another process) and read back into
    the cache by yet another before the launch looks again: the launch is judged again, never refused for it."""
    from django.core.cache import caches  # noqa: PLC0415

    from lti_tool import lti  # noqa: PLC0415
    from lti_tool.models import Registration, registrations_key  # noqa: PLC0415

    launch(Client(), person="student_1", lang="en")  # this process has read the registration
    row = Registration.objects.get(issuer=issuer())
    client = Client(headers={"Accept-Language": "en"})
    form = until_form(client, person="student_2", lang="en")
    _changed_by_another_process("UPDATE lti_tool_registration SET client_id = client_id WHERE id = %s", [row.pk])
    cache, delete = caches["default"], caches["default"].delete

    def taken_back_while_another_process_reads_it(key, *args, **kwargs):
        deleted = delete(key, *args, **kwargs)
        if key.startswith(lti.NONCE_USED_PREFIX):  # the same rows, cached again as another process pickles them
            cache.set(registrations_key(issuer()), Registration.objects.built_here(issuer())[0], 600)
        return deleted

    monkeypatch.setattr(cache, "delete", taken_back_while_another_process_reads_it)
    assert post(client, form).status_code == 200
    assert Person.objects.filter(subject="student_2").exists()
