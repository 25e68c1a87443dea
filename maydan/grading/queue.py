"""What waits to be graded across a course, oldest first: the academic supervisor's queue.

Gathered from the rooms that own the work (the field log's reflections, process recordings,
simulation answers and reflections, evaluations), in a fixed number of queries however many.
Graded means released: a marking still in draft or review keeps its item in the queue.
"""
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, Min, OuterRef
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _, gettext_lazy

from ..errors import Forbidden
from ..fieldlog import visible_placements
from ..models import LogEntry, Person, Placement
from ..simulation import library
from ..simulation.models import SimulationAnswer, SimulationAttempt
from .services import forms
from .markings import ANSWER_RUBRIC, MARKABLE_STATUSES, RECORDING_RUBRIC, REFLECTION_RUBRIC
from .models import Evaluation, Marking, ProcessRecording

KINDS = {
    "reflection": gettext_lazy("Reflection in the field log"),
    "recording": gettext_lazy("Process recording"),
    "answer": gettext_lazy("Written answer in a simulation"),
    "debrief": gettext_lazy("Simulation reflection"),
    "evaluation": gettext_lazy("Evaluation"),
}
ORDER = {kind: number for number, kind in enumerate(KINDS)}
# The grading screen that opens each kind (simulation work is graded in its simulation's screen).
OPENS = {"reflection": "reflections", "recording": "recordings", "evaluation": "evaluate"}


@dataclass
class Item:
    kind: str
    since: datetime
    placement_id: object  # None for simulation work: the student's attempt is not tied to a placement
    student_id: object
    # What the work is: a day ("2026-11-02") or titles by language ({"ar": ..., "en": ...}), never an id.
    detail: object = ""
    form: str = ""
    # The placement and student themselves, read by `named` for the items a screen shows.
    placement: object = None
    student: object = None

    @property
    def label(self):
        return KINDS[self.kind]

    @property
    def view(self):
        return OPENS.get(self.kind, "")


def _unreleased(rubric, **target):
    released = Marking.objects.filter(rubric=rubric, status=Marking.RELEASED, **target)
    return ~Exists(released)


def waiting(actor):
    """Every piece of work in the actor's course waiting for a grade, oldest first, with its student."""
    return named(unnamed(actor))


def unnamed(actor):
    """What `waiting` lists, as plain rows without the placement and student: a large course has thousands of
    pieces waiting and a screen shows fifty (`named` reads theirs)."""
    if not actor.supervises_course:
        raise Forbidden(_("Only the academic supervisor or the field coordinator see the grading queue."))
    placements = visible_placements(actor)
    scenarios = {item.key: item.titles for item in library.items(actor.course)}
    items = [Item("reflection", since, placement, None, day.isoformat()) for since, day, placement in
             LogEntry.objects.filter(placement__in=placements, status__in=MARKABLE_STATUSES).exclude(reflection="")
             .filter(_unreleased(REFLECTION_RUBRIC, entry=OuterRef("pk")))
             .order_by().values_list(Coalesce("submitted_at", "updated_at"), "date", "placement_id")]
    items += [Item("recording", updated, placement, None, day.isoformat()) for updated, day, placement in
              ProcessRecording.objects.filter(placement__in=placements, status=ProcessRecording.SUBMITTED)
              .filter(_unreleased(RECORDING_RUBRIC, recording=OuterRef("pk")))
              .order_by().values_list("updated_at", "date", "placement_id")]
    items += [Item("answer", created, None, student, scenarios.get(scenario, {})) for created, student, scenario in
              SimulationAnswer.objects.filter(attempt__course=actor.course)
              .filter(_unreleased(ANSWER_RUBRIC, answer=OuterRef("pk")))
              .order_by().values_list("created_at", "attempt__student_id", "attempt__scenario")]
    items += [Item("debrief", since, None, student, scenarios.get(scenario, {})) for since, student, scenario in
              SimulationAttempt.objects.filter(course=actor.course).exclude(reflection="")
              .filter(_unreleased(REFLECTION_RUBRIC, attempt=OuterRef("pk")))
              .order_by().values_list(Coalesce("finished_at", "updated_at"), "student_id", "scenario")]
    # An evaluation waits from the first sheet handed in until it is released, whatever its scores say.
    known = forms()
    items += [Item("evaluation", since, placement, None, known[form].title, form=form) for since, placement, form in
              Evaluation.objects.filter(placement__in=placements, status=Evaluation.OPEN, form__in=list(known))
              .annotate(since=Min("sheets__submitted_at")).filter(since__isnull=False).order_by()
              .values_list("since", "placement_id", "form")]
    # Oldest first; work handed in at the same moment in a fixed order (kind, then placement or student, then what).
    return sorted(items, key=lambda item: (item.since, ORDER[item.kind], item.placement_id or 0, item.student_id or 0,
                                           str(item.detail)))


def named(items):
    """The same items with their placement and student, in two queries however many."""
    placements = Placement.objects.select_related("student").in_bulk(
        {item.placement_id for item in items if item.placement_id is not None})
    students = Person.objects.in_bulk({item.student_id for item in items if item.placement_id is None})
    for item in items:
        if item.placement_id is not None:
            item.placement = placements[item.placement_id]
            item.student = item.placement.student
        else:
            item.student = students[item.student_id]
    return items
