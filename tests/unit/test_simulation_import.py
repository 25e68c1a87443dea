"""Importing H5P Branching Scenario packages and branching-xblock JSON: drafts that validate, hostile files refused."""
import io
import json
import zipfile

import pytest

from maydan import roles
from maydan.errors import Forbidden, Invalid
from maydan.simulation import imports
from maydan.simulation.engine import Scenario
from maydan.simulation.importers import Refused, convert
from maydan.simulation.models import CourseScenario
from maydan.simulation.validate import check


def text(html):
    return {"library": "H5P.AdvancedText 1.1", "params": {"text": html}, "metadata": {"title": "Text"}}


def question(html, *alternatives):
    return {"library": "H5P.BranchingQuestion 1.0", "params": {"branchingQuestion": {
        "question": html, "alternatives": list(alternatives)}}}


def alt(words, target, score=None, feedback=""):
    found = {"text": words, "nextContentId": target, "feedback": {"title": feedback}}
    if score is not None:
        found["feedback"]["endScreenScore"] = score
    return found


def package(content, manifest=None, extra=()):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("h5p.json", json.dumps(manifest or {"title": "Home visit", "language": "en",
                                                              "mainLibrary": "H5P.BranchingScenario"}))
        if content is not None:
            archive.writestr("content/content.json", json.dumps(content, ensure_ascii=False))
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


def scenario(items, scoring="dynamic-score", ends=None, title="Home visit"):
    return {"branchingScenario": {"title": title, "content": items, "scoringOptionGroup": {"scoringOption": scoring},
                                  "endScreens": ends or [{"endScreenTitle": "The end", "contentId": -1,
                                                          "endScreenScore": 0}]}}


H5P_CASES = {
    "questions and a loop back": scenario([
        {"type": text("<p>A mother asks for help with her son.</p>"), "nextContentId": 1},
        {"type": question("<p>How do you open?</p>", alt("Listen first", 2, 10, "Good: engagement"),
                          alt("Give advice at once", 0, 0, "Too fast"))},
        {"type": question("<p>Next?</p>", alt("Contract", -1, 5), alt("Leave", -1, 0, "You left early"))},
    ]),
    "static end scores and custom end screens": scenario([
        {"type": question("<p>Confidentiality?</p>", alt("Explain limits", -1, 10, "Well done"),
                          alt("Promise secrecy", -1, 2, "A common mistake"))},
    ], scoring="static-end-score"),
    "plain content, image and video, no score": scenario([
        {"type": text("<p>Intro</p>"), "nextContentId": 1},
        {"type": {"library": "H5P.Image 1.1", "params": {"alt": "The home", "file": {"path": "images/a.jpg"}}},
         "nextContentId": 2},
        {"type": {"library": "H5P.Video 1.5", "params": {"sources": []}, "metadata": {"title": "Interview"}},
         "nextContentId": -1, "feedback": {"title": "Finished", "endScreenScore": 3}},
    ], scoring="no-score"),
    "arabic with unreachable content": scenario([
        {"type": question("<p>كيف تبدأ المقابلة؟</p>", alt("بالترحيب والإصغاء", -1, 4), alt("بالنصيحة", -1, 1))},
        {"type": text("<p>لن يصل إليها أحد</p>"), "nextContentId": -1},
    ], title="زيارة منزلية"),
}


@pytest.mark.parametrize("case", H5P_CASES)
def test_h5p_packages_import_to_scenarios_that_validate_and_play(case):
    imported = convert(package(H5P_CASES[case]), "case.h5p")
    assert imported.problems == [] and check(imported.scenario) == []
    played = Scenario(imported.scenario)
    state = played.begin()
    for _ in range(20):
        if played.finished(state):
            break
        state = played.choose(state, played.guide(state))
    assert played.finished(state)
    assert {"phases", "competencies", "translate"} <= {n.kind for n in imported.notes}


def test_h5p_details_carried_over():
    loop = convert(package(H5P_CASES["questions and a loop back"])).scenario
    nodes = {n["id"]: n for n in loop["nodes"]}
    assert nodes["c1"]["choices"][1]["next"] == "c0"                      # the loop back kept
    assert nodes["c1"]["choices"][0]["score"] == 10 and nodes["c1"]["choices"][0]["feedback"]["en"].startswith("Good")
    assert nodes["c0"]["text"] == {"en": "A mother asks for help with her son.",
                                   "ar": "[للترجمة] A mother asks for help with her son."}
    static = convert(package(H5P_CASES["static end scores and custom end screens"])).scenario
    endings = [n for n in static["nodes"] if n["type"] == "ending"]
    assert {e["text"]["en"] for e in endings} == {"Well done", "A common mistake"}
    assert [c["score"] for c in static["nodes"][0]["choices"]] == [10, 2]
    media = convert(package(H5P_CASES["plain content, image and video, no score"]))
    assert {"media_left_out", "unscored"} <= {n.kind for n in media.notes}
    # "und": H5P's "no language given"; the Arabic script tells
    arabic = convert(package(H5P_CASES["arabic with unreachable content"], {"title": "x", "language": "und"}))
    assert arabic.language == "ar" and arabic.scenario["title"]["ar"] == "زيارة منزلية"
    assert arabic.scenario["title"]["en"].startswith("[TO TRANSLATE]")
    assert [n.node for n in arabic.notes if n.kind == "unreachable"] == ["c1"]


def test_a_score_on_plain_content_is_dropped_with_a_note():
    imported = convert(package(scenario([
        {"type": text("<p>Read the referral.</p>"), "nextContentId": 1, "feedback": {"endScreenScore": 4}},
        {"type": question("<p>First step?</p>", alt("Call the family", -1, 6), alt("Wait", -1, 1))},
    ])))
    first = imported.scenario["nodes"][0]
    assert "score" not in first["choices"][0] and [n.node for n in imported.notes if n.kind == "content_score"] == ["c0"]
    assert [c["score"] for c in imported.scenario["nodes"][1]["choices"]] == [6, 1]


def bx_nodes():
    return {"n1": {"id": "n1", "type": "start", "content": "<p>The door opens.</p>", "hint": "Greet first",
                   "media": {"type": "image", "url": "/asset/door.jpg"},
                   "choices": [{"text": "Greet", "target_node_id": "n2", "score": 10},
                               {"text": "Push in", "target_node_id": "n3", "score": 0}]},
            "n2": {"id": "n2", "content": "Good end", "choices": []},
            "n3": {"id": "n3", "content": "<p>Bad</p>", "choices": [{"text": "Again", "target_node_id": "n1"}]}}


BX_CASES = {
    "block fields": {"display_name": "Home visit", "enable_scoring": True,
                     "scenario_data": {"start_node_id": "n1", "nodes": bx_nodes()}},
    "scenario data": {"start_node_id": "n1", "nodes": bx_nodes()},
    "exported node list": list(bx_nodes().values()),
}


@pytest.mark.parametrize("case", BX_CASES)
def test_branching_xblock_json_imports_with_hints_scores_and_loops(case):
    imported = convert(json.dumps(BX_CASES[case]).encode(), "scenario.json")
    assert imported.problems == []
    nodes = {n["id"]: n for n in imported.scenario["nodes"]}
    assert nodes["n1"]["hint"]["en"] == "Greet first" and nodes["n2"]["type"] == "ending"
    assert nodes["n3"]["choices"][0]["next"] == "n1" and nodes["n1"]["choices"][0]["score"] == 10
    assert "media_left_out" in {n.kind for n in imported.notes}
    assert Scenario(imported.scenario).hint("n1")["en"] == "Greet first"


def bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content/content.json", b"{}")
        archive.writestr("content/filler.txt", b"0" * 50_000_000)
    return buffer.getvalue()


MALFORMED = {
    "zip bomb": (bomb(), "zip_bomb"),
    "path traversal": (package(scenario([]), extra=[("../../etc/evil", "x")]), "unsafe_name"),
    "absolute name": (package(scenario([]), extra=[("/etc/evil", "x")]), "unsafe_name"),
    "missing content.json": (package(None), "no_content"),
    "not a zip": (b"PK\x03\x04 but nothing else", "not_zip"),
    "not JSON either": (b"hello world", "unreadable"),
    "content.json not JSON": (package(None, extra=[("content/content.json", "{oops")]), "bad_json"),
    "no branching scenario": (package({"interactiveVideo": {}}), "not_branching"),
    "JSON with no nodes": (b'{"nodes": {}}', "not_branching"),
    "empty": (b"", "empty"),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_files_are_refused_with_a_reason(case):
    data, kind = MALFORMED[case]
    with pytest.raises(Refused) as refused:
        convert(data, "upload.h5p" if data[:2] == b"PK" else "upload.json")
    assert refused.value.kind == kind


@pytest.mark.parametrize("case", ["zip bomb", "path traversal", "missing content.json"])
def test_the_import_service_refuses_in_the_author_s_language_and_saves_nothing(cohort, case):
    author = cohort.enter("w1", roles.AUTHOR, "Author")
    with pytest.raises(Invalid) as refused:
        imports.draft(author, MALFORMED[case][0], "x.h5p", "ar")
    assert refused.value.field_errors["file"] and not CourseScenario.objects.exists()


def test_students_cannot_import_and_authors_get_the_draft_unsaved(cohort):
    with pytest.raises(Forbidden):
        imports.draft(cohort.student, package(H5P_CASES["questions and a loop back"]), "x.h5p", "en")
    author = cohort.enter("w1", roles.AUTHOR, "Author")
    drafted = imports.draft(author, package(H5P_CASES["questions and a loop back"]), "x.h5p", "en")
    assert "id: h5p-home-visit" in drafted["source"] and 'id="maydan-import-report"' in drafted["html"]
    assert not CourseScenario.objects.exists()
