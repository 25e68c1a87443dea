"""The scenarios a course can place: the shipped library (course_content/scenarios) and its own.

A scenario is compiled once per distinct text: the cache is keyed by the text's digest,
so every process derives the same object from the same data and nothing lives only here.
A course object (one request's) looks each of its scenarios up once: a choice checks the
attempt, finds the feedback and draws the next screen from the same lookup. An attempt names the
digest of the text it plays, so a process that compiled that text reads nothing at all.
"""
import hashlib
import weakref
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


def digest_of(text):
    return hashlib.sha256(text.encode()).hexdigest()


def compiled(text, name="scenario.yaml"):
    """The playable Scenario of a text (ScenarioError when it does not validate); its `digest` names the text."""
    digest = digest_of(text)
    if digest not in _COMPILED:
        # Checked whole even when it was checked on saving: a stored text may predate a rule, or not
        # have come through the editor at all.
        problems = check_text(text, name)
        if problems:
            raise ScenarioError(problems)
        if len(_COMPILED) >= _MAX_COMPILED:
            _COMPILED.clear()
        _COMPILED[digest] = Scenario.from_text(text, name)
        _COMPILED[digest].digest = digest
    return _COMPILED[digest]


def get(course, key, digest=""):
    """The course's scenario `key`: its own, else the library's. Unshowable when its stored text no
    longer passes the checks (the course's other activities are not touched). `digest`, an attempt's,
    names the text: compiled here already, it is not read again."""
    found = _looked_up(course)
    if key not in found:
        known = _COMPILED.get(digest) if digest else None
        found[key] = known if known is not None and known.id == key else _lookup(course, key)
    return found[key]


def forget(course, key):
    """After a write of the course's scenario `key`: this course object looks it up again."""
    _looked_up(course).pop(key, None)


# {id of a course object: {key: scenario}}, each entry dropped with its course object. Keyed by
# identity, not by course: another request's course object (same row) looks up for itself.
_LOOKED_UP = {}


def _looked_up(course):
    found = _LOOKED_UP.get(id(course))
    if found is None:
        found = _LOOKED_UP[id(course)] = {}
        weakref.finalize(course, _LOOKED_UP.pop, id(course), None)
    return found


def _lookup(course, key):
    source = CourseScenario.objects.filter(course=course, key=key).values_list("source", flat=True).first()
    if source is not None:
        try:
            return compiled(source)
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
