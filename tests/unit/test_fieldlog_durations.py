"""Entries logged as a duration only are checked against the day too: they must fit in the time the timed
entries leave free, so a day never holds more than 24 hours and a duration never claims booked time."""
from datetime import time

import pytest
from django.utils import translation

from maydan import fieldlog
from maydan.fieldlog import hours
from maydan.errors import Invalid
from maydan.models import LogEntry
from tests.conftest import entry_form


def duration(value, **overrides):
    return entry_form(start_time="", end_time="", duration=value, **overrides)


@pytest.mark.parametrize("intervals, free", [
    ([], 24 * 60),
    ([(time(9), time(11, 30))], 24 * 60 - 150),
    ([(time(9), time(12)), (time(11), time(13))], 24 * 60 - 240),      # overlapping ones counted once
    ([(time(9), time(12)), (time(10), time(11))], 24 * 60 - 180),      # one inside another
    ([(time(0), time(16)), (time(16), time(23, 59))], 1),
    ([(None, None), (time(8), time(9))], 24 * 60 - 60),               # durations have no place on the clock
])
def test_free_time_of_a_day(intervals, free):
    assert hours.free_minutes(intervals) == free


def test_durations_that_fit_the_day_are_kept(cohort):
    fieldlog.save_entry(cohort.student, entry_form(start_time="08:00", end_time="16:00"))
    fieldlog.save_entry(cohort.student, duration("8:00"))
    fieldlog.save_entry(cohort.student, duration("7:59"))
    assert LogEntry.objects.count() == 3


@pytest.mark.parametrize("language, words", [("en", "entries logged as a duration"), ("ar", "")])
def test_a_duration_beyond_the_days_free_time_is_refused_and_nothing_is_written(cohort, language, words):
    fieldlog.save_entry(cohort.student, entry_form(start_time="00:00", end_time="16:00"))
    fieldlog.save_entry(cohort.student, duration("7:00"))
    with translation.override(language), pytest.raises(Invalid) as refused:
        fieldlog.save_entry(cohort.student, duration("1:30"))
    assert "duration" in refused.value.field_errors and words in str(refused.value.message)
    if language == "ar":
        assert any("\u0600" <= ch <= "\u06ff" for ch in str(refused.value.message))
    assert LogEntry.objects.count() == 2


def test_a_timed_entry_cannot_take_time_durations_already_hold(cohort):
    for _ in range(2):
        fieldlog.save_entry(cohort.student, duration("10:00"))
    with pytest.raises(Invalid) as refused:
        fieldlog.save_entry(cohort.student, entry_form(start_time="08:00", end_time="13:00"))
    assert "start_time" in refused.value.field_errors
    fieldlog.save_entry(cohort.student, entry_form(start_time="08:00", end_time="12:00"))  # exactly the day left


def test_editing_an_entry_does_not_count_it_twice_and_withdrawn_ones_free_their_time(cohort):
    entry = fieldlog.save_entry(cohort.student, duration("16:00"))
    fieldlog.save_entry(cohort.student, duration("16:00"), entry_id=entry.pk)  # itself, not twice
    with pytest.raises(Invalid):
        fieldlog.save_entry(cohort.student, duration("9:00"))
    LogEntry.objects.filter(pk=entry.pk).update(status="withdrawn")
    fieldlog.save_entry(cohort.student, duration("9:00"))


def test_credited_hours_follow_the_same_rule(cohort):
    placement = fieldlog.placement_for(cohort.student)
    fieldlog.save_entry(cohort.student, duration("16:00"))
    [refused, kept] = fieldlog.credit_entries(cohort.academic, [
        (placement, duration("9:00", activity_type="supervision"), {}),
        (placement, duration("8:00", activity_type="supervision"), {}),
    ])
    assert isinstance(refused, Invalid) and isinstance(kept, LogEntry)
