"""How fast the academic supervisor's list renders, and whether its query count grows.

Run: .venv/bin/python benchmarks/supervisor_list.py
Seeds N students × 150 entries into a fresh SQLite database (or DATABASE_URL), then
renders the supervisor overview through the same code the XBlock and the LTI tool use.
"""
import os
import sys
import tempfile
from datetime import date, time as clock, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("MAYDAN_VAR", tempfile.mkdtemp(prefix="maydan-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lti_tool.settings")

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

import screen_timing  # noqa: E402

from maydan import people, roles, ui, vocab  # noqa: E402
from maydan.fieldlog import screens as fieldlog_screens
from maydan.models import LogEntry, Placement  # noqa: E402

ENTRIES = 150
STATUSES = [vocab.APPROVED, vocab.COUNTERSIGNED, vocab.SUBMITTED, vocab.DRAFT, vocab.RETURNED]


def seed(n_students, context):
    academic = people.enter("bench", context, "academic", {roles.ACADEMIC}, course_title=context)
    start = date(2025, 1, 1)
    for s in range(n_students):
        student = people.enter("bench", context, f"s{s}", {roles.STUDENT}, name=f"Student {s:04d}")
        placement = Placement.objects.get(course=academic.course, student=student.person)
        LogEntry.objects.bulk_create(
            LogEntry(
                placement=placement, date=start + timedelta(days=i), start_time=clock(9), end_time=clock(11),
                minutes=120, activity_type="home_visit", modality="in_person", time_kind="direct",
                status=STATUSES[i % len(STATUSES)], description="Visit to family C-%d" % i,
            )
            for i in range(ENTRIES)
        )
    return academic


def measure(academic):
    screen = ui.Screen(actor=academic, language="ar", endpoint="/act")
    queries, median, worst, html = screen_timing.measure(fieldlog_screens.render, screen)
    return queries, median, worst, html.count("data-placement=")


def main():
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; {ENTRIES} entries per student")
    results = {}
    for n in (20, 200):
        academic = seed(n, f"bench-{n}")
        queries, median, worst, rows = measure(academic)
        results[n] = queries
        print(f"N={n:4d} students: {rows} rows, {queries} SQL queries, render median {median:.1f} ms, worst {worst:.1f} ms")
    same = results[20] == results[200]
    print(f"query count independent of N: {'yes' if same else 'NO'}; target < 150 ms at N=200")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
