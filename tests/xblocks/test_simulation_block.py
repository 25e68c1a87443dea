"""The case simulation block on XBlock's TestRuntime, as the LMS runs it for each person, and in the workbench."""
import json
import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.test import Client
from opaque_keys.edx.locator import BlockUsageLocator
from xblock.fields import ScopeIds
from xblock.runtime import KvsFieldData

from maydan.models import GradeDestination, GradeOutbox
from maydan.simulation.models import CourseScenario, SimulationAttempt, SimulationPolicy
from xblocks.simulation import SimulationXBlock

from ..unit.test_simulation_services import mini_source
from .xbtools import COURSE_KEY, LmsCourse, Person, RecordingRuntime, StaticUserService, lms_user

USAGE = BlockUsageLocator(COURSE_KEY, block_type="maydan_simulation", block_id="sim1")
# The route to the good ending of the demo scenario.
ROUTE = [("opening", "accept"), ("confidentiality", "explain"), ("story", "reflect"), ("risk-check", "ask-safety"),
         ("safety-answer", "thank"), ("formulation", None), ("contract", "joint-goals"), ("homework", "breathing-log")]


class SimulationCourse(LmsCourse):
    def open(self, user):
        runtime = RecordingRuntime(services={"field-data": KvsFieldData(self.kvs), "user": StaticUserService(user)})
        scope_ids = ScopeIds(user.opt_attrs["edx-platform.anonymous_user_id"], "maydan_simulation", USAGE, USAGE)
        return runtime.construct_xblock_from_class(SimulationXBlock, scope_ids), runtime


@pytest.fixture
def course(db):
    return SimulationCourse(USAGE)


@pytest.fixture
def sara(course):
    return Person(course, lms_user("anon-sara", lang="ar", name="Sara Adel"))


@pytest.fixture
def hoda(course):
    return Person(course, lms_user("anon-hoda", role="staff", lang="en", name="Dr. Hoda"))


def attempt_id(person):
    return SimulationAttempt.objects.get(student__subject=person.user.opt_attrs["edx-platform.anonymous_user_id"],
                                         status__in=("playing", "debrief")).pk


def play_to_the_end(person, reflection="تعلمت أن أتمهل وأن أحترم اختيار العميلة."):
    person.act(action="start")
    aid = attempt_id(person)
    for node, choice in ROUTE:
        form = {"action": "choose", "attempt": aid, "node": node, "choice": choice} if choice else \
            {"action": "answer", "attempt": aid, "node": node, "answer": "C-27: قلق أداء تغذيه مخاوف التقييم."}
        response = person.act(**form)
        assert response.status_code == 200, response.text
    return person.act(action="reflect", attempt=aid, reflection=reflection)


def test_student_sees_the_case_in_arabic_right_to_left(sara):
    html = sara.view()
    assert '<div class="maydan" lang="ar" dir="rtl"' in html and "ابدأ الحالة" in html
    assert "العلاج الإلكتروني بالمحادثة" in html


def test_a_student_plays_to_the_end_and_the_grade_is_published_from_the_server(sara):
    sara.view()
    response = play_to_the_end(sara)
    assert response.status_code == 200 and "100%" in response.text
    assert sara.published == [("grade", {"value": 1.0, "max_value": 1.0})]
    assert GradeOutbox.objects.get().delivered_at is not None
    sara.view()
    assert len(sara.published) == 1                       # never applied twice


def test_no_grade_before_the_reflection_and_a_get_is_refused(sara):
    sara.view()
    sara.act(action="start")
    assert sara.published == []
    block, runtime = sara.course.open(sara.user)
    import webob

    assert runtime.handle(block, "act", webob.Request.blank("/")).status_code == 405


def test_supervisor_sees_analytics_and_exports_csv_students_cannot(sara, hoda):
    sara.view()
    play_to_the_end(sara)
    page = hoda.view()
    assert "Choices at each step" in page and "Sara Adel" in page
    csv = hoda.act(action="csv")
    assert csv.status_code == 200 and csv.content_type == "text/csv"
    assert "attachment" in csv.headers["Content-Disposition"] and "opening,study" in csv.text
    assert sara.act(action="csv").status_code == 403


def test_studio_saves_a_pasted_scenario_and_the_policy(hoda, sara):
    sara.view()                                              # the block reports the library scenario's grades
    response = hoda.post_json("studio_submit", {"source": mini_source(), "max_attempts": "2", "grade_rule": "last",
                                                "undo_allowed": "", "weight": "5", "display_name": "Mini case"})
    assert response.status_code == 200 and response.json["scenario"] == "mini"
    block = hoda.block()
    assert (block.scenario, block.weight, block.display_name, block.max_score()) == ("mini", 5.0, "Mini case", 5.0)
    policy = SimulationPolicy.objects.get(scenario="mini")
    assert (policy.max_attempts, policy.grade_rule, policy.undo_allowed) == (2, "last", False)
    assert GradeDestination.objects.get().activity == "simulation:mini"    # and now the pasted one's
    assert "<h2>نص Mini</h2>" in sara.view()                  # the pasted title, in Arabic
    assert "<h2>Mini</h2>" in Person(sara.course, lms_user("anon-emily", lang="en")).view()


def test_studio_refuses_a_broken_scenario_with_its_problems_and_saves_nothing(hoda):
    broken = mini_source().replace("next: poor", "next: nowhere")
    response = hoda.post_json("studio_submit", {"source": broken, "weight": "3"})
    assert response.status_code == 400
    assert any("node b" in p and "nowhere" in p for p in response.json["errors"]["scenario"])
    assert not CourseScenario.objects.exists() and hoda.block().weight == 1.0
    assert hoda.post_json("studio_submit", {"weight": "-1"}).status_code == 400
    assert hoda.post_json("studio_submit", {"scenario": "no-such"}).status_code == 404


def test_studio_preview_checks_and_shows_the_scenario(hoda, sara):
    good = hoda.post_json("studio_preview", {"source": mini_source()})
    assert good.status_code == 200 and "node-warm" not in good.json["html"] and 'id="node-a"' in good.json["html"]
    library = hoda.post_json("studio_preview", {})
    assert 'id="node-ending-engaged"' in library.json["html"]
    bad = hoda.post_json("studio_preview", {"source": "id: x\nnodes: 3\n"})
    assert bad.status_code == 400 and bad.json["errors"]["scenario"]
    assert sara.post_json("studio_preview", {"source": mini_source()}).status_code == 403
    assert sara.post_json("studio_submit", {"source": mini_source()}).status_code == 403


def test_studio_view_offers_the_library(hoda):
    html = hoda.view("studio_view")
    assert 'name="source"' in html and 'value="etherapy-anxious" selected' in html and "MaydanSimulationStudio" in html


def test_olx_round_trip_and_refusals(course, hoda):
    from lxml import etree

    block, runtime = course.open(hoda.user)
    block.weight, block.scenario = 4.0, "etherapy-anxious"
    node = etree.Element("maydan_simulation")
    block.add_xml_to_node(node)
    assert node.get("weight") == "4.0" and node.get("scenario") == "etherapy-anxious"
    for bad in ('<maydan_simulation weight="-2"/>', '<maydan_simulation scenario="../../etc"/>'):
        with pytest.raises(ValueError):
            runtime.parse_xml_string(bad)


# --- the workbench, through Django's test client with CSRF enforced --------------------------------

SCENARIO = "/workbench/scenario/maydan_simulation.0/"


@pytest.mark.usefixtures("workbench_state")
def test_workbench_plays_the_case_with_csrf_and_publishes_the_grade(caplog):
    client = Client(enforce_csrf_checks=True)
    page = client.get(SCENARIO, {"student": "student_1"}).content.decode()
    assert '<div class="maydan" lang="ar" dir="rtl"' in page and "ابدأ الحالة" in page
    endpoint = unescape(re.search(r'class="maydan[^"]*"[^>]*data-endpoint="([^"]+)"', page).group(1))
    token = client.cookies["csrftoken"].value

    def act(**form):
        return client.post(endpoint, urlencode(form), content_type="application/x-www-form-urlencoded",
                           HTTP_X_REQUESTED_WITH="fetch", HTTP_X_CSRFTOKEN=token)

    forged = client.post(endpoint, urlencode({"action": "start"}), content_type="application/x-www-form-urlencoded",
                         HTTP_X_CSRFTOKEN="x" * 64)
    assert forged.status_code == 403 and not SimulationAttempt.objects.exists()
    assert act(action="start").status_code == 200
    aid = SimulationAttempt.objects.get().pk
    for node, choice in ROUTE:
        form = {"action": "choose", "attempt": aid, "node": node, "choice": choice} if choice else \
            {"action": "answer", "attempt": aid, "node": node, "answer": "C-27 قلقة من التقييم"}
        assert act(**form).status_code == 200
    with caplog.at_level("INFO", logger="workbench.runtime"):
        done = act(action="reflect", attempt=aid, reflection="تعلمت أن أتعاقد مع العميلة بوضوح.")
    assert done.status_code == 200 and "100%" in done.content.decode()
    assert "XBlock event grade for maydan_simulation" in caplog.text and "'max_value': 10.0" in caplog.text
    staff = Client(enforce_csrf_checks=True).get(SCENARIO, {"student": "academic_1"}).content.decode()
    assert "Sara Adel" in staff


@pytest.mark.usefixtures("workbench_state")
def test_workbench_studio_submit_needs_csrf():
    client = Client(enforce_csrf_checks=True)
    page = client.get(SCENARIO + "studio_view/", {"student": "academic_1"}).content.decode()
    url = unescape(re.search(r'data-endpoint="([^"]+studio_submit[^"]*)"', page).group(1))
    payload = json.dumps({"max_attempts": "3", "grade_rule": "first"})
    assert client.post(url, payload, content_type="application/json").status_code == 403
    ok = client.post(url, payload, content_type="application/json", HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert ok.status_code == 200 and SimulationPolicy.objects.get().grade_rule == "first"
    author = Client().get(SCENARIO, {"student": "author_1"}).content.decode()
    assert "الاختيارات في كل خطوة" in author and "معاينة السيناريو" in author


def test_rubric_grades_released_overridden_and_undone_reach_the_students_gradebook_at_once(sara, hoda, gradebook):
    assert hoda.post_json("studio_submit", {"weight": 10}).status_code == 200
    sara.view()
    play_to_the_end(sara)
    # The student's own grade goes by runtime.publish, as the LMS expects of a block the learner answers.
    assert sara.published == [("grade", {"value": 10.0, "max_value": 10.0})] and gradebook == []
    attempt = SimulationAttempt.objects.get(status="finished")
    pieces = [(f"answer:{attempt.answers.get().pk}", "simulation-answer",
               {"crit_facts": 1, "crit_reasoning": 2, "crit_client": 1, "crit_clarity": 1}),       # 5 of 10
              (f"attempt:{attempt.pk}", "reflection",
               {"crit_description": 2, "crit_analysis": 4, "crit_self_awareness": 1, "crit_next_steps": 1})]  # 8 of 10
    assert 'name="crit_facts"' in hoda.act(action="view", view="attempt", attempt=attempt.pk).text
    for target, rubric, levels in pieces:
        common = {"target": target, "rubric": rubric, "view": "attempt", "attempt": attempt.pk}
        for step in ({"action": "grade", **levels}, {"action": "move", "status": "in_review"},
                     {"action": "move", "status": "ready"}, {"action": "release_marking"}):
            response = hoda.act(**common, **step)
            assert response.status_code == 200, response.text
        assert sara.act(**common, action="override", score="1", reason="x").status_code == 403
    assert hoda.published == []                                 # runtime.publish could only grade Hoda herself
    item = {"anonymous_user_id": "anon-sara", "course_id": str(COURSE_KEY), "item_id": str(USAGE),
            "points_possible": 10}
    assert gradebook[-1] == {**item, "points_earned": 9}       # 0.7 + 0.3 × 0.65 of 10 points, to the point
    reflection = {"target": f"attempt:{attempt.pk}", "rubric": "reflection", "view": "attempt", "attempt": attempt.pk}
    assert hoda.act(**reflection, action="override", score="0", reason="Copied text.").status_code == 200
    assert gradebook[-1] == {**item, "points_earned": 8}       # 0.7 + 0.3 × 0.25
    assert hoda.act(**reflection, action="undo_override", reason="Checked again.").status_code == 200
    assert gradebook[-1] == {**item, "points_earned": 9}
    heard = len(gradebook)
    sara.view()
    assert len(sara.published) == 1 and len(gradebook) == heard  # nothing waits for her visit, nothing twice


@pytest.mark.parametrize("source, reason", [
    ("id: x\nnodes: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\n" + "".join(
        f"l{n}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]\n" for n in range(8)), "aliases are expanded"),
    ("!!python/object/apply:os.system ['echo owned']\n", "Python tag"),
    ("[" * 100_000 + "]" * 100_000, "nested more than"),
    ('{"id":' * 60_000 + '"x"' + "}" * 60_000, "nested more than"),
    ("id: x\n" + "# a long comment\n" * 40_000, "longer than"),
], ids=["alias-bomb", "python-tag", "deep-yaml", "deep-json", "too-long"])
def test_studio_refuses_hostile_pasted_text_with_the_reason_and_saves_nothing(hoda, source, reason):
    for handler in ("studio_preview", "studio_submit"):
        response = hoda.post_json(handler, {"source": source, "weight": "3"})
        assert response.status_code == 400, handler
        assert any(reason in problem for problem in response.json["errors"]["scenario"]), response.json
    assert not CourseScenario.objects.exists() and hoda.block().weight == 1.0


# --- the visual editor in Studio ---------------------------------------------------------------------


def test_studio_view_carries_the_visual_editor_for_authors_only(hoda, sara):
    html = hoda.view("studio_view")
    assert "data-scenario-editor" in html and "studio_editor" in html
    assert '"id": "etherapy-anxious"' in html  # the component's scenario, opened in the editor
    assert "data-scenario-editor" not in sara.view("studio_view")


def test_the_studio_editor_checks_previews_and_saves_for_authors(hoda):
    from ..unit.test_simulation_engine import small

    checked = hoda.post_json("studio_editor", {"do": "check", "scenario": small()})
    assert checked.status_code == 200 and checked.json["problems"] == []
    previewed = hoda.post_json("studio_editor", {"do": "preview", "scenario": small(), "node": "b",
                                                 "variables": {"rapport": 5}})
    assert previewed.status_code == 200 and previewed.json["node"] == "good"
    saved = hoda.post_json("studio_editor", {"do": "save", "scenario": small(), "format": "json"})
    assert saved.status_code == 200 and saved.json["key"] == "mini"
    assert CourseScenario.objects.get().source.startswith("{")
    assert hoda.block().scenario == "etherapy-anxious"  # the component moves to it with Studio's Save only


def test_the_studio_editor_refuses_students_a_get_and_a_broken_body(hoda, sara):
    import webob
    from ..unit.test_simulation_engine import small

    for action in ("check", "preview", "load", "save"):
        refused = sara.post_json("studio_editor", {"do": action, "scenario": small(), "key": "etherapy-anxious"})
        assert refused.status_code == 403 and refused.json["error"].startswith("لا يكتب السيناريوهات")
    block, runtime = hoda.course.open(hoda.user)
    assert runtime.handle(block, "studio_editor", webob.Request.blank("/")).status_code == 405
    assert hoda.post_json("studio_editor", [1, 2]).status_code == 400
    assert not CourseScenario.objects.exists()


def test_the_studio_editor_offers_media_saves_a_node_s_image_and_marks_arrows_left_empty(hoda):
    from ..unit.test_simulation_engine import small

    assert "sleep-diary.svg" in hoda.view("studio_view")  # offered as a file name in the node's form
    data = small()
    data["nodes"][0]["media"] = {"kind": "image", "src": "sleep-diary.svg",
                                 "alt": {"en": "A sleep diary", "ar": "مفكرة النوم"}}
    saved = hoda.post_json("studio_editor", {"do": "save", "scenario": data, "format": "yaml"})
    assert saved.status_code == 200
    assert "alt:\n" in CourseScenario.objects.get().source
    # The branch node deleted in the editor: the choices that led to it lead nowhere, told on their node.
    data["nodes"] = [n for n in data["nodes"] if n["id"] != "b"]
    for choice in data["nodes"][0]["choices"]:
        choice["next"] = ""
    checked = hoda.post_json("studio_editor", {"do": "check", "scenario": data})
    assert {(p["node"], p["kind"]) for p in checked.json["problems"]} == {("a", "unknown_target")}
    refused = hoda.post_json("studio_editor", {"do": "save", "scenario": dict(data, id="mini-2")})
    assert refused.status_code == 400 and CourseScenario.objects.count() == 1


def test_a_grade_decided_while_the_student_is_away_reaches_her_on_a_view_that_records_nothing_new(sara, hoda, settings):
    """The view's records (this block, the student, the place the grade goes) are read together, and once they
    are in place a view writes none of them; a grade that waits for her is still handed to the runtime."""
    from maydan import grades
    from maydan.models import Person as Someone

    settings.FEATURES = {"MAYDAN_SUPERVISOR_GRADES_IN_GRADEBOOK": False}  # only her visit can deliver it
    assert hoda.post_json("studio_submit", {"weight": 10}).status_code == 200
    sara.view()
    sara.view()
    assert sara.published == [] and GradeDestination.objects.count() == 1
    student = Someone.objects.get(subject="anon-sara")
    grades.queue_grade(GradeDestination.objects.get().course, student, "simulation:etherapy-anxious", 0.8)
    sara.view()
    assert sara.published == [("grade", {"value": 8.0, "max_value": 10.0})]
    assert GradeOutbox.objects.get().delivered_at is not None
    sara.view()
    assert len(sara.published) == 1                              # never twice
