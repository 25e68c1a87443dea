"""A large cohort's dashboard comes 50 students to a page, in name order; its counts and charts cover everyone."""
import re

import pytest

from maydan import roles, vocab
from maydan.cohort import screens
from maydan.cohort.screens import HOME_PAGE
from maydan.models import LogEntry, Membership, Person, Placement
from maydan.ui import Screen
from tests.conftest import form

EXTRA = 7


def many_students(course, n, *, hours=0):
    """n more students placed in the course ("Student 000".."), each with `hours` approved in one entry."""
    people = Person.objects.bulk_create(Person(issuer=course.issuer, subject=f"many-{i:03d}", name=f"Student {i:03d}")
                                        for i in range(n))
    Membership.objects.bulk_create(Membership(course=course, person=p, role=roles.STUDENT) for p in people)
    placements = Placement.objects.bulk_create(Placement(course=course, student=p) for p in people)
    if hours:
        LogEntry.objects.bulk_create(LogEntry(placement=p, date="2026-01-05", minutes=60 * hours, status=vocab.APPROVED,
                                              activity_type="home_visit", modality="in_person", time_kind="direct")
                                     for p in placements)
    return placements


def names(html):
    return re.findall(r'<th scope="row">(Student \d{3})</th>', html)


@pytest.fixture
def large(cohort):
    many_students(cohort.course, HOME_PAGE + EXTRA, hours=2)
    return cohort


@pytest.mark.parametrize("language,students,pages", [("en", f"{HOME_PAGE + EXTRA + 2} students", "Page 1 of 2"),
                                                     ("ar", f"{HOME_PAGE + EXTRA + 2} طالبًا", "الصفحة 1 من 2")])
def test_the_first_page_lists_fifty_and_the_counts_cover_everyone(large, language, students, pages):
    html = screens.render(Screen(actor=large.coordinator, language=language, activity="cohort", endpoint="/act"))
    shown = re.findall(r'<tr data-placement="\d+"', html)
    assert len(shown) == HOME_PAGE and pages in html and 'name="page" value="2"' in html
    assert students in html
    # The chart of approved hours per category covers all 57 students' 2 h each (114 h of home visits).
    assert "114" in html


def test_the_second_page_lists_the_rest_in_name_order_and_keeps_the_filter(large):
    screen = Screen(actor=large.academic, language="en", activity="cohort", endpoint="/act")
    status, html = screens.handle(screen, form(action="view", view="home", page="2", student="Student"))
    assert status == 200 and names(html) == [f"Student {i:03d}" for i in range(HOME_PAGE, HOME_PAGE + EXTRA)]
    assert 'name="student" value="Student"' in html  # the pager keeps the filter


def test_one_student_opens_from_any_page(large):
    last = Placement.objects.get(student__subject=f"many-{HOME_PAGE + EXTRA - 1:03d}")
    screen = Screen(actor=large.coordinator, language="en", activity="cohort", endpoint="/act")
    status, html = screens.handle(screen, form(action="view", view="student", placement=last.pk))
    assert status == 200 and f"Student {HOME_PAGE + EXTRA - 1:03d}" in html and not re.findall(r"<tr data-placement=", html)


@pytest.mark.parametrize("placement", ["", "x", "999999", "-3"])
def test_a_student_view_of_no_such_placement_is_the_dashboard(large, placement):
    screen = Screen(actor=large.coordinator, language="en", activity="cohort", endpoint="/act")
    status, html = screens.handle(screen, form(action="view", view="student", placement=placement))
    assert status == 200 and len(re.findall(r'<tr data-placement="\d+"', html)) == HOME_PAGE
