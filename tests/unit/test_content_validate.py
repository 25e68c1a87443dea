"""`maydan validate PATH`: one check for all course content, each kind of mistake on a broken copy of it."""
import json
import shutil

import pytest
import yaml

from lti_tool import cli
from maydan.content import content_dir
from maydan.content.validate import validate

CONTENT = content_dir()


@pytest.fixture
def content(tmp_path):
    """A copy of the shipped course content to break."""
    target = tmp_path / "course_content"
    shutil.copytree(CONTENT, target, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    return target


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path, needle):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def run(path, capsys):
    """(exit code, printed problem lines) of `maydan validate PATH`."""
    code = cli.main(["validate", str(path)])
    return code, capsys.readouterr().out.splitlines()


def test_the_whole_shipped_content_validates(capsys):
    assert validate(CONTENT) == []
    code, out = run(CONTENT, capsys)
    assert (code, out) == (0, [])
    for kind in ("course", "scenarios", "frameworks", "forms", "rubrics"):
        assert run(CONTENT / kind, capsys) == (0, [])


def test_a_copy_validates_until_it_is_broken(content, capsys):
    assert run(content, capsys) == (0, [])


def test_a_scenario_going_to_a_missing_node_names_file_line_node_and_reason(content, capsys):
    scenario = content / "scenarios" / "etherapy-chat.yaml"
    edit(scenario, "next: s-inform", "next: s-nowhere")
    code, out = run(content, capsys)
    assert code == 1
    assert out == [f"{scenario}:{line_of(scenario, 'id: s-open')}: node s-open: leads to 's-nowhere', which is not a node"]


def test_a_scenario_text_without_arabic_is_reported(content, capsys):
    scenario = content / "scenarios" / "edonations-privacy.yaml"
    data = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    del data["nodes"][1]["text"]["ar"]
    scenario.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, out = run(scenario, capsys)  # one file alone
    assert code == 1
    assert out == [f"{scenario}:{line_of(scenario, 'id: s-form')}: node s-form: text has no Arabic (ar) text"]


def test_a_framework_text_without_arabic_is_reported_at_its_line(content, capsys):
    framework = content / "frameworks" / "cswe-epas-2022.yaml"
    edit(framework, "      ar: إظهار السلوك الأخلاقي والمهني\n", "")
    code, out = run(content, capsys)
    assert code == 1
    line = line_of(framework, "en: Demonstrate ethical and professional behavior") - 1
    assert f"{framework}:{line}: competencies[0].title.ar: is missing or empty" in out


def test_a_form_naming_a_framework_that_does_not_exist_is_reported(content, capsys):
    form = content / "forms" / "midterm.yaml"
    edit(form, "framework: cswe-epas-2022", "framework: epas-2015")
    code, out = run(content / "forms", capsys)
    assert code == 1
    assert out == [f"{form}:4: framework: “epas-2015” is not a known framework (cswe-epas-2022)"]


def test_a_rubric_with_negative_points_is_reported(content, capsys):
    rubric = content / "rubrics" / "reflection.yaml"
    edit(rubric, "{points: 0, label:", "{points: -1, label:")
    code, out = run(rubric, capsys)
    assert code == 1
    assert out == [f"{rubric}:{line_of(rubric, 'points: -1')}: criteria[0].levels[0].points: must be a number, 0 or more"]


def test_a_scenario_tag_that_the_framework_does_not_define_is_reported(content, capsys):
    """The scenarios are tagged with EPAS competencies: the framework file must define each of them."""
    framework = content / "frameworks" / "cswe-epas-2022.yaml"
    edit(framework, '  - id: "9"', '  - id: "9x"')
    code, out = run(content, capsys)
    assert code == 1
    scenario = content / "scenarios" / "etherapy-chat.yaml"
    assert (f"{scenario}:{line_of(scenario, 'id: s-test')}: node s-test: competency 9 is not a competency of "
            "frameworks/cswe-epas-2022 (1, 2, 3, 4, 5, 6, 7, 8, 9x)") in out
    assert all("competency 9 is not" in line for line in out)


def test_two_scenarios_with_one_id_are_reported(content, capsys):
    shutil.copy(content / "scenarios" / "etherapy-chat.yaml", content / "scenarios" / "etherapy-chat-copy.yaml")
    code, out = run(content, capsys)
    assert code == 1
    assert out == [f"{content / 'scenarios' / 'etherapy-chat.yaml'}:4: the scenario id 'etherapy-chat' is also the id "
                   "of etherapy-chat-copy.yaml"]


def test_an_olx_file_that_is_not_well_formed_is_reported(content, capsys):
    unit = content / "course" / "vertical" / "e_donations_unit.xml"
    edit(unit, "</vertical>", "</vertikal>")
    code, out = run(content, capsys)
    assert code == 1
    assert out[0].startswith(f"{unit}:{line_of(unit, '</vertikal>')}: not well-formed XML")


def test_a_url_name_used_twice_is_reported(content, capsys):
    unit = content / "course" / "vertical" / "e_donations_unit.xml"
    edit(unit, 'url_name="e_donations_simulation"', 'url_name="e_therapy_simulation"')
    code, out = run(unit, capsys)  # a file of the course alone: the course is checked, its problems shown
    assert code == 1
    assert out == [f'{unit}:5: url_name "e_therapy_simulation" is used by another <maydan_simulation> too '
                   "(vertical/e_therapy_unit.xml:5)"]


def test_a_course_file_named_by_a_relative_path_is_checked_too(content, capsys, monkeypatch):
    unit = content / "course" / "vertical" / "e_donations_unit.xml"
    edit(unit, 'scenario="edonations-privacy"', 'scenario="donations"')
    monkeypatch.chdir(content.parent)
    code, out = run("course_content/course/vertical/e_donations_unit.xml", capsys)
    assert code == 1 and len(out) == 1 and "scenario names 'donations'" in out[0]


def test_a_simulation_naming_a_scenario_that_does_not_exist_is_reported(content, capsys):
    unit = content / "course" / "vertical" / "e_networking_unit.xml"
    edit(unit, 'scenario="ngo-advocacy-orphans"', 'scenario="ngo-campaign"')
    code, out = run(content, capsys)
    assert code == 1
    assert out == [f"{unit}:6: <maydan_simulation> scenario names 'ngo-campaign', which is not in scenarios/ "
                   "(there: edonations-privacy, etherapy-anxious, etherapy-chat, home-visit-remote, ngo-advocacy-orphans)"]


def test_a_simulation_whose_scenario_file_is_removed_is_reported(content, capsys):
    (content / "scenarios" / "edonations-privacy.yaml").unlink()
    code, out = run(content, capsys)
    assert code == 1 and len(out) == 1
    assert "<maydan_simulation> scenario names 'edonations-privacy', which is not in scenarios/" in out[0]


def test_a_scenario_naming_a_media_file_that_does_not_ship_is_reported_at_its_line(content, capsys):
    (content / "scenarios" / "media" / "sleep-diary.svg").unlink()
    (content / "scenarios" / "media" / "mother-voice-note.ar.vtt").unlink()
    code, out = run(content, capsys)
    chat, visit = content / "scenarios" / "etherapy-chat.yaml", content / "scenarios" / "home-visit-remote.yaml"
    assert code == 1 and sorted(out) == sorted([
        f"{chat}:{line_of(chat, 'src: sleep-diary.svg')}: the media file 'sleep-diary.svg' is not in scenarios/media/",
        f"{visit}:{line_of(visit, 'mother-voice-note.ar.vtt')}: the media file 'mother-voice-note.ar.vtt' is not in "
        "scenarios/media/"])


def test_an_evaluation_naming_a_form_that_does_not_exist_is_reported(content, capsys):
    unit = content / "course" / "vertical" / "distance_training_unit.xml"
    edit(unit, 'form="final"', 'form="end-of-term"')
    code, out = run(content, capsys)
    assert code == 1
    assert out == [f"{unit}:10: <maydan_evaluation> form names 'end-of-term', which is not in forms/ (there: final, midterm)"]


@pytest.mark.parametrize("tag, old, new, reason", [
    ("maydan_simulation", 'scenario="home-visit-remote" weight="10"', 'scenario="home-visit-remote" weight="-3"',
     "<maydan_simulation> weight must be a number, 0 or more (got '-3')"),
    ("maydan_evaluation", 'form="midterm" weight="5"', 'form="midterm" weight="five"',
     "<maydan_evaluation> weight must be a number, 0 or more (got 'five')"),
    ("maydan_sessions", 'display_name="جلسات الإشراف · Supervision sessions"',
     'display_name="جلسات الإشراف · Supervision sessions" weight="2"',
     "<maydan_sessions> has no attribute 'weight' (it has: display_name)"),
])
def test_a_maydan_block_with_a_bad_setting_is_reported(content, capsys, tag, old, new, reason):
    unit = content / "course" / "vertical" / "distance_training_unit.xml"
    edit(unit, old, new)
    code, out = run(content, capsys)
    assert code == 1
    assert out == [f"{unit}:{line_of(unit, '<' + tag)}: {reason}"]


def test_a_maydan_block_missing_from_the_advanced_modules_is_reported(content, capsys):
    policy = content / "course" / "policies" / "2026" / "policy.json"
    data = json.loads(policy.read_text(encoding="utf-8"))
    data["course/2026"]["advanced_modules"].remove("maydan_evaluation")
    policy.write_text(json.dumps(data), encoding="utf-8")
    code, out = run(content, capsys)
    unit = content / "course" / "vertical" / "distance_training_unit.xml"
    assert (code, out) == (1, [f'{unit}:9: <maydan_evaluation> is not in "advanced_modules" of policies/2026/policy.json'])


def test_a_reading_without_its_english_section_is_reported(content, capsys):
    reading = content / "course" / "html" / "e_donations_reading.html"
    text = reading.read_text(encoding="utf-8")
    reading.write_text(text.replace('lang="en"', 'lang="fr"'), encoding="utf-8")
    code, out = run(content, capsys)
    assert (code, out) == (1, [f'{reading}:1: the reading has no English section (lang="en")'])


def test_a_path_that_does_not_exist_exits_2(tmp_path, capsys):
    assert cli.main(["validate", str(tmp_path / "missing")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


@pytest.mark.parametrize("folder, text, reason", [
    ("scenarios", "id: x\na: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\n" + "".join(
        f"l{n}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]\n" for n in range(8)), "aliases are expanded"),
    ("forms", "id: x\na: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\n" + "".join(
        f"l{n}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]\n" for n in range(8)), "aliases are expanded"),
    ("rubrics", "id: !!python/object/apply:os.system ['echo owned']\n", "Python tag"),
    ("frameworks", "[" * 100_000 + "]" * 100_000, "nested more than"),
    ("scenarios", "id: x\n" + "# padding\n" * 120_000, "larger than"),
], ids=["scenario-bomb", "form-bomb", "rubric-python-tag", "framework-deep", "scenario-huge"])
def test_hostile_content_files_are_reported_with_file_and_reason(content, capsys, folder, text, reason):
    bad = content / folder / "hostile.yaml"
    bad.write_text(text, encoding="utf-8")
    code, out = run(content, capsys)
    assert code == 1
    assert any(str(bad) in line and reason in line for line in out), out
