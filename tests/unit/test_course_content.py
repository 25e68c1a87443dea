"""The shipped OLX course "Electronic Social Work": what a faculty member imports into Studio.

The checks (maydan.content.olx) are tried on the course and on small broken copies of it, one
copy per kind of mistake; the package is opened the way Studio opens it; olxcleaner, Open edX's
own course linter, reads the course; the course's field log block is parsed by XBlock's runtime.
"""
import json
import re
import shutil
import tarfile
from importlib.metadata import entry_points

import olxcleaner
import pytest
from lxml import etree
from xblock.core import XBlock
from xblock.fields import Scope
from xblock.runtime import DictKeyValueStore, KvsFieldData
from xblock.test.tools import TestRuntime

from lti_tool import cli
from maydan.content import course_dir, course_files, olx, pack
from xblocks.fieldlog import FieldLogXBlock

COURSE = course_dir()
FIELDS = {  # unit -> words its title must carry, in both languages
    "e_education": ("التعليم الإلكتروني", "E-education"),
    "distance_training": ("التدريب الميداني عن بعد", "Distance field training"),
    "e_research": ("البحث الإلكتروني", "E-research"),
    "e_conferences": ("المؤتمرات الإلكترونية", "E-conferences"),
    "e_management": ("الإدارة الإلكترونية", "E-management"),
    "e_therapy": ("العلاج الإلكتروني", "e-therapy"),
    "e_networking": ("التشبيك الإلكتروني", "E-networking"),
    "e_advocacy": ("المدافعة الإلكترونية", "E-advocacy"),
    "e_donations": ("التبرعات الإلكترونية", "E-donations"),
    "confidentiality": ("السرية", "confidentiality"),
}

# The units whose activities are more than their check question.
ACTIVITIES = {
    "distance_training": ["maydan_fieldlog", "maydan_sessions", "maydan_simulation", "maydan_evaluation",
                          "maydan_evaluation"],
    "e_therapy": ["problem", "maydan_simulation"],
    "e_networking": ["problem", "maydan_simulation"],
    "e_donations": ["problem", "maydan_simulation"],
}


@pytest.fixture
def copy(tmp_path):
    """A copy of the shipped course to break."""
    target = tmp_path / "course"
    shutil.copytree(COURSE, target)
    return target


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def reasons(root):
    return [str(p) for p in olx.check(root)]


def line_of(path, needle):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def section_words(html, lang):
    root = etree.fromstring(b"<fragment>" + html + b"</fragment>")
    return sum(len(" ".join(e.itertext()).split()) for e in root if e.get("lang") == lang)


# --- the shipped course ------------------------------------------------------------------


def test_the_shipped_course_passes_every_check(capsys):
    assert olx.check(COURSE) == []
    assert cli.main(["content", "check"]) == 0
    assert capsys.readouterr().out.strip() == f"{COURSE}: OK"


def test_every_field_of_electronic_social_work_has_a_unit_with_a_reading_and_an_activity():
    for unit, (arabic, english) in FIELDS.items():
        vertical = etree.parse(str(COURSE / "vertical" / f"{unit}_unit.xml")).getroot()
        title = vertical.get("display_name")
        assert arabic in title and english in title, title
        tags = [child.tag for child in vertical if isinstance(child.tag, str)]
        assert tags[0] == "html"
        assert tags[1:] == ACTIVITIES.get(unit, ["problem"]), unit
    chapters = etree.parse(str(COURSE / "course" / "2026.xml")).getroot()
    units = [s.get("url_name") for c in chapters
             for s in etree.parse(str(COURSE / "chapter" / f"{c.get('url_name')}.xml")).getroot()]
    assert sorted(units) == sorted(FIELDS)


def test_every_reading_has_250_to_450_words_in_each_language():
    for unit in FIELDS:
        html = (COURSE / "html" / f"{unit}_reading.html").read_bytes()
        for lang in ("ar", "en"):
            assert 250 <= section_words(html, lang) <= 450, (unit, lang, section_words(html, lang))
        assert b'dir="rtl" lang="ar"' in html


def test_every_check_has_a_right_answer_and_a_bilingual_question_and_explanation():
    for path in sorted((COURSE / "problem").glob("*.xml")):
        problem = etree.parse(str(path)).getroot()
        choices = problem.findall(".//choice")
        assert len(choices) >= 3 and any(c.get("correct") == "true" for c in choices), path.name
        assert any(c.get("correct") == "false" for c in choices), path.name
        for part in (problem.find(".//label"), problem.find(".//solution")):
            langs = {e.get("lang") for e in part.iter() if e.get("lang")}
            assert langs == {"ar", "en"}, path.name


def test_the_simulation_and_evaluation_blocks_have_their_places_marked():
    later = {unit: (COURSE / "vertical" / f"{unit}_unit.xml").read_text(encoding="utf-8")
             for unit in ("distance_training", "e_therapy", "e_networking", "e_donations")}
    assert "maydan_evaluation" in later["distance_training"]
    assert all("maydan_simulation" in later[u] for u in ("e_therapy", "e_networking", "e_donations"))
    assert not list(COURSE.rglob("maydan_simulation*")) and not list(COURSE.rglob("maydan_evaluation*"))


# --- one broken copy per kind of mistake ---------------------------------------------------


def test_a_file_that_is_not_well_formed_is_reported_with_its_line(copy):
    edit(copy / "vertical" / "e_research_unit.xml", '<problem url_name="e_research_check"/>', "<problem>")
    assert reasons(copy) == ["vertical/e_research_unit.xml:4: not well-formed XML: Opening and ending tag mismatch: "
                             "problem line 3 and vertical, line 4, column 12"]


def test_a_reading_that_is_not_well_formed_is_reported(copy):
    edit(copy / "html" / "e_advocacy_reading.html", "</h2>", "</h3>")
    assert reasons(copy)[0].startswith("html/e_advocacy_reading.html:2: not well-formed XML")


def test_a_policy_that_is_not_json_is_reported(copy):
    edit(copy / "policies" / "2026" / "grading_policy.json", '"GRADE_CUTOFFS"', "GRADE_CUTOFFS")
    assert reasons(copy)[0].startswith("policies/2026/grading_policy.json:6: not valid JSON")


def test_a_pointer_to_a_missing_file_is_reported_where_it_points(copy):
    (copy / "sequential" / "e_conferences.xml").unlink()
    line = line_of(copy / "chapter" / "research_management.xml", "e_conferences")
    assert reasons(copy) == [
        f'chapter/research_management.xml:{line}: <sequential url_name="e_conferences"> points to '
        "sequential/e_conferences.xml, which does not exist"
    ]


def test_an_html_component_without_its_reading_file_is_reported(copy):
    (copy / "html" / "e_management_reading.html").unlink()
    assert reasons(copy) == [
        'html/e_management_reading.xml:1: <html filename="e_management_reading"> points to '
        "html/e_management_reading.html, which does not exist"
    ]


def test_a_file_whose_root_is_another_block_type_is_reported(copy):
    edit(copy / "chapter" / "ethics.xml", "<chapter ", "<sequential ")
    edit(copy / "chapter" / "ethics.xml", "</chapter>", "</sequential>")
    assert reasons(copy) == ["chapter/ethics.xml:1: the root element is <sequential>, not <chapter>"]


def test_a_url_name_used_twice_for_one_block_type_is_reported(copy):
    edit(copy / "vertical" / "e_advocacy_unit.xml", "e_advocacy_check", "e_networking_check")
    assert reasons(copy) == [
        'vertical/e_advocacy_unit.xml:3: url_name "e_networking_check" is used by another <problem> too '
        "(vertical/e_networking_unit.xml:3)"
    ]


def test_a_reading_without_arabic_is_reported(copy):
    edit(copy / "html" / "e_donations_reading.html", 'dir="rtl" lang="ar"', 'dir="rtl"')
    assert reasons(copy) == ['html/e_donations_reading.html:1: the reading has no Arabic section (dir="rtl" lang="ar")']


def test_an_arabic_reading_laid_out_left_to_right_is_reported(copy):
    edit(copy / "html" / "e_donations_reading.html", 'dir="rtl" lang="ar"', 'lang="ar"')
    assert reasons(copy) == ['html/e_donations_reading.html:1: the reading has lang="ar" but not dir="rtl"']


def test_a_reading_without_english_is_reported(copy):
    edit(copy / "html" / "e_education_reading.html", 'lang="en" dir="ltr"', 'dir="ltr"')
    assert reasons(copy) == ['html/e_education_reading.html:1: the reading has no English section (lang="en")']


def test_a_problem_in_one_language_only_is_reported(copy):
    path = copy / "problem" / "e_therapy_check.xml"
    path.write_text(re.sub(r'<(span|div) lang="en">.*?</\1>', "", path.read_text(encoding="utf-8")), encoding="utf-8")
    assert reasons(copy) == ['problem/e_therapy_check.xml:1: the problem has no English section (lang="en")']


def test_content_written_inside_a_unit_is_checked_for_both_languages_too(copy):
    edit(copy / "vertical" / "e_research_unit.xml", '<problem url_name="e_research_check"/>',
         '<problem url_name="e_research_check"/>\n  <html url_name="e_research_note"><p lang="en">SPSS lab hours</p></html>')
    assert reasons(copy) == ['vertical/e_research_unit.xml:4: the html has no Arabic section (dir="rtl" lang="ar")']


@pytest.mark.parametrize("weight", ["-1", "ten", "nan", "inf", ""])
def test_a_field_log_with_a_bad_weight_is_reported(copy, weight):
    vertical = copy / "vertical" / "distance_training_unit.xml"
    edit(vertical, 'weight="10"', f'weight="{weight}"')
    assert reasons(copy) == [
        f"vertical/distance_training_unit.xml:3: <maydan_fieldlog> weight must be a number, 0 or more (got {weight!r})"
    ]


def test_a_field_log_with_an_attribute_it_does_not_have_is_reported(copy):
    edit(copy / "vertical" / "distance_training_unit.xml", 'weight="10"', 'weight="10" target_hours="400"')
    assert reasons(copy) == [
        "vertical/distance_training_unit.xml:3: <maydan_fieldlog> has no attribute 'target_hours' "
        "(it has: display_name, weight)"
    ]


def test_a_maydan_block_that_is_not_installed_is_reported(copy):
    edit(copy / "vertical" / "e_therapy_unit.xml", '<problem url_name="e_therapy_check"/>',
         '<problem url_name="e_therapy_check"/>\n  <maydan_quiz display_name="Quiz"/>')
    assert reasons(copy) == [
        "vertical/e_therapy_unit.xml:4: <maydan_quiz> is not a Maydan block (the Maydan blocks: maydan_cohort, maydan_evaluation, "
        "maydan_fieldlog, maydan_program, maydan_readiness, maydan_sessions, maydan_simulation)",
        'vertical/e_therapy_unit.xml:4: <maydan_quiz> is not in "advanced_modules" of policies/2026/policy.json',
    ]


def test_a_maydan_block_missing_from_the_advanced_modules_is_reported(copy):
    policy = copy / "policies" / "2026" / "policy.json"
    data = json.loads(policy.read_text(encoding="utf-8"))
    data["course/2026"]["advanced_modules"] = []
    policy.write_text(json.dumps(data), encoding="utf-8")
    assert reasons(copy) == [
        'vertical/distance_training_unit.xml:3: <maydan_fieldlog> is not in "advanced_modules" of policies/2026/policy.json',
        'vertical/distance_training_unit.xml:5: <maydan_sessions> is not in "advanced_modules" of policies/2026/policy.json',
        'vertical/distance_training_unit.xml:7: <maydan_simulation> is not in "advanced_modules" of policies/2026/policy.json',
        'vertical/distance_training_unit.xml:9: <maydan_evaluation> is not in "advanced_modules" of policies/2026/policy.json',
    ]


def test_a_field_log_exported_to_its_own_file_is_followed_and_checked(copy):
    vertical = copy / "vertical" / "distance_training_unit.xml"
    edit(vertical, 'display_name="سجل التدريب الميداني · Field training log" weight="10"', "")
    (copy / "maydan_fieldlog").mkdir()
    (copy / "maydan_fieldlog" / "distance_training_log.xml").write_text(
        '<maydan_fieldlog xblock-family="xblock.v1" weight="-2"/>\n', encoding="utf-8")
    assert reasons(copy) == [
        "maydan_fieldlog/distance_training_log.xml:1: <maydan_fieldlog> weight must be a number, 0 or more (got '-2')"
    ]


def test_a_directory_without_course_xml_is_not_a_course(tmp_path, capsys):
    assert reasons(tmp_path) == ["course.xml:1: no course.xml: this is not an OLX course directory"]
    assert cli.main(["content", "check", str(tmp_path)]) == 1
    assert f"{tmp_path}/course.xml:1: no course.xml" in capsys.readouterr().err


# --- the package Studio imports ---------------------------------------------------------------


def test_the_package_holds_every_file_under_course_and_is_the_same_bytes_each_time(tmp_path, capsys):
    output = tmp_path / "out" / "esw.tar.gz"
    assert cli.main(["content", "pack", "--output", str(output)]) == 0
    assert "import it in Studio" in capsys.readouterr().out
    with tarfile.open(output, "r:gz") as tar:
        members = {m.name: m for m in tar.getmembers()}
        assert all(name == "course" or name.startswith("course/") for name in members)
        root = etree.fromstring(tar.extractfile("course/course.xml").read())
        assert (root.tag, root.get("url_name"), root.get("org")) == ("course", "2026", "MaydanU")
        shipped = dict(course_files(COURSE))
        packed = {name[len("course/"):]: m for name, m in members.items() if m.isfile()}
        assert sorted(packed) == sorted(shipped)
        for rel, path in shipped.items():
            assert tar.extractfile(packed[rel]).read() == path.read_bytes(), rel
    again = tmp_path / "again.tar.gz"
    pack.pack(COURSE, again)
    assert again.read_bytes() == output.read_bytes()


def test_the_unpacked_package_is_the_same_course(tmp_path):
    output = tmp_path / "esw.tar.gz"
    pack.pack(COURSE, output)
    with tarfile.open(output, "r:gz") as tar:
        tar.extractall(tmp_path / "studio", filter="data")
    assert olx.check(tmp_path / "studio" / "course") == []


def test_a_broken_course_is_not_packed(copy, tmp_path, capsys):
    (copy / "html" / "e_management_reading.html").unlink()
    output = tmp_path / "broken.tar.gz"
    with pytest.raises(pack.NotPacked) as refusal:
        pack.pack(copy, output)
    assert len(refusal.value.problems) == 1
    assert cli.main(["content", "pack", str(copy), "-o", str(output)]) == 1
    err = capsys.readouterr().err
    assert "e_management_reading.html, which does not exist" in err and "not written" in err
    assert not output.exists()


def test_olxcleaner_finds_no_error_in_the_course():
    advanced = json.loads((COURSE / "policies" / "2026" / "policy.json").read_text())["course/2026"]["advanced_modules"]
    # Third-party blocks are unknown to olxcleaner until named, as Studio knows them from advanced_modules.
    course, errors, _ = olxcleaner.validate(str(COURSE), steps=8, allowed_xblocks=advanced)
    assert course is not None
    found = [f"{e.level} {e.filename}: {e.description}" for e in errors.errors]
    assert not errors.return_error(3), found  # 3: ERROR, edx-cleaner's default failure level
    assert found == []


# --- the field log block, as the runtime reads it ------------------------------------------


def fieldlog_element():
    vertical = etree.parse(str(COURSE / "vertical" / "distance_training_unit.xml")).getroot()
    return vertical.find("maydan_fieldlog")


def test_the_courses_field_log_parses_in_xblocks_runtime():
    runtime = TestRuntime(services={"field-data": KvsFieldData(DictKeyValueStore())})
    block = runtime.get_block(runtime.parse_xml_string(etree.tostring(fieldlog_element(), encoding="unicode")))
    assert isinstance(block, FieldLogXBlock)
    assert block.display_name == "سجل التدريب الميداني · Field training log"
    assert block.weight == 10.0 and block.max_score() == 10.0


def test_the_checks_know_every_installed_maydan_block_and_exactly_its_settings():
    installed = {ep.name: ep for ep in entry_points(group="xblock.v1") if ep.name.startswith("maydan_")}
    assert "maydan_fieldlog" in installed and set(installed) <= set(olx.MAYDAN_BLOCKS)
    for name, entry in installed.items():
        block = entry.load()
        own = set(block.fields) - set(XBlock.fields)  # XBlock's own name and tags are not block settings
        settings = {field for field in own if block.fields[field].scope == Scope.settings}
        assert set(olx.MAYDAN_BLOCKS[name]) == settings, name


@pytest.mark.filterwarnings("ignore::xblock.fields.ModifyingEnforceTypeWarning")  # XBlock's note on "nan"
@pytest.mark.parametrize("weight", ["0", "2.5", "1e3", " 3 ", "-1", "-0.5", "ten", "nan", "inf", ""])
def test_the_checks_accept_a_weight_exactly_when_the_block_does(weight):
    runtime = TestRuntime(services={"field-data": KvsFieldData(DictKeyValueStore())})
    try:
        runtime.parse_xml_string(f'<maydan_fieldlog weight="{weight}"/>')
        accepted = True
    except ValueError:
        accepted = False
    assert (olx._weight(weight, {}) is None) == accepted


def test_packing_reads_nothing_but_the_course(tmp_path):
    """Hidden files (an editor's swap file, .DS_Store) stay out of the package."""
    course = tmp_path / "course"
    shutil.copytree(COURSE, course)
    (course / ".DS_Store").write_bytes(b"\0")
    (course / "html" / ".e_education_reading.html.swp").write_bytes(b"\0")
    pack.pack(course, tmp_path / "out.tar.gz")
    with tarfile.open(tmp_path / "out.tar.gz", "r:gz") as tar:
        names = tar.getnames()
    assert not [n for n in names if "/." in n]
