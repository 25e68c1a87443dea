"""The scenarios a course can place: the shipped library (course_content/scenarios) and its own.

A scenario is compiled once per distinct text: the cache is keyed by the text's digest,
so every process derives the same object from the same data and nothing lives only here.
"""
import hashlib
from functools import lru_cache
from importlib import resources

from django.utils.translation import gettext as _

from ..activities import Activity
from ..errors import NotFound
from .engine import Scenario
from .models import CourseScenario
from .validate import SUFFIXES, parse

KIND = "simulation"
_COMPILED = {}
_MAX_COMPILED = 256


@lru_cache(maxsize=1)
def shipped():
    """{scenario id: (text, file name)} of the scenarios shipped with the product."""
    found = {}
    folder = resources.files("course_content").joinpath("scenarios")
    for file in sorted(folder.iterdir(), key=lambda f: f.name):
        if file.name.endswith(SUFFIXES):
            text = file.read_text(encoding="utf-8")
            found[parse(text, file.name)["id"]] = (text, file.name)
    return found


def compiled(text, name="scenario.yaml"):
    """The playable Scenario of a text (ScenarioError when it does not validate)."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    if digest not in _COMPILED:
        if len(_COMPILED) >= _MAX_COMPILED:
            _COMPILED.clear()
        _COMPILED[digest] = Scenario.from_text(text, name)
    return _COMPILED[digest]


def get(course, key):
    row = CourseScenario.objects.filter(course=course, key=key).first()
    if row is not None:
        return compiled(row.source)
    if key in shipped():
        return compiled(*shipped()[key])
    raise NotFound(_("This case simulation does not exist."))


def keys(course):
    own = list(CourseScenario.objects.filter(course=course).order_by("key").values_list("key", flat=True))
    return list(shipped()) + [key for key in own if key not in shipped()]


def items(course):
    """One placeable activity per scenario, titled in both languages."""
    return [Activity(KIND, key, dict(get(course, key).title)) for key in keys(course)]
