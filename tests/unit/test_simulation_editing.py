"""The visual editor's server side: checks tied to nodes in the author's language, previews from any node,
saving as YAML or JSON with every shipped scenario surviving the round trip, and who may do it."""
import copy
import json

import pytest
import yaml

from maydan import roles
from maydan.models import AuditEvent
from maydan.simulation import editing, library
from maydan.simulation.engine import Scenario
from maydan.simulation.models import CourseScenario
from maydan.simulation.validate import check, parse

from .test_simulation_engine import small

SHIPPED = sorted(library.shipped())


@pytest.fixture
def author(cohort):
    return cohort.enter("w1", roles.AUTHOR, "Author")


def ask(actor, language="en", **request):
    return editing.answer(actor, request, language)


# --- the round trip: what the editor saves is what it opened -----------------------------------


@pytest.mark.parametrize("key", SHIPPED)
@pytest.mark.parametrize("format", editing.FORMATS)
def test_every_shipped_scenario_saved_unchanged_keeps_its_data_and_plays_the_same(key, format):
    text, name = library.shipped()[key]
    data = parse(text, name)
    saved = editing.dump(copy.deepcopy(data), format)
    again = parse(saved, f"scenario.{format}")
    assert again == data and check(again) == []
    before, after = Scenario(data), Scenario(again)
    # Guided to an ending by the same choices, both reach the same ending with the same result.
    state_a, state_b, path = before.begin(), after.begin(), []
    while not before.finished(state_a):
        step = {"node": state_a.node, "choice": before.guide(state_a)} if before.guide(state_a) else \
            {"node": state_a.node, "text": True}
        path.append(step)
        state_a, state_b = before.step(state_a, step), after.step(state_b, step)
        assert (state_a.node, state_a.variables) == (state_b.node, state_b.variables)
    assert before.result(path) == after.result(path)


def test_a_loaded_shipped_scenario_comes_as_data_with_its_format(author):
    status, body = ask(author, do="load", key="etherapy-chat")
    assert status == 200 and body["format"] == "yaml" and body["shipped"] is True
    assert body["scenario"] == parse(*library.shipped()["etherapy-chat"])


# --- problems on their nodes, in the author's language ----------------------------------------


def test_problems_name_their_node_and_speak_the_author_s_language(author):
    data = small()
    data["nodes"][0]["choices"][0]["next"] = "nowhere"
    del data["nodes"][2]["text"]["ar"]
    status, body = ask(author, "ar", do="check", scenario=data)
    found = {(p["node"], p["kind"]) for p in body["problems"]}
    assert status == 200 and ("a", "unknown_target") in found and ("good", "missing_translation") in found
    on_a = next(p["message"] for p in body["problems"] if p["node"] == "a")
    assert on_a == "تؤدي إلى عقدة غير موجودة (تؤدي إلى 'nowhere'، وهي ليست عقدة)"
    _, english = ask(author, "en", do="check", scenario=data)
    on_a = next(p["message"] for p in english["problems"] if p["node"] == "a")
    assert on_a == "it leads to a node that does not exist (leads to 'nowhere', which is not a node)"


@pytest.mark.parametrize("condition, arabic", [
    ("f(1)", "الشرط 'f(1)': استدعاء دالة ليس شرطًا (اكتب مثلًا rapport >= 2)"),
    ("rapport > care", "الشرط 'rapport > care': متغير غير معروف 'care'"),
    ("", "الشرط '': الشرط فارغ"),
])
def test_a_condition_s_problem_is_told_in_arabic_down_to_its_detail(author, condition, arabic):
    data = small()
    data["nodes"][1]["branches"][0]["if"] = condition
    _, body = ask(author, "ar", do="check", scenario=data)
    assert [p["message"] for p in body["problems"]] == [f"شرط مكتوب بغير لغة الشروط ({arabic})"]


def test_a_problem_of_the_scenario_as_a_whole_has_no_node(author):
    data = small()
    data["id"] = "Not An Id"
    _, body = ask(author, do="check", scenario=data)
    assert [p["node"] for p in body["problems"]] == [None]


# --- preview from any node with chosen variable values ------------------------------------------


def test_a_preview_from_a_branch_follows_the_chosen_values(author):
    _, high = ask(author, do="preview", scenario=small(), node="b", variables={"rapport": "3"})
    _, low = ask(author, do="preview", scenario=small(), node="b", variables={"rapport": 0})
    assert (high["node"], low["node"]) == ("good", "poor")
    assert "A good outcome" in high["html"] and "<code dir=\"ltr\">b</code>" in high["html"]


def test_a_preview_plays_a_choice_with_its_feedback_and_effects(author):
    _, start = ask(author, "ar", do="preview", scenario=small(), node="a")
    assert 'data-preview-choice="warm"' in start["html"] and start["variables"] == {"rapport": 0}
    _, after = ask(author, "ar", do="preview", scenario=small(), node="a", variables=start["variables"], choice="warm")
    assert after["node"] == "good" and after["variables"] == {"rapport": 2} and "نص good" in after["html"]


def test_a_preview_keeps_values_within_their_range(author):
    data = small()
    data["variables"] = {"rapport": {"initial": 0, "min": 0, "max": 1}}
    _, body = ask(author, do="preview", scenario=data, node="a", variables={"rapport": 99})
    assert body["variables"] == {"rapport": 1}


@pytest.mark.parametrize("request_, status", [
    ({"node": "nowhere"}, 400),
    ({"node": "a", "choice": "nothing"}, 400),
    ({"node": "a", "variables": {"rapport": "many"}}, 400),
    ({"node": "a", "variables": ["rapport"]}, 400),
])
def test_a_preview_of_what_is_not_there_is_refused(author, request_, status):
    code, body = ask(author, do="preview", scenario=small(), **request_)
    assert code == status and body["error"]


def test_a_broken_scenario_is_not_previewed_and_its_problems_show_on_nodes(author):
    data = small()
    data["nodes"][1]["branches"][0]["if"] = "__import__('os')"
    status, body = ask(author, do="preview", scenario=data, node="a")
    assert status == 400 and [p["node"] for p in body["problems"]] == ["b"]


# --- saving ------------------------------------------------------------------------------------


def test_saving_stores_the_scenario_in_its_format(author):
    status, body = ask(author, do="save", scenario=small(), format="yaml")
    row = CourseScenario.objects.get()
    assert status == 200 and body["key"] == "mini" and yaml.safe_load(row.source) == small()
    assert not row.source.lstrip().startswith("{")
    assert ask(author, do="save", scenario=dict(small(), title={"en": "Mini 2", "ar": "ميني 2"}), format="json")[0] == 200
    row.refresh_from_db()
    assert json.loads(row.source)["title"]["en"] == "Mini 2"
    assert AuditEvent.objects.filter(action="simulation_scenario").count() == 2
    _, loaded = ask(author, do="load", key="mini")
    assert loaded["format"] == "json" and loaded["shipped"] is False and loaded["scenario"]["title"]["en"] == "Mini 2"


def test_a_broken_scenario_is_refused_with_its_problems_by_node_and_nothing_saved(author):
    data = small()
    data["nodes"][0]["choices"][1]["next"] = "gone"
    status, body = ask(author, "ar", do="save", scenario=data)
    assert status == 400 and body["problems"][0]["node"] == "a" and "مشكلة" in body["error"]
    assert not CourseScenario.objects.exists() and not AuditEvent.objects.filter(action="simulation_scenario").exists()


def test_a_library_id_is_refused(author):
    data = parse(*library.shipped()["etherapy-chat"])
    status, body = ask(author, do="save", scenario=data)
    assert status == 409 and "library" in body["error"] and not CourseScenario.objects.exists()


def test_no_node_cap(author):
    """A scenario of 400 nodes across the three phases checks, previews and saves."""
    data = small()
    chain = []
    for index in range(400):
        phase = ("study", "diagnosis", "treatment")[index * 3 // 400]
        chain.append({"id": f"n{index}", "type": "choice", "phase": phase, "text": {"en": f"step {index}", "ar": f"خطوة {index}"},
                      "choices": [{"id": "on", "text": {"en": "on", "ar": "تابع"}, "score": 1, "next": f"n{index + 1}"}]})
    chain[-1]["choices"][0]["next"] = "a"
    data["nodes"] = chain + data["nodes"]
    assert ask(author, do="check", scenario=data)[1]["problems"] == []
    assert ask(author, do="preview", scenario=data, node="n399", choice="on")[1]["node"] == "a"
    assert ask(author, do="save", scenario=data)[0] == 200
    assert len(Scenario.from_text(CourseScenario.objects.get().source).nodes) == 404


# --- who may ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["student", "agency"])
@pytest.mark.parametrize("action", ["check", "preview", "load", "save", "anything"])
def test_students_and_agency_supervisors_are_refused_in_their_language(cohort, who, action):
    status, body = ask(getattr(cohort, who), "ar", do=action, scenario=small(), key="etherapy-chat")
    assert status == 403 and body["error"].startswith("لا يكتب السيناريوهات")
    assert not CourseScenario.objects.exists()


@pytest.mark.parametrize("who", ["academic", "coordinator"])
def test_course_supervisors_may_write_scenarios(cohort, who):
    assert ask(getattr(cohort, who), do="save", scenario=small())[0] == 200


@pytest.mark.parametrize("posted", ["[1, 2]", "{", '"text"', "x" * 10])
def test_a_request_that_is_not_an_object_is_refused(posted):
    from maydan.errors import Invalid

    with pytest.raises(Invalid):
        editing.read(posted)


@pytest.mark.parametrize("scenario", [None, [], "id: mini", 3])
def test_a_scenario_that_is_not_a_mapping_is_refused(author, scenario):
    status, body = ask(author, do="check", scenario=scenario)
    assert status == 400 and body["error"]


@pytest.mark.parametrize("action", ["delete-everything", ["save"], {"do": "save"}, None])
def test_an_unknown_action_is_refused(author, action):
    assert ask(author, do=action, scenario=small())[0] == 400
    assert not CourseScenario.objects.exists()


# --- media and deleted nodes, as the editor's forms leave them -------------------------------------


def test_the_editor_offers_the_course_s_uploaded_media_and_no_other_course_s(author, cohort, settings, tmp_path):
    from maydan import people
    from maydan.simulation import media

    from .test_simulation_media import png

    settings.MEDIA_ROOT = tmp_path / "media"
    media.upload(author, "room.png", png())
    media.upload(author, "a-voice.png", png())
    setup = editing.setup(author, "ar", "/edit")
    shipped = media.shipped_names()
    assert "sleep-diary.svg" in shipped
    assert setup["config"]["media"] == sorted(shipped | {"a-voice.png", "room.png"})
    labels = setup["config"]["labels"]
    assert labels["media_kinds"]["image"] == "صورة" and labels["media_alt"] == "وصف الصورة (النص البديل)"
    other = people.enter(cohort.issuer, "other-course", "w9", {roles.AUTHOR}, course_title="Other")
    assert editing.setup(other, "en", "/edit")["config"]["media"] == sorted(shipped)


@pytest.mark.parametrize("media, problem", [
    ({"kind": "image", "src": "sleep-diary.svg", "alt": {"en": "A sleep diary", "ar": "مفكرة النوم"}}, None),
    ({"kind": "image", "src": {"en": "sleep-diary.svg", "ar": "campaign-drafts.svg"},
      "alt": {"en": "A sleep diary", "ar": "مفكرة النوم"}}, None),
    ({"kind": "image", "src": "room.png", "alt": {"en": "A small office", "ar": ""}}, "missing_translation"),
    ({"kind": "image", "src": "", "alt": {"en": "x", "ar": "س"}}, "structure"),
    ({"kind": "audio", "src": "mother-voice-note.en.mp3", "transcript": {"en": "Hello", "ar": "مرحبا"}}, None),
    ({"kind": "audio", "src": {"en": "mother-voice-note.en.mp3", "ar": "mother-voice-note.ar.mp3"},
      "captions": {"en": "mother-voice-note.en.vtt", "ar": "mother-voice-note.ar.vtt"}}, None),
    ({"kind": "video", "src": "visit.mp4", "captions": {"en": "visit.en.vtt"}}, "media_without_text"),
    ({"kind": "video", "src": "visit.mp4", "captions": {"en": "visit.en.mp4", "ar": "visit.ar.vtt"}}, "structure"),
])
def test_a_node_s_media_is_checked_on_its_node_and_saved_in_the_scenario_format(author, media, problem):
    data = small()
    data["nodes"][0]["media"] = media
    _, body = ask(author, "ar", do="check", scenario=data)
    found = [(p["node"], p["kind"]) for p in body["problems"]]
    if problem:
        assert found == [("a", problem)] and all(p["message"] for p in body["problems"])
        return
    assert found == []
    status, saved = ask(author, do="save", scenario=data, format="yaml")
    stored = yaml.safe_load(CourseScenario.objects.get(course=author.course, key=saved["key"]).source)
    assert status == 200 and stored["nodes"][0]["media"] == media


def test_arrows_emptied_after_a_node_is_deleted_are_told_on_the_nodes_they_start_from(author):
    data = small()
    data["nodes"] = [n for n in data["nodes"] if n["id"] != "b"]
    for choice in data["nodes"][0]["choices"]:
        choice["next"] = ""
    _, body = ask(author, "ar", do="check", scenario=data)
    assert [(p["node"], p["message"]) for p in body["problems"]] == [
        ("a", "تؤدي إلى عقدة غير موجودة (سهم لا يؤدي إلى أي عقدة بعد: اختر العقدة التي يؤدي إليها)")] * 2
    status, refused = ask(author, do="save", scenario=data)
    assert status == 400 and not CourseScenario.objects.filter(course=author.course, key="mini").exists()
