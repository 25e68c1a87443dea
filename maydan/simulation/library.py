"""The scenarios a course can place: the shipped library (course_content/scenarios) and its own.

A scenario is compiled once per distinct text: the cache is keyed by the text's digest,
so every process derives the same object from the same data and nothing lives only here.
"""
import hashlib
from functools import lru_cache
from importlib import resources

from django.utils.translation import gettext as _, gettext_noop

from ..activities import Activity, _translated
from ..errors import NotFound, Unshowable
from .engine import Scenario
from .models import CourseScenario
from .validate import SUFFIXES, ScenarioError, check_text, parse

UNSHOWABLE = gettext_noop("cannot be shown")

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
        # Checked whole even when it was checked on saving: a stored text may predate a rule, or not
        # have come through the editor at all.
        problems = check_text(text, name)
        if problems:
            raise ScenarioError(problems)
        if len(_COMPILED) >= _MAX_COMPILED:
            _COMPILED.clear()
        _COMPILED[digest] = Scenario.from_text(text, name)
    return _COMPILED[digest]


def get(course, key):
    """The course's scenario `key`: its own, else the library's. Unshowable when its stored text no
    longer passes the checks (the course's other activities are not touched)."""
    row = CourseScenario.objects.filter(course=course, key=key).first()
    if row is not None:
        try:
            return compiled(row.source)
        except ScenarioError as error:
            raise Unshowable(_("This case simulation cannot be shown: its scenario no longer passes the checks. "
                               "An author can paste a corrected version in the editor."),
                             reason="; ".join(p.format() for p in error.problems[:3])) from None
    if key in shipped():
        return compiled(*shipped()[key])
    raise NotFound(_("This case simulation does not exist."))


def keys(course):
    own = list(CourseScenario.objects.filter(course=course).order_by("key").values_list("key", flat=True))
    return list(shipped()) + [key for key in own if key not in shipped()]


def items(course):
    """One placeable activity per scenario, titled in both languages; one that cannot be shown says so."""
    found = []
    for key in keys(course):
        try:
            scenario = get(course, key)
            titles, summaries = dict(scenario.title), dict(scenario.summary or {})
        except Unshowable:
            titles = {language: f"{key} ({text})" for language, text in _translated(UNSHOWABLE).items()}
            summaries = {}
        found.append(Activity(KIND, key, titles, summaries=summaries))
    return found
