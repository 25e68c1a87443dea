"""Authoring over LTI: a course writes its own case scenarios, checked by the validator, placed in that course only."""
import html
import json

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from maydan.models import AuditEvent, Membership
from maydan.people import Actor
from maydan.simulation import library, media
from maydan.simulation.models import CourseScenario, ScenarioMedia
from tests.unit.test_simulation_media import MP3, png

from .flow import launch
from .test_course_settings import staff_ctx

SHIPPED = library.shipped()["etherapy-chat"][0]
OWN = SHIPPED.replace("id: etherapy-chat", "id: court-visit").replace(
    'en: "E-therapy by chat: an anxious client who will not use video"', 'en: "A court-ordered home visit"', 1)


def as_json(text):
    return json.dumps(yaml.safe_load(text), ensure_ascii=False)


def scenarios(client, ctx, lang="en", **posted):
    return client.post("/lti/scenarios", {"ctx": ctx, "lang": lang, **posted})


def picker(client, course="field-training-1"):
    return launch(client, person="instructor", course=course, lang="en", deep_link=True).content.decode()


@pytest.mark.parametrize("person, role", [("instructor", None), ("admin", None), ("student_2", "ContentDeveloper")])
def test_course_staff_add_a_scenario_that_only_their_course_can_place(sandbox, person, role):
    client = Client()
    ctx = staff_ctx(client, person=person, role=role)
    page = launch(client, person=person, lang="en").content.decode() if role is None else ""
    assert role is not None or 'id="maydan-course-scenarios"' in page
    saved = scenarios(client, ctx, do="save", source=OWN)
    body = saved.content.decode()
    assert saved.status_code == 200 and "court-visit" in body and 'id="maydan-scenario-preview"' in body
    assert 'value="simulation:court-visit"' in picker(client)
    assert 'value="simulation:court-visit"' not in picker(client, course="field-training-2")
    event = AuditEvent.objects.get(action="simulation_scenario")
    assert event.actor.subject == person and event.changes == {"scenario": "court-visit", "created": True}


def test_an_uploaded_json_file_checks_then_saves_and_a_new_version_replaces_the_old(sandbox):
    client = Client()
    ctx = staff_ctx(client)
    upload = SimpleUploadedFile("court.json", as_json(OWN).encode(), content_type="application/json")
    checked = scenarios(client, ctx, do="check", file=upload)
    assert checked.status_code == 200 and 'id="maydan-scenario-preview"' in checked.content.decode()
    assert not CourseScenario.objects.exists()  # a check saves nothing
    scenarios(client, ctx, do="save", source=OWN)
    opened = scenarios(client, ctx, do="open", key="court-visit").content.decode()
    assert "A court-ordered home visit" in opened and "id: court-visit" in opened
    changed = OWN.replace('en: "A court-ordered home visit"', 'en: "A court-ordered home visit, revised"')
    assert scenarios(client, ctx, do="save", source=changed).status_code == 200
    assert CourseScenario.objects.get().source == changed
    assert "A court-ordered home visit, revised" in picker(client)


BROKEN = {
    "unknown target": OWN.replace("next: ", "next: nowhere-", 1),
    "missing Arabic": OWN.replace('  ar: "العلاج الإلكتروني بالمحادثة: عميل قلق يرفض الفيديو"\n', "", 1),
    "not YAML": "id: [unclosed",
    "not a scenario": "just words",
    "JSON that breaks": '{"id": "court-visit", ',
}


@pytest.mark.parametrize("case", BROKEN)
@pytest.mark.parametrize("action", ["check", "save"])
def test_a_broken_scenario_is_refused_with_its_problems_and_nothing_is_saved(sandbox, case, action):
    client = Client()
    ctx = staff_ctx(client)
    answer = scenarios(client, ctx, do=action, source=BROKEN[case])
    page = answer.content.decode()
    assert answer.status_code == 400 and 'id="err-scenario"' in page and 'id="maydan-scenario-preview"' not in page
    assert html.escape(BROKEN[case].split("\n")[0]) in page  # the text is kept to be corrected
    assert not CourseScenario.objects.exists()
    assert not AuditEvent.objects.filter(action="simulation_scenario").exists()
    assert "court-visit" not in picker(client)


def test_the_problems_are_the_validators_with_line_and_node(sandbox):
    client = Client()
    page = scenarios(client, staff_ctx(client), do="check", source=BROKEN["unknown target"]).content.decode()
    assert "it leads to a node that does not exist" in page and "line " in page and "node " in page


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("s.yaml", "id: café\n".encode("latin-1")), "not text in UTF-8"),
    (SimpleUploadedFile("s.yaml", b"# " + b"x" * (1100 * 1024)), "too large"),
])
def test_an_unreadable_or_oversized_file_is_refused(sandbox, upload, message):
    client = Client()
    answer = scenarios(client, staff_ctx(client), do="save", file=upload)
    assert answer.status_code == 400 and message in answer.content.decode()
    assert not CourseScenario.objects.exists()


def test_a_library_id_or_an_empty_form_is_refused(sandbox):
    client = Client()
    ctx = staff_ctx(client)
    taken = scenarios(client, ctx, do="save", source=SHIPPED)
    assert taken.status_code == 409 and "library already has the id" in taken.content.decode()
    assert scenarios(client, ctx, do="save", source="  ").status_code == 400
    assert scenarios(client, ctx, do="open", key="etherapy-chat").status_code == 404
    assert not CourseScenario.objects.exists()


@pytest.mark.parametrize("person, lang, message", [
    ("student_1", "en", "Only the course&#x27;s authors and supervisors write scenarios."),
    ("mentor", "ar", "لا يكتب السيناريوهات إلا"),
])
def test_learners_and_mentors_are_refused_in_their_language(sandbox, person, lang, message):
    client = Client()
    ctx = staff_ctx(client, person=person, lang=lang)
    for posted in ({}, {"do": "save", "source": OWN}, {"do": "check", "source": OWN}):
        answer = scenarios(client, ctx, lang, **posted)
        assert answer.status_code == 403 and message in answer.content.decode()
    for action in ("check", "preview", "load", "save"):  # the visual editor's requests
        request = {"do": action, "scenario": yaml.safe_load(OWN), "key": "etherapy-chat"}
        answer = client.post("/lti/scenarios/editor", {"ctx": ctx, "request": json.dumps(request)})
        assert answer.status_code == 403 and html.unescape(message) in answer.json()["error"]
    assert not CourseScenario.objects.exists()
    assert 'id="maydan-course-scenarios"' not in launch(client, person=person, lang=lang).content.decode()


def _media_address(subject, course, name):
    """The address of a media file the course's pages would show this person (their own signed pass)."""
    row = Membership.objects.select_related("person", "course").get(person__subject=subject, course__context_id=course)
    return media.url(Actor(course=row.course, person=row.person, roles=frozenset({row.role})), name)


def test_course_staff_upload_a_scenario_s_media_and_only_their_course_sees_it(sandbox, settings, tmp_path):
    """Upload over LTI with refusals in the page's language; the file is served to the course's own student
    and a student of another course finds nothing; a student may not upload."""
    settings.MEDIA_ROOT = tmp_path
    client = Client()
    ctx = staff_ctx(client, lang="ar")
    wrong = scenarios(client, ctx, "ar", do="media", media=SimpleUploadedFile("door.png", MP3))
    assert wrong.status_code == 400 and "لا يطابق ما يدل عليه اسمه" in html.unescape(wrong.content.decode())
    assert scenarios(client, ctx, "ar", do="media").status_code == 400
    assert not ScenarioMedia.objects.exists()
    done = scenarios(client, ctx, "en", do="media", media=SimpleUploadedFile("door.png", png()))
    assert done.status_code == 200 and "door.png" in done.content.decode().split('id="maydan-media-list"')[1]
    source = OWN.replace("src: sleep-diary.svg", "src: door.png")
    assert "src: door.png" in source and scenarios(client, ctx, do="save", source=source).status_code == 200

    launch(Client(), person="student_1", lang="en")
    launch(Client(), person="student_1", course="field-training-2", lang="en")
    own = Client().get(_media_address("student_1", "field-training-1", "door.png"))
    assert own.status_code == 200 and b"".join(own.streaming_content) == png()
    assert Client().get(_media_address("student_1", "field-training-2", "door.png")).status_code == 404
    refused = scenarios(Client(), staff_ctx(Client(), person="student_1"), do="media",
                        media=SimpleUploadedFile("door.png", png()))
    assert refused.status_code == 403 and ScenarioMedia.objects.count() == 1
