"""The activities a course can place, whichever adapter shows them.

Each kind of activity has its screens: a module with `render(screen)` and
`handle(screen, form)` over a `maydan.ui.Screen`, as `maydan.fieldlog.screens` is for the field log.
A kind offers one or more placeable items (the field log; one item per case scenario;
one per evaluation form). The LTI tool's deep linking offers these items, a launch
names one by (kind, key), and an XBlock is one kind with its key in its settings.

A new kind adds one line to KINDS: where its screens are, and what items it offers.
"""
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy, gettext_noop

from .errors import NotFound

LANGUAGES = ("ar", "en")


@dataclass(frozen=True)
class Activity:
    kind: str
    key: str = ""
    # {"ar": "...", "en": "..."}: shown where the activity is placed (deep linking, gradebook).
    titles: dict = field(default_factory=dict, hash=False, compare=False)
    # Points the activity is worth in a platform's gradebook (an LTI line item's scoreMaximum).
    max_score: float = 100.0
    graded: bool = True
    # False: no longer offered for placement (e.g. an evaluation form the course stopped using);
    # links already placed still open it and still send its grades.
    offered: bool = True
    # {"ar": "...", "en": "..."}: what it is about, where one exists (a scenario's summary).
    summaries: dict = field(default_factory=dict, hash=False, compare=False)

    def title(self, language):
        return self.titles.get(language) or self.titles.get("en") or self.kind

    def kind_label(self):
        """What kind of activity this is, in the active language."""
        return KIND_LABELS.get(self.kind, self.kind)

    def description(self, language):
        """One line on what it is for, in `language`: its own summary's first sentence, else its kind's."""
        own = self.summaries.get(language) or self.summaries.get("en") or ""
        if own:
            return _first_sentence(own)
        with translation.override(language):
            return str(KIND_DESCRIPTIONS.get(self.kind, ""))


def _first_sentence(text, limit=180):
    text = " ".join(str(text).split())
    for stop in (". ", "؟ ", "? ", "! ", "۔ "):
        if stop in text:
            text = text.split(stop, 1)[0] + stop.strip()
            break
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "…"


def _translated(message):
    """A gettext message in every language the product ships."""
    return dict(_translations(message))


@cache
def _translations(message):
    # Kept per message for the process's life (the catalogs do not change under it): a launch's title is
    # looked up twice, and switching languages to translate it cost more than the rest of the lookup.
    translated = []
    for language in LANGUAGES:
        with translation.override(language):
            translated.append((language, _(message)))
    return tuple(translated)


def fieldlog_items(course):
    return [Activity("fieldlog", "", _translated(FIELDLOG_TITLE))]


FIELDLOG_TITLE = gettext_noop("Field training log")

KIND_LABELS = {
    "fieldlog": gettext_lazy("Field log"),
    "simulation": gettext_lazy("Case simulation"),
    "sessions": gettext_lazy("Sessions"),
    "evaluation": gettext_lazy("Evaluation"),
    "cohort": gettext_lazy("Dashboard"),
    "program": gettext_lazy("Placements"),
}
KIND_DESCRIPTIONS = {
    "fieldlog": gettext_lazy("Students log their field-training hours and activities; the agency and academic "
                             "supervisors review them. Graded by the share of target hours approved."),
    "simulation": gettext_lazy("A case to work through step by step, from study to treatment, with feedback."),
    "sessions": gettext_lazy("Supervision meetings on Zoom or any video service: calendar, reminders, and "
                             "attendance credited as hours."),
    "evaluation": gettext_lazy("The agency and the academic supervisor each rate the student's competencies; "
                               "the final grade is reconciled from both."),
    "cohort": gettext_lazy("For supervisors and coordinators: every student's progress, accreditation evidence "
                           "and exports. Not graded."),
    "program": gettext_lazy("For coordinators: agencies, openings and students' preferences matched into "
                            "placements. Not graded."),
}

# kind -> (module with render/handle, "module:function" listing the items a course may place)
KINDS = {
    "fieldlog": ("maydan.fieldlog.screens", "maydan.activities:fieldlog_items"),
    "simulation": ("maydan.simulation.screens", "maydan.simulation.library:items"),
    "sessions": ("maydan.sessions.screens", "maydan.sessions.screens:items"),
    "evaluation": ("maydan.grading.screens", "maydan.grading.services:items"),
    "cohort": ("maydan.cohort.screens", "maydan.cohort.screens:items"),
    "program": ("maydan.program.screens", "maydan.program.screens:items"),
    "readiness": ("maydan.readiness.screens", "maydan.readiness.screens:items"),
}


def _function(path):
    module, name = path.split(":")
    return getattr(import_module(module), name)


def screens(kind):
    """The module that renders and handles this kind's screens."""
    try:
        return import_module(KINDS[kind][0])
    except KeyError:
        raise NotFound(_("This activity does not exist."))


def catalog(course):
    """Every item this course can place, in a stable order: field log first."""
    return [item for kind in KINDS for item in _function(KINDS[kind][1])(course) if item.offered]


def titles(course, language):
    """{(kind, key): title} of every item, those no longer offered too: where people read which activity
    a grade or a score belongs to, never its key."""
    return {(item.kind, item.key): item.title(language)
            for kind in KINDS for item in _function(KINDS[kind][1])(course)}


def find(course, kind, key=""):
    # Only this kind's items: listing every kind's (scenarios, forms, ...) costs queries a launch does not need.
    for item in (_function(KINDS[kind][1])(course) if kind in KINDS else []):
        if item.kind == kind and item.key == (key or ""):
            return item
    raise NotFound(_("This activity does not exist."))
