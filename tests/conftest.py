"""Fixtures shared by every test suite: a course with one person in each role."""
import os
from datetime import date, timedelta

import pytest
from django.http import QueryDict
from hypothesis import settings as hypothesis_settings

from maydan import people, roles

# In CI every property test draws the same examples each run: a red run is then a change of ours,
# never the luck of the draw. Locally examples vary, so more of the space is tried over time.
if os.environ.get("CI"):
    hypothesis_settings.register_profile("ci", derandomize=True, database=None)
    hypothesis_settings.load_profile("ci")


@pytest.fixture
def cohort(db):
    """A course on one platform with two students, an academic and an agency supervisor, a coordinator."""

    class Cohort:
        issuer = "https://lms.example.edu"
        context = "fieldwork-2025"

        def enter(self, subject, role, name=""):
            return people.enter(self.issuer, self.context, subject, {role}, course_title="Field Training I", name=name)

    c = Cohort()
    c.student = c.enter("s1", roles.STUDENT, "Sara Adel")
    c.other_student = c.enter("s2", roles.STUDENT, "Omar Nabil")
    c.academic = c.enter("a1", roles.ACADEMIC, "Dr. Hoda Samir")
    c.coordinator = c.enter("k1", roles.COORDINATOR, "Coordinator Amal")
    c.agency = c.enter("m1", roles.AGENCY, "Agency supervisor Rami")
    people.assign_agency_supervisor(c.student.course, c.agency.person, [c.student.person])
    c.course = c.student.course
    return c


def form(**values):
    """A posted form as Django hands it to views: a QueryDict (lists allowed)."""
    q = QueryDict(mutable=True)
    for key, value in values.items():
        if isinstance(value, (list, tuple)):
            q.setlist(key, [str(v) for v in value])
        else:
            q[key] = str(value)
    return q


def entry_form(**overrides):
    """A valid field-log entry from last week, changed by `overrides`."""
    day = date.today() - timedelta(days=7)
    values = {
        "date": day.isoformat(),
        "start_time": "09:00",
        "end_time": "11:30",
        "activity_type": "home_visit",
        "modality": "in_person",
        "time_kind": "direct",
        "agency": "Hope Family Centre, Giza",
        "client_code": "C-014",
        "description": "Home visit to family C-014 to review the care plan.",
        "reflection": "I noticed I rushed the opening; next time I will contract first.",
    }
    values.update(overrides)
    return form(**{k: v for k, v in values.items() if v is not None})
