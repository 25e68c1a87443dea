"""Over LTI: a simulation placed for practice sends no grade; authors import H5P and branching-xblock files."""
import html
import json
import re
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lti_tool.models import ResourceLink
from lti_tool.sandbox import ensure_sandbox_registration
from lti_tool.sandbox.models import SandboxLink
from maydan import people, roles
from maydan.models import GradeDestination, GradeOutbox
from maydan.simulation.models import CourseScenario

from ..unit.test_simulation_import import H5P_CASES, MALFORMED, package
from .flow import hidden, launch
from .test_activity_grades import play_to_the_end
from .test_course_settings import staff_ctx

SCENARIO = "etherapy-anxious"


def place_for_practice(client, activity):
    picker = launch(client, person="instructor", lang="en", deep_link=True)
    answer = client.post("/lti/deep-link", {"dl": hidden(picker, "dl"), "lang": "en", "activity": [activity],
                                            "mode": "practice"})
    assert answer.status_code == 200, answer.content.decode()
    action = urlsplit(html.unescape(re.search(r'action="([^"]+)"', answer.content.decode()).group(1))).path
    client.post(action + "?lang=en", {"JWT": hidden(answer, "JWT")})
    return SandboxLink.objects.order_by("-pk").first()


def test_a_practice_link_has_no_column_offers_practice_and_sends_no_grade(sandbox):
    ensure_sandbox_registration()
    link = place_for_practice(Client(), f"simulation:{SCENARIO}")
    assert link.custom == {"maydan_activity": f"simulation:{SCENARIO}", "maydan_mode": "practice"}
    page = launch(Client(), person="student_1", link=link.pk, lang="en").content.decode()
    assert "Practice: not graded" in page
    assert ResourceLink.objects.get().mode == "practice"
    student = people.enter(ResourceLink.objects.get().registration.issuer, "field-training-1", "student_1",
                           {roles.STUDENT})
    play_to_the_end(student, SCENARIO)                                 # an assessment attempt elsewhere...
    assert not GradeDestination.objects.filter(activity=f"simulation:{SCENARIO}").exists()
    assert not GradeOutbox.objects.exists()                            # ...reaches no practice link


def scenarios(client, ctx, **posted):
    return client.post("/lti/scenarios", {"ctx": ctx, "lang": "en", **posted})


def test_an_author_imports_a_package_into_the_box_and_nothing_is_saved_until_they_save(sandbox):
    client = Client()
    ctx = staff_ctx(client)
    upload = SimpleUploadedFile("visit.h5p", package(H5P_CASES["questions and a loop back"]))
    page = scenarios(client, ctx, do="import", package=upload)
    body = html.unescape(page.content.decode())
    assert page.status_code == 200 and 'id="maydan-import-report"' in body and "id: h5p-home-visit" in body
    assert not CourseScenario.objects.exists()
    source = re.search(r'<textarea id="scenario-source"[^>]*>(.*?)</textarea>', body, re.S).group(1)
    assert scenarios(client, ctx, do="save", source=source).status_code == 200
    assert CourseScenario.objects.get().key == "h5p-home-visit"


def test_branching_xblock_json_imports_in_arabic_too(sandbox):
    client = Client()
    ctx = staff_ctx(client, lang="ar")
    data = {"nodes": {"n1": {"id": "n1", "content": "<p>يفتح الباب</p>", "choices": [
        {"text": "أحيّي", "target_node_id": "n2", "score": 5}]}, "n2": {"id": "n2", "content": "النهاية"}},
            "start_node_id": "n1"}
    upload = SimpleUploadedFile("s.json", json.dumps(data).encode())
    page = client.post("/lti/scenarios", {"ctx": ctx, "lang": "ar", "do": "import", "package": upload})
    body = html.unescape(page.content.decode())
    assert page.status_code == 200 and "تقرير الاستيراد" in body and "[TO TRANSLATE]" in body


@pytest.mark.parametrize("case", ["zip bomb", "path traversal", "missing content.json", "not a zip"])
def test_malformed_packages_are_refused_with_a_reason_and_nothing_saved(sandbox, case):
    client = Client()
    page = scenarios(client, staff_ctx(client), do="import",
                     package=SimpleUploadedFile("bad.h5p", MALFORMED[case][0]))
    assert page.status_code == 400 and 'id="err-file"' in page.content.decode()
    assert not CourseScenario.objects.exists()


def test_students_cannot_import(sandbox):
    client = Client()
    ctx = staff_ctx(client, person="student_1")
    upload = SimpleUploadedFile("visit.h5p", package(H5P_CASES["questions and a loop back"]))
    assert scenarios(client, ctx, do="import", package=upload).status_code == 403
    assert not CourseScenario.objects.exists()
