"""Every block's Studio editor, saved as an author sees it, in Arabic and in English.

The form is read from the rendered editor (what the browser would send: every named field with the value
the editor wrote into it) and posted back unchanged, then with a weight as people type it in each language.
"""
import pytest
from lxml import html as lxml_html
from opaque_keys.edx.locator import BlockUsageLocator

from xblocks.cohort import CohortXBlock
from xblocks.evaluation import EvaluationXBlock
from xblocks.fieldlog import FieldLogXBlock
from xblocks.sessions import SessionsXBlock
from xblocks.simulation import SimulationXBlock

from .xbtools import COURSE_KEY, LmsCourse, Person, lms_user

BLOCKS = [FieldLogXBlock, EvaluationXBlock, SimulationXBlock, SessionsXBlock, CohortXBlock]
# Weights that were typed or written as a decimal in each language, and what they mean.
TYPED_WEIGHTS = [("10,5", 10.5), ("١٠٫٥", 10.5), ("7.25", 7.25), ("٣", 3.0)]


def _course(block_class):
    usage = BlockUsageLocator(COURSE_KEY, block_type=_block_type(block_class), block_id="b1")
    return LmsCourse(usage, block_class)


def _block_type(block_class):
    from importlib.metadata import entry_points

    return next(ep.name for ep in entry_points(group="xblock.v1") if ep.load() is block_class)


def _rendered_form(html):
    """What the editor's script posts: each enabled named field's value as rendered (a row template's
    fields are not in the form; a name on several rows is a list, as the script sends it)."""
    form = lxml_html.fromstring(html).xpath("//form")[0]
    data = {}
    for field in form.xpath(".//input[@name] | .//select[@name] | .//textarea[@name]"):
        if field.xpath("ancestor::fieldset[@disabled] | ancestor::template") or field.get("type") in ("checkbox", "radio") \
                and field.get("checked") is None:
            continue
        if field.tag == "select":
            chosen = field.xpath("option[@selected]") or field.xpath("option")
            value = chosen[0].get("value") if chosen else ""
        elif field.tag == "textarea":
            value = field.text or ""
        else:
            value = field.get("value") or ""
        name = field.get("name")
        if name.startswith("category_"):
            data.setdefault(name, []).append(value)
        else:
            data[name] = value
    return data


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("block_class", BLOCKS, ids=lambda c: c.__name__)
def test_the_editor_saves_what_it_shows_in_each_language(db, block_class, language):
    course = _course(block_class)
    author = Person(course, lms_user("anon-author", role="staff", lang=language, name="Dr. Hoda Samir"))
    block = author.block()
    if "weight" in block.fields:
        block.weight = 10.0
        block.save()
    html = author.view("studio_view")
    form = _rendered_form(html)
    for name in ("weight", "target_hours", "max_attempts"):
        if form.get(name):
            float(form[name])  # what <input type="number"> accepts: no "10,0", no Arabic-Indic digits
    response = author.post_json("studio_submit", form)
    assert response.status_code == 200, response.json
    assert response.json["result"] == "success"
    if "weight" in block.fields:
        assert author.block().weight == 10.0


@pytest.mark.parametrize("typed, meant", TYPED_WEIGHTS)
@pytest.mark.parametrize("block_class", [FieldLogXBlock, EvaluationXBlock, SimulationXBlock], ids=lambda c: c.__name__)
def test_a_weight_typed_the_arabic_way_is_read_as_meant(db, block_class, typed, meant):
    course = _course(block_class)
    author = Person(course, lms_user("anon-author", role="staff", lang="ar", name="Dr. Hoda Samir"))
    form = _rendered_form(author.view("studio_view"))
    response = author.post_json("studio_submit", {**form, "weight": typed})
    assert response.status_code == 200, response.json
    assert author.block().weight == meant


@pytest.mark.parametrize("typed", ["1,000.5", "ten", "-1", "1,2,3", "inf"])
def test_a_weight_that_is_not_a_number_is_refused_in_arabic(db, typed):
    course = _course(FieldLogXBlock)
    author = Person(course, lms_user("anon-author", role="staff", lang="ar", name="Dr. Hoda Samir"))
    form = _rendered_form(author.view("studio_view"))
    response = author.post_json("studio_submit", {**form, "weight": typed})
    assert response.status_code == 400
    assert "weight" in response.json["errors"] and "الوزن" in response.json["errors"]["weight"][0]
    assert author.block().weight != -1
