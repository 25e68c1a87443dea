"""After a launch, every form posts to /lti/app/ with the signed launch context (ctx) instead of a cookie."""
import time
from datetime import date, timedelta

from django.core import signing
from django.test import Client

from lti_tool import context
from lti_tool.models import ResourceLink
from maydan import vocab
from maydan.models import AgencyLink, AuditEvent, LogEntry, Placement

from .flow import ctx_of, launch

ENTRY = {
    "action": "save",
    "date": (date.today() - timedelta(days=3)).isoformat(),
    "start_time": "09:00",
    "end_time": "11:00",
    "activity_type": "home_visit",
    "modality": "in_person",
    "time_kind": "direct",
    "agency": "Hope Family Centre, Giza",
    "client_code": "C-014",
    "description": "Home visit to family C-014 to review the care plan.",
    "reflection": "I opened with the contract this time.",
}


def app(ctx, **fields):
    data = {"ctx": ctx, **fields} if ctx is not None else fields
    return Client().post("/lti/app/", data)  # a new client: no cookie carries anything


def student_ctx(person="student_1", lang="en"):
    return ctx_of(launch(Client(), person=person, lang=lang))


def test_a_student_saves_an_entry_through_the_signed_context(sandbox):
    response = app(student_ctx(), **ENTRY)
    assert response.status_code == 200, response.content.decode()
    assert "Draft saved." in response.content.decode()
    entry = LogEntry.objects.get()
    assert entry.placement.student.subject == "student_1" and entry.minutes == 120
    assert entry.status == vocab.DRAFT
    assert AuditEvent.objects.filter(entry=entry, action="create", actor__subject="student_1").exists()


def test_an_arabic_launch_answers_in_arabic(sandbox):
    response = app(student_ctx(lang="ar"), **ENTRY)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'dir="rtl"' in page and "حُفظت المسودة" in page


def test_the_screen_answers_a_fetch_with_the_screen_only(sandbox):
    response = Client().post("/lti/app/", {"ctx": student_ctx(), **ENTRY}, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 200
    assert "<html" not in response.content.decode() and "Draft saved." in response.content.decode()


def test_bad_input_is_a_400_with_the_reason_and_nothing_stored(sandbox):
    ctx = student_ctx()
    response = app(ctx, **{**ENTRY, "date": ""})
    assert response.status_code == 400
    assert 'class="maydan-error"' in response.content.decode()
    response = app(ctx, **{**ENTRY, "description": "Visited Mrs Fatma, phone 01012345678."})
    assert response.status_code == 400
    assert LogEntry.objects.count() == 0


def test_missing_context_is_refused_and_nothing_stored(sandbox):
    student_ctx()
    response = app(None, **ENTRY, lang="en")
    assert response.status_code == 403
    assert "not opened from your course" in response.content.decode()
    assert LogEntry.objects.count() == 0


def test_forged_context_is_refused_and_nothing_stored(sandbox):
    ctx = student_ctx()
    payload, stamp, signature = ctx.split(":")
    forged = signing.b64_encode(b'{"p":1,"c":1,"r":["coordinator"],"l":"en"}').decode()
    for token in (f"{forged}:{stamp}:{signature}", f"{payload}:{stamp}:{signature[:-2]}xx",
                  signing.dumps({"p": 1, "c": 1, "r": ["student"], "l": "en"}, salt="another.salt")):
        response = app(token, **ENTRY)
        assert response.status_code == 403, token
    assert LogEntry.objects.count() == 0


def test_expired_context_is_refused_in_the_persons_language(sandbox, monkeypatch):
    actor_ctx = ctx_of(launch(Client(), person="student_1", lang="ar"))
    actor = context.load(actor_ctx).actor
    now = time.time()
    # A context signed 7 h ago still works; one signed 9 h ago does not.
    monkeypatch.setattr(signing.time, "time", lambda: now - 7 * 3600)
    fresh_enough = context.dump(actor, "ar")
    monkeypatch.setattr(signing.time, "time", lambda: now - 9 * 3600)
    stale = context.dump(actor, "ar")
    monkeypatch.undo()
    assert app(fresh_enough, action="view").status_code == 200
    response = app(stale, **ENTRY)
    assert response.status_code == 401
    assert 'dir="rtl"' in response.content.decode()
    assert LogEntry.objects.count() == 0


def test_a_learner_cannot_approve(sandbox):
    ctx = student_ctx()
    assert app(ctx, **ENTRY, submit="1").status_code == 200
    entry = LogEntry.objects.get()
    assert entry.status == vocab.SUBMITTED
    response = app(ctx, action="approve", entry=entry.pk)
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.status == vocab.SUBMITTED
    assert not AuditEvent.objects.filter(entry=entry, action="approve").exists()


def test_the_mentor_approves_their_student_but_not_another(sandbox):
    assert app(student_ctx("student_1"), **ENTRY, submit="1").status_code == 200
    assert app(student_ctx("student_2"), **ENTRY, submit="1").status_code == 200
    mine = LogEntry.objects.get(placement__student__subject="student_1")
    theirs = LogEntry.objects.get(placement__student__subject="student_2")
    mentor = ctx_of(launch(Client(), person="mentor", lang="en"))
    response = app(mentor, action="approve", entry=mine.pk, placement=mine.placement_id)
    assert response.status_code == 200, response.content.decode()
    assert "Entry approved." in response.content.decode()
    response = app(mentor, action="approve", entry=theirs.pk, placement=theirs.placement_id)
    assert response.status_code == 404
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (vocab.APPROVED, vocab.SUBMITTED)


def test_an_instructor_issues_an_absolute_agency_link(sandbox, settings):
    student_ctx()
    instructor = ctx_of(launch(Client(), person="instructor", lang="en"))
    placement = Placement.objects.get(student__subject="student_1")
    response = app(instructor, action="issue_link", placement=placement.pk, days="30", name="Mr. Adel")
    assert response.status_code == 200, response.content.decode()
    assert AgencyLink.objects.filter(placement=placement).count() == 1
    page = response.content.decode()
    prefix = settings.MAYDAN_BASE_URL + "/maydan/agency/"
    assert prefix in page
    url = page[page.index(prefix):].split('"')[0].split("<")[0]
    assert Client().get(url[len(settings.MAYDAN_BASE_URL):]).status_code == 200


def test_app_answers_only_posts(sandbox):
    assert Client().get("/lti/app/").status_code == 405


def test_the_supervisor_pages_speak_the_launch_language(sandbox):
    teacher = ctx_of(launch(Client(), person="instructor", lang="ar"))
    page = Client().post("/lti/grades", {"ctx": teacher}).content.decode()
    assert 'dir="rtl"' in page and "الدرجات المرسلة إلى المنصة" in page and "لم تُدرج أي درجة بعد" in page
    # The platform's roster service does not answer: a gateway error, said in Arabic.
    ResourceLink.objects.update(memberships_url="http://127.0.0.1:9/memberships")  # nothing listens there
    answer = Client().post("/lti/roster", {"ctx": teacher})
    assert answer.status_code == 502 and "لم تُجب المنصة بقائمة المقرر" in answer.content.decode()
    ResourceLink.objects.update(memberships_url="")
    answer = Client().post("/lti/roster", {"ctx": teacher})
    assert answer.status_code == 404 and "لا تتيح المنصة قائمة هذا المقرر" in answer.content.decode()


def test_supervisor_pages_refuse_a_missing_or_forged_context(sandbox):
    for path in ("/lti/grades", "/lti/roster"):
        assert Client().post(path, {"ctx": "forged"}).status_code == 403
        assert Client().post(path).status_code == 403
        assert Client().get(path).status_code == 405
