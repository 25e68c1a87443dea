"""Frameworks, evaluation forms and rubrics load from files and explain every problem."""
from pathlib import Path

import pytest
import yaml

from maydan.grading import content


def test_the_shipped_framework_has_nine_competencies_and_twenty_behaviours_in_both_languages():
    framework = content.library().frameworks["cswe-epas-2022"]
    assert [c.id for c in framework.competencies] == [str(n) for n in range(1, 10)]
    assert len(framework.behaviours) == 20
    for behaviour in framework.behaviours:
        assert behaviour.text["en"] and behaviour.text["ar"] and behaviour.text["ar"] != behaviour.text["en"]


def test_midterm_and_final_forms_score_one_to_five_with_not_observed():
    forms = content.library().forms
    assert {"midterm", "final"} <= set(forms)
    scale = forms["final"].scale
    assert (scale.minimum, scale.maximum) == (1, 5)
    assert [level.comment_required for level in scale.levels] == [True, True, False, False, False]
    assert "beginning-level social worker" in scale.anchor["en"] and "مبتدئ" in scale.anchor["ar"]
    assert scale.not_observed["ar"] == "لم يُلاحظ"


def test_the_reflection_rubric_totals_ten_points():
    rubric = content.library().rubrics["reflection"]
    assert rubric.max_points == 10 and "reflection" in rubric.applies_to


def test_the_validator_passes_the_shipped_content():
    assert content.validate(content.CONTENT_ROOT) == []
    assert content.main([str(content.CONTENT_ROOT / "forms" / "midterm.yaml")]) == 0


def _copy(tmp_path):
    for folder in ("frameworks", "forms", "rubrics"):
        (tmp_path / folder).mkdir()
        for path in (content.CONTENT_ROOT / folder).glob("*.yaml"):
            (tmp_path / folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def _edit(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_missing_arabic_text_and_a_repeated_id_are_named_by_file_and_node(tmp_path):
    root = _copy(tmp_path)
    framework = root / "frameworks" / "cswe-epas-2022.yaml"

    def break_it(data):
        del data["competencies"][2]["behaviours"][0]["text"]["ar"]
        data["competencies"][3]["behaviours"][1]["id"] = "4a"

    _edit(framework, break_it)
    problems = [str(p) for p in content.validate(framework)]
    assert "frameworks/cswe-epas-2022.yaml: competencies[2].behaviours[0].text.ar: is missing or empty" in problems
    assert "frameworks/cswe-epas-2022.yaml: competencies[3].behaviours[1].id: “4a” is used twice" in problems
    with pytest.raises(content.ContentError) as error:
        content.load(root)
    # The forms built on the broken framework say so too.
    assert {p.file for p in error.value.problems} == {
        "frameworks/cswe-epas-2022.yaml", "forms/midterm.yaml", "forms/final.yaml"}


def test_a_form_on_an_unknown_framework_or_a_bad_scale_is_refused(tmp_path):
    root = _copy(tmp_path)
    form = root / "forms" / "midterm.yaml"

    def break_it(data):
        data["framework"] = "nope"
        data["scale"]["levels"][1]["value"] = 1
        data["scale"]["levels"][2]["comment_required"] = "yes"

    _edit(form, break_it)
    reasons = {p.node: p.reason for p in content.validate(form)}
    assert reasons["framework"].startswith("“nope” is not a known framework")
    assert reasons["scale.levels[1].value"] == "1 is used twice"
    assert reasons["scale.levels[2].comment_required"] == "must be true or false"


def test_rubric_problems_and_unreadable_files(tmp_path):
    root = _copy(tmp_path)
    rubric = root / "rubrics" / "reflection.yaml"
    _edit(rubric, lambda data: data["criteria"][0]["levels"].__setitem__(1, {"points": -1, "label": {"en": "x"}}))
    reasons = {p.node: p.reason for p in content.validate(rubric)}
    assert reasons["criteria[0].levels[1].points"] == "must be a number, 0 or more"
    assert reasons["criteria[0].levels[1].label.ar"] == "is missing or empty"
    broken = root / "rubrics" / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    [problem] = content.validate(broken)
    assert problem.file == "rubrics/broken.json" and problem.reason.startswith("cannot be read")


def test_a_programs_own_framework_sits_beside_the_default(tmp_path):
    root = _copy(tmp_path)
    own = {"id": "cairo-bsw", "title": {"en": "Cairo BSW", "ar": "بكالوريوس القاهرة"},
           "competencies": [{"id": "A", "title": {"en": "Interviewing", "ar": "المقابلة المهنية"},
                             "behaviours": [{"id": "A1", "text": {"en": "Opens well", "ar": "يبدأ المقابلة جيدًا"}}]}]}
    (root / "frameworks" / "cairo.json").write_text(__import__("json").dumps(own), encoding="utf-8")
    library = content.load(root)
    assert set(library.frameworks) == {"cswe-epas-2022", "cairo-bsw"}
    assert library.frameworks["cairo-bsw"].behaviours[0].competency == "A"


def test_a_broken_file_leaves_only_itself_out_of_the_library(tmp_path):
    """A deployment with one bad form, rubric or framework still offers every other one (`maydan validate` says why)."""
    root = _copy(tmp_path)
    (root / "forms" / "broken.yaml").write_text("id: broken\na: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\n" + "".join(
        f"l{n}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]\n" for n in range(8)), encoding="utf-8")
    (root / "rubrics" / "broken.yaml").write_text("id: !!python/object/apply:os.system ['echo owned']\n",
                                                  encoding="utf-8")
    library = content.library(root)
    assert set(library.forms) == {"midterm", "final"} and "reflection" in library.rubrics
    assert {p.file for p in library.problems} == {"forms/broken.yaml", "rubrics/broken.yaml"}
    with pytest.raises(content.ContentError):
        content.load(root)
