"""What waits to be graded across a course, oldest first: the academic supervisor's queue.

Gathered from the rooms that own the work (the field log's reflections, process recordings,
simulation answers and reflections, evaluations), in a fixed number of queries however many.
Graded means released: a marking still in draft or review keeps its item in the queue.
"""
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _, gettext_lazy

from ..errors import Forbidden
from ..fieldlog import visible_placements
from ..models import LogEntry
from ..simulation import library
from ..simulation.models import SimulationAnswer, SimulationAttempt
from . import services
from .markings import ANSWER_RUBRIC, MARKABLE_STATUSES, RECORDING_RUBRIC, REFLECTION_RUBRIC
from .models import Marking, ProcessRecording

KINDS = {
    "reflection": gettext_lazy("Reflection in the field log"),
    "recording": gettext_lazy("Process recording"),
    "answer": gettext_lazy("Written answer in a simulation"),
    "debrief": gettext_lazy("Simulation reflection"),
    "evaluation": gettext_lazy("Evaluation"),
}
# The grading screen that opens each kind (simulation work is graded in its simulation's screen).
OPENS = {"reflection": "reflections", "recording": "recordings", "evaluation": "evaluate"}
WAITING_STATES = ("scoring", "needs_decision", "ready")


@dataclass
class Item:
    kind: str
    since: datetime
    placement: object  # None for simulation work: the student's attempt is not tied to a placement
    student: object
    # What the work is: a day ("2026-11-02") or titles by language ({"ar": ..., "en": ...}), never an id.
    detail: object = ""
    form: str = ""

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
    """Every piece of work in the actor's course waiting for a grade, oldest first."""
    if not actor.supervises_course:
        raise Forbidden(_("Only the academic supervisor or the field coordinator see the grading queue."))
    placements = visible_placements(actor)
    scenarios = {item.key: item.titles for item in library.items(actor.course)}
    # A course's reflections wait by the thousand: read as plain values, each placement (and student) once.
    reflections = (LogEntry.objects.filter(placement__in=placements, status__in=MARKABLE_STATUSES)
                   .exclude(reflection="").filter(_unreleased(REFLECTION_RUBRIC, entry=OuterRef("pk")))
                   .values_list("submitted_at", "updated_at", "date", "placement_id"))
    reflections = list(reflections)
    writers = placements.filter(pk__in={row[3] for row in reflections}).select_related("student").in_bulk()
    items = [Item("reflection", submitted or updated, writers[placement], writers[placement].student, day.isoformat())
             for submitted, updated, day, placement in reflections]
    items += [
        Item("recording", recording.updated_at, recording.placement, recording.placement.student,
             recording.date.isoformat())
        for recording in ProcessRecording.objects.filter(placement__in=placements, status=ProcessRecording.SUBMITTED)
        .filter(_unreleased(RECORDING_RUBRIC, recording=OuterRef("pk"))).select_related("placement__student")
    ]
    items += [
        Item("answer", answer.created_at, None, answer.attempt.student,
             scenarios.get(answer.attempt.scenario, {}))
        for answer in SimulationAnswer.objects.filter(attempt__course=actor.course)
        .filter(_unreleased(ANSWER_RUBRIC, answer=OuterRef("pk"))).select_related("attempt__student")
    ]
    items += [
        Item("debrief", attempt.finished_at or attempt.updated_at, None, attempt.student,
             scenarios.get(attempt.scenario, {}))
        for attempt in SimulationAttempt.objects.filter(course=actor.course).exclude(reflection="")
        .filter(_unreleased(REFLECTION_RUBRIC, attempt=OuterRef("pk"))).select_related("student")
    ]
    for placement, cell in services.open_cells(actor):
        if cell["state"] not in WAITING_STATES:
            continue
        since = min(s.submitted_at for s in cell["evaluation"].sheets.all() if s.submitted_at)
        items.append(Item("evaluation", since, placement, placement.student, cell["form"].title, form=cell["form"].id))
    return sorted(items, key=lambda item: item.since)
