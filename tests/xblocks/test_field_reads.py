"""A block's fields are read from the runtime's store once per request, and as the author stored them.

Where the store keeps each field apart (the workbench's: an SQL query per read), XBlock's own access asks
whether a value is there and then reads it. The simulation block reads each field its view needs once
(xblocks.base.read_once): what an author set, or the default where nothing was set.
"""
import re
from collections import Counter
from html import unescape
from urllib.parse import urlencode

import pytest
from django.test import Client
from xblock.runtime import DictKeyValueStore

from maydan.simulation.models import SimulationAttempt
from xblocks.base import read_once
from xblocks.simulation import SimulationXBlock

from .test_simulation_block import SCENARIO, SimulationCourse, USAGE, attempt_id
from .xbtools import Person, lms_user


class CountingStore(DictKeyValueStore):
    """XBlock's in-memory store, counting the reads of each field (a look whether it is there, or a read)."""

    def __init__(self):
        super().__init__()
        self.reads = Counter()

    def get(self, key):
        self.reads[key.field_name] += 1
        return super().get(key)

    def has(self, key):
        self.reads[key.field_name] += 1
        return super().has(key)


@pytest.fixture
def course(db):
    course = SimulationCourse(USAGE)
    course.kvs = CountingStore()
    return course


@pytest.fixture
def sara(course):
    return Person(course, lms_user("anon-sara", lang="en", name="Sara Adel"))


def author_sets(course, **values):
    block = Person(course, lms_user("anon-hoda", role="staff", lang="en")).block()
    for name, value in values.items():
        setattr(block, name, value)
    block.save()
    course.kvs.reads.clear()


@pytest.mark.parametrize("stored", [
    {},
    {"scenario": "etherapy-anxious", "weight": 5.0},
    {"mode": "practice", "display_name": "حالة: قلق الامتحانات", "weight": 0.0},
    {"scenario": "", "display_name": ""},  # set to empty: stored, not the default
])
def test_each_field_is_read_once_and_is_what_the_author_stored_or_its_default(course, sara, stored):
    author_sets(course, **stored)
    expected = {name: getattr(sara.block(), name) for name in SimulationXBlock.fields}
    for name, value in stored.items():
        assert expected[name] == value
    course.kvs.reads.clear()

    block = sara.block()
    read_once(block, list(SimulationXBlock.fields))
    assert dict(course.kvs.reads) == {name: 1 for name in SimulationXBlock.fields}
    assert {name: getattr(block, name) for name in SimulationXBlock.fields} == expected
    read_once(block, list(SimulationXBlock.fields))  # already read: nothing more
    assert sum(course.kvs.reads.values()) == len(SimulationXBlock.fields)


def test_a_value_set_on_the_block_is_not_read_over(course, sara):
    author_sets(course, scenario="etherapy-anxious", mode="assessment")
    block = sara.block()
    block.mode = "practice"
    read_once(block, ["mode", "scenario"])
    assert block.mode == "practice" and block.scenario == "etherapy-anxious"
    assert course.kvs.reads == Counter(scenario=1)


def test_a_student_s_view_and_step_read_each_field_at_most_once(course, sara):
    author_sets(course, scenario="etherapy-anxious", weight=4.0, display_name="Case")
    sara.view()
    sara.act(action="start")
    for request in (sara.view, lambda: sara.act(action="choose", attempt=attempt_id(sara), node="opening",
                                                 choice="accept")):
        course.kvs.reads.clear()
        request()
        assert course.kvs.reads and max(course.kvs.reads.values()) == 1, course.kvs.reads
    # A step in an attempt needs no grade: the block's points are not read for it.
    assert "weight" not in course.kvs.reads
    assert SimulationAttempt.objects.get().path[0]["choice"] == "accept"


@pytest.mark.usefixtures("workbench_state")
def test_in_the_workbench_a_returning_student_s_page_reads_each_field_of_the_block_once(monkeypatch):
    from workbench.runtime import WorkbenchDjangoKeyValueStore

    reads = Counter()
    for method in ("get", "has"):
        def counted(store, key, _read=getattr(WorkbenchDjangoKeyValueStore, method)):
            reads[key.field_name] += 1
            return _read(store, key)
        monkeypatch.setattr(WorkbenchDjangoKeyValueStore, method, counted)
    client = Client()
    page = client.get(SCENARIO, {"student": "student_en"}).content.decode()
    endpoint = unescape(re.search(r'class="maydan[^"]*"[^>]*data-endpoint="([^"]+)"', page).group(1))
    client.post(endpoint, urlencode({"action": "start"}), content_type="application/x-www-form-urlencoded")
    reads.clear()
    page = client.get(SCENARIO, {"student": "student_en"}).content.decode()
    assert 'data-node="opening"' in page
    # The page prints the block, which reads every field; the scenario and weight the workbench's OLX sets.
    assert {name: reads[name] for name in ("display_name", "scenario", "weight", "mode")} == \
        {"display_name": 1, "scenario": 1, "weight": 1, "mode": 1}
