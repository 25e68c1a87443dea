"""Through real launches: the latest launch's roles and Mentor scope are the ones that count, pages opened
before a role was taken away lose it, and nobody approves their own entry whatever roles they launch with."""
import pytest
from django.test import Client

from maydan import roles, vocab
from maydan.models import AuditEvent, LogEntry, Membership, Placement

from .flow import CLAIM, ctx_of, post, resign, until_form
from .test_app import ENTRY, app, student_ctx

LIS = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


def launched_as(person, lang="en", **changes):
    """A launch of `person` in which the platform says what `changes` say (roles, scope), signed by it."""
    client = Client()
    form = until_form(client, person=person, lang=lang)
    response = post(client, form, id_token=resign(form["id_token"], **changes))
    assert response.status_code == 200, response.content.decode()
    return response


def test_a_mentor_s_shrunk_scope_takes_the_student_away_on_the_next_launch(sandbox):
    for student in ("student_1", "student_2"):
        assert app(student_ctx(student), **ENTRY, submit="1").status_code == 200
    both = launched_as("mentor", **{CLAIM + "role_scope_mentor": ["student_1", "student_2"]})
    assert "Sara Adel" in both.content.decode() and "Omar Nabil" in both.content.decode()
    old_page = ctx_of(both)
    one = launched_as("mentor", **{CLAIM + "role_scope_mentor": ["student_2"]})
    assert "Sara Adel" not in one.content.decode() and "Omar Nabil" in one.content.decode()
    assert Placement.objects.get(student__subject="student_1").agency_supervisor is None
    gone = LogEntry.objects.get(placement__student__subject="student_1")
    for ctx in (ctx_of(one), old_page):  # also from a page opened before the shrink
        assert app(ctx, action="approve", entry=gone.pk, placement=gone.placement_id).status_code == 404
    gone.refresh_from_db()
    assert gone.status == vocab.SUBMITTED


def test_an_instructor_made_learner_loses_the_instructor_s_powers_also_on_pages_opened_before(sandbox):
    assert app(student_ctx("student_1"), **ENTRY, submit="1").status_code == 200
    entry = LogEntry.objects.get()
    as_instructor = ctx_of(launched_as("instructor"))
    as_learner = launched_as("instructor", lang="ar", **{CLAIM + "roles": [LIS + "Learner"]})
    assert set(Membership.objects.filter(person__subject="instructor").values_list("role", flat=True)) == {roles.STUDENT}
    refused = app(as_instructor, action="approve", entry=entry.pk, placement=entry.placement_id)
    assert refused.status_code == 403 and 'dir="rtl"' not in refused.content.decode()
    assert "Your roles in this course have changed." in refused.content.decode()
    assert app(ctx_of(as_learner), action="approve", entry=entry.pk).status_code in (403, 404)
    entry.refresh_from_db()
    assert entry.status == vocab.SUBMITTED and not AuditEvent.objects.filter(action="approve").exists()


@pytest.mark.parametrize("platform_roles", [["Learner", "Instructor"], ["Learner", "Mentor"],
                                            ["Learner", "TeachingAssistant"], ["Administrator", "Learner"]])
def test_nobody_approves_their_own_entry_whatever_roles_they_launch_with(sandbox, platform_roles):
    assert app(student_ctx("student_1"), **ENTRY, submit="1").status_code == 200
    entry = LogEntry.objects.get()
    scope = {CLAIM + "role_scope_mentor": ["student_1"]} if "Mentor" in platform_roles else {}
    both = launched_as("student_1", lang="ar", **{CLAIM + "roles": [LIS + r for r in platform_roles]}, **scope)
    before = AuditEvent.objects.count()
    refused = app(ctx_of(both), action="approve", entry=entry.pk, placement=entry.placement_id)
    page = refused.content.decode()
    assert refused.status_code == 403, page
    assert 'dir="rtl"' in page and "لا يجوز لأحد أن يعتمد عمله" in page
    entry.refresh_from_db()
    assert entry.status == vocab.SUBMITTED and AuditEvent.objects.count() == before


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_page_of_someone_no_longer_in_the_course_is_refused_in_their_language(sandbox, lang):
    ctx = ctx_of(launched_as("student_1", lang=lang))
    assert app(ctx, action="view").status_code == 200
    Membership.objects.filter(person__subject="student_1").delete()
    refused = app(ctx, action="view")
    assert refused.status_code == 403
    page = refused.content.decode()
    assert ('dir="rtl"' in page) == (lang == "ar")
    assert ("تغيّرت أدوارك في هذا المقرر" if lang == "ar" else "Your roles in this course have changed.") in page
