"""The grading queue: everything handed in and not yet graded across the course, oldest first."""
from datetime import timedelta

import pytest
from django.utils import timezone

from maydan import fieldlog, ui
from maydan.errors import Forbidden
from maydan.grading import queue, recordings, screens, services
from maydan.grading.models import Marking, ProcessRecording, Scoresheet
from maydan.models import LogEntry
from maydan.simulation.models import SimulationAnswer, SimulationAttempt
from tests.conftest import entry_form, form
from tests.unit.test_grading_evaluations import answers
from tests.unit.test_grading_recordings import recording_form
from tests.unit.test_simulation_services import mini, play  # noqa: F401 (the fixture is used by name)


def ago(days):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def work(cohort, mini):  # noqa: F811
    """One of each kind, handed in on different days: the recording oldest, the reflection newest."""
    entry = fieldlog.save_entry(cohort.student, entry_form(), submit=True)
    LogEntry.objects.filter(pk=entry.pk).update(submitted_at=ago(1))
    recording = recordings.save(cohort.student, recording_form(), submit=True)
    ProcessRecording.objects.filter(pk=recording.pk).update(updated_at=ago(9))
    placement = entry.placement
    services.save_sheet(cohort.agency, placement.pk, "midterm", answers(4), submit=True)
    Scoresheet.objects.filter(side="agency").update(submitted_at=ago(5))
    attempt = play(cohort.other_student, mini, "warm")
    SimulationAnswer.objects.update(created_at=ago(3))
    SimulationAttempt.objects.filter(pk=attempt.pk).update(finished_at=ago(2))
    return {"entry": entry, "recording": recording, "placement": placement, "attempt": attempt}


def test_everything_waiting_is_listed_oldest_first(cohort, work):
    items = queue.waiting(cohort.academic)
    assert [item.kind for item in items] == ["recording", "evaluation", "answer", "debrief", "reflection"]
    assert [item.student.name for item in items] == ["Sara Adel", "Sara Adel", "Omar Nabil", "Omar Nabil", "Sara Adel"]
    assert items[2].detail == {"en": "Mini", "ar": items[2].detail["ar"]}  # the scenario's title, not its id


def test_graded_work_leaves_the_queue_and_work_in_review_stays(cohort, work):
    entry = work["entry"]
    Marking.objects.create(placement=entry.placement, entry=entry, rubric="reflection", status=Marking.IN_REVIEW)
    assert "reflection" in [item.kind for item in queue.waiting(cohort.coordinator)]
    Marking.objects.filter(entry=entry).update(status=Marking.RELEASED)
    assert "reflection" not in [item.kind for item in queue.waiting(cohort.coordinator)]


def test_drafts_and_evaluations_nobody_handed_in_are_not_waiting(cohort):
    fieldlog.save_entry(cohort.student, entry_form())  # a draft
    recordings.save(cohort.student, recording_form())  # a draft
    placement = cohort.student.person.placements.get()
    services.save_sheet(cohort.agency, placement.pk, "midterm", answers(4), submit=False)
    assert queue.waiting(cohort.academic) == []


@pytest.mark.parametrize("who", ["student", "agency"])
def test_only_course_supervisors_see_the_queue(cohort, work, who):
    with pytest.raises(Forbidden):
        queue.waiting(getattr(cohort, who))


@pytest.mark.parametrize("language,heading", [("en", "To grade"), ("ar", "للتصحيح")])
def test_the_queue_screen_opens_each_item_where_it_is_graded(cohort, work, language, heading):
    screen = ui.Screen(actor=cohort.academic, language=language, activity="evaluation", key="midterm",
                       endpoint="/act", view="queue")
    html = screens.render(screen)
    assert heading in html and 'aria-current="page"' in html
    placement = work["placement"].pk
    for view in ("recordings", "evaluate", "reflections"):
        assert f'name="view" value="{view}"><input type="hidden" name="placement" value="{placement}">' in html
    assert html.count('value="queue"') == 1  # its tab


def test_a_student_asking_for_the_queue_gets_their_own_screen(cohort, work):
    screen = ui.Screen(actor=cohort.student, language="en", activity="evaluation", key="midterm", endpoint="/a")
    status, html = screens.handle(screen, form(action="view", view="queue"))
    assert status == 200 and "Nothing waits to be graded." not in html and "Waiting since" not in html


def test_an_evaluation_waits_from_its_first_sheet_until_it_is_released_whatever_its_scores_say(cohort):
    placement = cohort.student.person.placements.get()
    services.configure(cohort.academic, rule="moderator", agency_weight=1, academic_weight=1, threshold=1,
                       show_both_voices="1")
    services.save_sheet(cohort.agency, placement.pk, "final", answers(4), submit=False)  # a draft: not waiting
    services.save_sheet(cohort.agency, placement.pk, "midterm", answers(4, value_1a=5), submit=True)
    assert [(i.kind, i.form) for i in queue.waiting(cohort.academic)] == [("evaluation", "midterm")]  # scoring
    services.save_sheet(cohort.academic, placement.pk, "midterm", answers(4, value_1a=2, comment_1="Late reports."),
                        submit=True)
    first = Scoresheet.objects.filter(side="agency", evaluation__form="midterm").get().submitted_at
    waits = queue.waiting(cohort.academic)  # the two supervisors disagree: it waits for a decision
    assert [(i.kind, i.since, i.student.name) for i in waits] == [("evaluation", first, "Sara Adel")]
    services.decide(cohort.academic, placement.pk, "midterm", "1a", 3, "Both saw it; the reports were late.")
    assert len(queue.waiting(cohort.academic)) == 1  # ready, not yet released
    services.release(cohort.academic, placement.pk, "midterm")
    assert queue.waiting(cohort.academic) == []


def test_the_screen_names_only_the_page_it_shows(cohort, work):
    unnamed = queue.unnamed(cohort.academic)
    assert all(item.student is None for item in unnamed)
    named = queue.named(unnamed[1:3])
    assert [item.student.name for item in named] == ["Sara Adel", "Omar Nabil"]
    assert named[0].placement == work["placement"] and named[1].placement is None
