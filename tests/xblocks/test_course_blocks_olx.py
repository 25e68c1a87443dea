"""Every Maydan block the course places survives Studio's OLX round trip: parse, export, parse again, equal.

The blocks come from the shipped course's units as a faculty member imports them. A block whose
class is not installed here is skipped with that reason (each is its own package entry point).
"""
from importlib.metadata import entry_points

import pytest
from lxml import etree
from xblock.core import XBlock
from xblock.fields import Scope
from xblock.runtime import DictKeyValueStore, KvsFieldData
from xblock.test.tools import TestRuntime

from maydan.content import course_dir

INSTALLED = {ep.name for ep in entry_points(group="xblock.v1")}


def course_blocks():
    """(unit file, element) of every Maydan block in the course's units, in course order."""
    found = []
    for path in sorted((course_dir() / "vertical").glob("*.xml")):
        for element in etree.parse(str(path)).getroot():
            if isinstance(element.tag, str) and element.tag.startswith("maydan_"):
                found.append(pytest.param(element, id=f"{path.stem}:{element.get('url_name')}"))
    return found


def settings_of(block):
    own = set(block.fields) - set(XBlock.fields)
    return {name: getattr(block, name) for name in sorted(own) if block.fields[name].scope == Scope.settings}


def test_the_course_places_every_kind_of_maydan_block():
    tags = {param.values[0].tag for param in course_blocks()}
    assert tags == {"maydan_fieldlog", "maydan_simulation", "maydan_evaluation", "maydan_sessions"}


@pytest.mark.django_db
@pytest.mark.parametrize("element", course_blocks())
def test_each_course_block_survives_the_olx_round_trip(element):
    if element.tag not in INSTALLED:
        pytest.skip(f"<{element.tag}> is not installed with this package")
    runtime = TestRuntime(services={"field-data": KvsFieldData(DictKeyValueStore())})
    block = runtime.get_block(runtime.parse_xml_string(etree.tostring(element, encoding="unicode")))
    settings = settings_of(block)
    # What the course file says is what the block holds (numbers as numbers).
    for name, value in element.attrib.items():
        if name in settings:
            assert str(settings[name]) == value or settings[name] == float(value), name

    node = etree.Element("unknown")
    block.add_xml_to_node(node)
    assert node.tag == element.tag
    again = runtime.get_block(runtime.parse_xml_string(etree.tostring(node, encoding="unicode")))
    assert settings_of(again) == settings
    exported_again = etree.Element("unknown")
    again.add_xml_to_node(exported_again)
    assert dict(exported_again.attrib) == dict(node.attrib)
