"""The simulation block in practice mode, and importing into its Studio editor."""
import json

import pytest
import webob

from maydan.models import GradeDestination, GradeOutbox
from maydan.simulation.models import CourseScenario, SimulationAttempt

from ..unit.test_simulation_import import H5P_CASES, MALFORMED, package
from .test_simulation_block import course, hoda, play_to_the_end  # noqa: F401 (fixtures)
from .xbtools import Person, lms_user


@pytest.fixture
def sara(course):
    return Person(course, lms_user("anon-sara", lang="en", name="Sara Adel"))


def test_a_practice_placement_plays_without_a_grade_and_weighs_nothing(hoda, sara):
    assert hoda.post_json("studio_submit", {"mode": "practice", "weight": "5"}).status_code == 200
    assert hoda.block().mode == "practice" and hoda.block().max_score() == 0.0
    assert "Practice: not graded" in sara.view()
    response = play_to_the_end(sara)
    assert response.status_code == 200
    assert SimulationAttempt.objects.get().mode == "practice"
    assert sara.published == [] and not GradeOutbox.objects.exists() and not GradeDestination.objects.exists()


def test_assessment_placement_unchanged(hoda, sara):
    assert hoda.post_json("studio_submit", {"mode": "assessment"}).status_code == 200
    play_to_the_end(sara)
    assert sara.published == [("grade", {"value": 1.0, "max_value": 1.0})]


def test_olx_mode_is_checked(course, hoda):
    block, runtime = course.open(hoda.user)
    assert runtime.parse_xml_string('<maydan_simulation mode="practice"/>')
    with pytest.raises(ValueError):
        runtime.parse_xml_string('<maydan_simulation mode="exam"/>')


def upload(person, data, name):
    block, runtime = person.course.open(person.user)
    request = webob.Request.blank("/", POST={"file": (name, data)})
    return runtime.handle(block, "studio_import", request)


def test_studio_imports_a_package_into_the_paste_box_and_saves_nothing(hoda):
    response = upload(hoda, package(H5P_CASES["questions and a loop back"]), "visit.h5p")
    body = json.loads(response.body)
    assert response.status_code == 200 and "id: h5p-home-visit" in body["source"]
    assert 'id="maydan-import-report"' in body["html"] and not CourseScenario.objects.exists()
    html = hoda.view("studio_view")
    assert "data-import-button" in html and 'name="mode"' in html


@pytest.mark.parametrize("case", ["zip bomb", "path traversal", "missing content.json"])
def test_studio_refuses_malformed_packages(hoda, case):
    response = upload(hoda, MALFORMED[case][0], "bad.h5p")
    assert response.status_code == 400 and json.loads(response.body)["errors"]["file"]
    assert not CourseScenario.objects.exists()


def test_students_cannot_import_in_studio(sara):
    response = upload(sara, package(H5P_CASES["questions and a loop back"]), "visit.h5p")
    assert response.status_code == 403 and not CourseScenario.objects.exists()
