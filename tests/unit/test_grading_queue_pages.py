"""The grading queue of a large course comes a page at a time, oldest first, with the count of all that waits."""
import re
from datetime import date, datetime, time, timedelta, timezone

import pytest

from maydan import fieldlog, ui, vocab
from maydan.grading import screens
from maydan.grading.screens import QUEUE_PAGE
from maydan.models import LogEntry
from tests.conftest import form

START = datetime(2026, 1, 5, 20, tzinfo=timezone.utc)


def waiting_reflections(placement, n):
    """n submitted entries with a reflection nobody graded yet, handed in a day apart (oldest first)."""
    LogEntry.objects.bulk_create(
        LogEntry(placement=placement, date=date(2026, 1, 5) + timedelta(days=i), start_time=time(9),
                 end_time=time(10), minutes=60, activity_type="home_visit", modality="in_person", time_kind="direct",
                 status=vocab.SUBMITTED, reflection="I asked before advising.", submitted_at=START + timedelta(days=i))
        for i in range(n))


def shown_days(html):
    """The days of the reflections listed, in the order shown."""
    return re.findall(r"<bdi>(2026-\d\d-\d\d)</bdi>", html)


@pytest.fixture
def big(cohort):
    waiting_reflections(fieldlog.placement_for(cohort.student), QUEUE_PAGE + 7)
    return cohort


@pytest.mark.parametrize("language,count,pages", [("en", f"{QUEUE_PAGE + 7} pieces of work wait.", "Page 1 of 2"),
                                                  ("ar", f"{QUEUE_PAGE + 7} عملًا ينتظر.", "الصفحة 1 من 2")])
def test_the_first_page_holds_the_oldest_and_says_how_many_wait(big, language, count, pages):
    screen = ui.Screen(actor=big.academic, language=language, activity="evaluation", key="midterm",
                       endpoint="/act", view="queue")
    html = screens.render(screen)
    days = shown_days(html)
    assert len(days) == QUEUE_PAGE and days == sorted(days) and days[0] == "2026-01-05"
    assert count in html and pages in html and 'name="page" value="2"' in html


def test_the_next_page_goes_on_where_the_first_stopped(big):
    screen = ui.Screen(actor=big.coordinator, language="en", activity="evaluation", key="midterm", endpoint="/act")
    status, html = screens.handle(screen, form(action="view", view="queue", page="2"))
    days = shown_days(html)
    assert status == 200 and len(days) == 7 and days[0] == (date(2026, 1, 5) + timedelta(days=QUEUE_PAGE)).isoformat()
    assert "Page 2 of 2" in html and 'name="page" value="1"' in html


@pytest.mark.parametrize("page", ["0", "99", "-1", "x", "2" * 40])
def test_a_page_out_of_range_shows_a_page_that_exists(big, page):
    screen = ui.Screen(actor=big.academic, language="en", activity="evaluation", key="midterm", endpoint="/act")
    status, html = screens.handle(screen, form(action="view", view="queue", page=page))
    assert status == 200 and len(shown_days(html)) in (QUEUE_PAGE, 7)


def test_a_short_queue_has_no_pages(cohort):
    waiting_reflections(fieldlog.placement_for(cohort.student), 3)
    html = screens.render(ui.Screen(actor=cohort.academic, language="en", activity="evaluation", key="midterm",
                                    endpoint="/act", view="queue"))
    assert len(shown_days(html)) == 3 and "3 pieces of work wait." in html and 'name="page"' not in html
