"""How fast a person's calendar feed renders and a meeting's participant report imports.

Run: .venv/bin/python benchmarks/sessions.py
Targets: a feed with 500 events in under 50 ms; an attendance import of 300 rows in under 1 s.
Both go through the same services the XBlock, the LTI tool and the feed address use, on a
fresh SQLite database (or DATABASE_URL).
"""
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("MAYDAN_VAR", tempfile.mkdtemp(prefix="maydan-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lti_tool.settings")

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from maydan import people, roles  # noqa: E402
from maydan.sessions import attendance, calendars, feed, recurrence, services  # noqa: E402
from maydan.sessions.models import Session  # noqa: E402


def median_ms(run, times=15):
    run()  # warm caches
    samples = []
    for _ in range(times):
        t0 = time.perf_counter()
        run()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples), max(samples)


def bench_feed():
    academic = people.enter("bench", "feed", "academic", {roles.ACADEMIC}, course_title="Feed bench")
    student = people.enter("bench", "feed", "student", {roles.STUDENT}, name="Student")
    Session.objects.bulk_create(
        Session(course=academic.course, uid=f"bench-{i}@maydan", kind="group_supervision",
                title=f"إشراف جماعي — المجموعة {i}", agenda="Cases, reflections, next week's plan",
                start_date=date(2026, 3, 3) + timedelta(days=i % 120), start_time=datetime(2000, 1, 1, 18).time(),
                minutes=90, rule="FREQ=WEEKLY;COUNT=12" if i % 2 else "",
                meeting_link=f"https://zoom.us/j/8451234{i:04d}", passcode="492817")
        for i in range(500)
    )
    actor = calendars.actor_for_feed(calendars.feed_token(student).key)
    with CaptureQueriesContext(connection) as queries:
        body = calendars.feed_for(actor)
    events = body.count(b"BEGIN:VEVENT")
    median, worst = median_ms(lambda: calendars.feed_for(actor))
    print(f"feed, {events} events ({len(body) // 1024} KiB) through the service: median {median:.1f} ms, "
          f"worst {worst:.1f} ms, {len(queries)} SQL queries  (target < 50 ms)")
    start = recurrence.localize(datetime(2026, 4, 14, 18), "Africa/Cairo")
    items = [feed.FeedEvent(uid=f"u{i}", title="Group supervision", start=start, minutes=90, zone="Africa/Cairo",
                            rule="FREQ=WEEKLY;COUNT=12", url="https://zoom.us/j/1") for i in range(500)]
    median, worst = median_ms(lambda: feed.calendar(items))
    print(f"feed writer alone, 500 events: median {median:.1f} ms, worst {worst:.1f} ms")


def report(n):
    lines = ["\ufeffName (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest"]
    for i in range(n):
        lines.append(f"Student {i:04d},s{i}@bench.example,04/07/2026 06:0{i % 10}:00 PM,04/07/2026 07:2{i % 10}:00 PM,80,No")
    return "\n".join(lines) + "\n"


def bench_attendance(n=300):
    academic = people.enter("bench", "attendance", "academic", {roles.ACADEMIC}, course_title="Attendance bench")
    for i in range(n):
        people.enter("bench", "attendance", f"s{i}", {roles.STUDENT}, name=f"Student {i:04d}",
                     email=f"s{i}@bench.example")
    session = services.save_session(academic, {
        "title": "Group supervision", "kind": "group_supervision", "date": "2026-04-07", "time": "18:00",
        "minutes": "90", "repeat": "weekly", "weeks": "8", "meeting_link": "https://zoom.us/j/845"})
    data = report(n).encode()
    t0 = time.perf_counter()
    summary = attendance.import_attendance(academic, session.pk, data)
    first = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    again = attendance.import_attendance(academic, session.pk, data)
    second = (time.perf_counter() - t0) * 1000
    print(f"attendance import, {n} rows: {first:.0f} ms, {summary['credited']} credited  (target < 1000 ms); "
          f"same report again: {second:.0f} ms, {again['already']} already recorded, {again['credited']} credited")
    return first


def main():
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    bench_feed()
    bench_attendance()
    return 0


if __name__ == "__main__":
    sys.exit(main())
