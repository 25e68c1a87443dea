"""The visual editor over LTI: its page, and its JSON requests with the signed launch context as credential.
Instructors and content developers check, preview and save (learners and mentors are refused in
test_authoring, beside the page's own refusals)."""
import json
import re

import pytest
from django.test import Client

from maydan.models import AuditEvent
from maydan.simulation.models import CourseScenario

from ..unit.test_simulation_engine import small
from .test_course_settings import staff_ctx


def editor(client, ctx, **request):
    answer = client.post("/lti/scenarios/editor", {"ctx": ctx, "request": json.dumps(request)})
    return answer.status_code, answer.json()


def test_the_scenarios_page_carries_the_editor_in_the_launch_language(sandbox):
    client = Client()
    page = client.post("/lti/scenarios", {"ctx": staff_ctx(client, lang="ar")}).content.decode()
    assert "data-scenario-editor" in page and 'data-endpoint="/lti/scenarios/editor"' in page
    config = json.loads(re.search(r'<script type="application/json">(.*?)</script>', page, re.S).group(1))
    assert "scenario_editor.js" in page and config["labels"]["map"] == "خريطة السيناريو"
    assert config["scenario"] is None and "etherapy-chat" in [key for key, _title in config["items"]]


def test_an_opened_scenario_is_the_one_the_editor_shows(sandbox):
    client = Client()
    ctx = staff_ctx(client)
    assert editor(client, ctx, do="save", scenario=small())[0] == 200
    page = client.post("/lti/scenarios", {"ctx": ctx, "do": "open", "key": "mini"}).content.decode()
    assert '"id": "mini"' in page  # the editor's data, beside the text box


@pytest.mark.parametrize("person, role", [("instructor", None), ("admin", None), ("student_2", "ContentDeveloper")])
def test_authors_check_preview_and_save(sandbox, person, role):
    client = Client()
    ctx = staff_ctx(client, person=person, role=role)
    status, checked = editor(client, ctx, do="check", scenario=small())
    assert status == 200 and checked["problems"] == []
    status, previewed = editor(client, ctx, do="preview", scenario=small(), node="b", variables={"rapport": 2})
    assert status == 200 and previewed["node"] == "good"
    status, saved = editor(client, ctx, do="save", scenario=small())
    assert status == 200 and saved["key"] == "mini" and CourseScenario.objects.get().key == "mini"
    assert AuditEvent.objects.get(action="simulation_scenario").actor.subject == person


def test_without_a_valid_launch_context_nothing_is_done(sandbox):
    client = Client()
    ctx = staff_ctx(client)
    for forged in ("", "x", ctx[:-3] + "abc"):
        answer = client.post("/lti/scenarios/editor", {"ctx": forged, "request": json.dumps({"do": "save", "scenario": small()})})
        assert 400 <= answer.status_code < 500 and answer.json()["error"]
    assert client.get("/lti/scenarios/editor").status_code == 405
    assert not CourseScenario.objects.exists()


@pytest.mark.parametrize("request_text", ["", "not json", "[1]", '{"do": "save", "scenario": ' * 40, "{" + "x" * 2_000_000])
def test_a_malformed_request_is_refused_with_a_reason(sandbox, request_text):
    client = Client()
    answer = client.post("/lti/scenarios/editor", {"ctx": staff_ctx(client), "request": request_text})
    assert answer.status_code == 400 and answer.json()["error"]
    assert not CourseScenario.objects.exists()


def test_a_broken_scenario_comes_back_with_its_problems_by_node_and_nothing_saved(sandbox):
    client = Client()
    data = small()
    data["nodes"][1]["branches"][0]["next"] = "gone"
    status, body = editor(client, staff_ctx(client, lang="ar"), do="save", scenario=data)
    assert status == 400 and [p["node"] for p in body["problems"]] == ["b"]
    assert body["problems"][0]["message"].startswith("تؤدي إلى")
    assert not CourseScenario.objects.exists()
