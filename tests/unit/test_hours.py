"""Hours arithmetic: durations, overlaps, progress bars and the log's score."""
from datetime import time

from maydan.fieldlog import hours


def test_minutes_between():
    assert hours.minutes_between(time(9, 0), time(11, 30)) == 150
    assert hours.minutes_between(time(11, 0), time(9, 0)) < 0


def test_touching_entries_do_not_overlap():
    assert not hours.overlaps(time(9), time(10), time(10), time(11))
    assert hours.overlaps(time(9), time(10, 1), time(10), time(11))


def test_progress_counts_each_status_group_in_total_and_categories():
    rows = [
        ("approved", ("direct", "home_visit"), 120),
        ("approved", ("indirect", "supervision"), 60),
        ("pending", ("direct", "interview"), 90),
        ("returned", ("direct", "home_visit"), 30),
    ]
    p = hours.progress(rows, 10, {"direct": 5, "supervision": 2})
    assert (p.total.approved_minutes, p.total.pending_minutes, p.total.returned_minutes) == (180, 90, 30)
    assert p.total.percent == 30 and p.total.pending_percent == 15
    direct, supervision = p.categories
    assert (direct.key, direct.approved_minutes, direct.percent) == ("direct", 120, 40)
    assert (supervision.approved_hours, supervision.percent) == (1.0, 50)
    assert p.score == 0.3


def test_score_is_capped_and_bars_stop_at_full():
    p = hours.progress([("approved", ("direct",), 700)], 10, {})
    assert p.score == 1.0 and p.total.percent == 100 and p.total.complete
    assert p.total.pending_percent == 0


def test_small_progress_is_visible():
    bar = hours.progress([("approved", ("direct",), 180)], 400, {}).total
    assert bar.percent == 0.8
