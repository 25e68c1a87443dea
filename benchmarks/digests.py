"""The daily digest run for a whole program: time, queries and memory, and whether queries grow with people.

Run: .venv/bin/python benchmarks/digests.py [STUDENTS]
Seeds a program of STUDENTS students (default 2,000) in 10 courses, with one agency supervisor for every five
students (400), two academic supervisors and a coordinator per course, each student with entries waiting for
the agency and for countersignature, and an evaluation due in three days; then runs the digests and reminders
(on the first day of a week, when the weekly ones run too) and sends them through Django's in-memory backend.
The same is done for a program of half the size to compare query counts. Target: under 30 s.
"""
import os
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("MAYDAN_VAR", tempfile.mkdtemp(prefix="maydan-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lti_tool.settings")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from maydan import roles, vocab  # noqa: E402
from maydan.grading import services as grading  # noqa: E402
from maydan.grading.models import GradingSettings  # noqa: E402
from maydan.models import (AgencyLink, Course, LogEntry, Membership, Notification, Person,  # noqa: E402
                           Placement)
from maydan.notify import digests, rules, services  # noqa: E402

TARGET_S = 30
COURSES, PER_AGENCY = 10, 5


def seed(students, tag, today):
    per_course = students // COURSES
    form_id = next(iter(grading.forms()))
    for c in range(COURSES):
        course = Course.objects.create(issuer=f"https://{tag}.example", context_id=f"c{c}", title=f"Field {tag} {c}")
        GradingSettings.objects.create(course=course, due_dates={form_id: (today + timedelta(days=3)).isoformat()})
        staff = Person.objects.bulk_create([Person(issuer=course.issuer, subject=f"{kind}{c}-{i}", name=f"{kind} {i}",
                                                   email=f"{kind}{c}-{i}@{tag}.example")
                                            for kind, count in (("a", 2), ("k", 1)) for i in range(count)])
        Membership.objects.bulk_create([Membership(course=course, person=p, role=roles.ACADEMIC if
                                                   p.subject.startswith("a") else roles.COORDINATOR) for p in staff])
        agencies = Person.objects.bulk_create([Person(issuer=course.issuer, subject=f"m{c}-{i}", name=f"Agency {i}",
                                                      email=f"m{c}-{i}@{tag}.example")
                                               for i in range(per_course // PER_AGENCY)])
        Membership.objects.bulk_create([Membership(course=course, person=p, role=roles.AGENCY) for p in agencies])
        pupils = Person.objects.bulk_create([Person(issuer=course.issuer, subject=f"s{c}-{i}", name=f"Student {i}",
                                                    email=f"s{c}-{i}@{tag}.example") for i in range(per_course)])
        placements = Placement.objects.bulk_create([
            Placement(course=course, student=p, agency_supervisor=agencies[i // PER_AGENCY],
                      academic_supervisor=staff[i % 2], starts_on=today - timedelta(days=60),
                      ends_on=today + timedelta(days=60)) for i, p in enumerate(pupils)])
        # Half the agency supervisors come through an e-mailed link rather than an account.
        AgencyLink.objects.bulk_create([AgencyLink(placement=p, issued_by=staff[0], email=f"link{c}-{i}@{tag}.example",
                                                   expires_at=timezone.now() + timedelta(days=30))
                                        for i, p in enumerate(placements) if i % 2])
        LogEntry.objects.bulk_create([
            LogEntry(placement=p, date=today - timedelta(days=3 + k), minutes=120, activity_type="home_visit",
                     modality="in_person", time_kind="direct", client_code="C-1",
                     status=vocab.SUBMITTED if k < 3 else vocab.APPROVED, submitted_at=timezone.now())
            for p in placements for k in range(5)])


def run(today, tag):
    Notification.objects.all().delete()
    connection.queries_log.clear()
    program = Course.objects.filter(issuer=f"https://{tag}.example")
    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        written = digests.run(today=today, courses=program)
    digest_s = time.perf_counter() - t0
    # Memory in a second run, as tracing slows Python down several times.
    Notification.objects.all().delete()
    tracemalloc.start()
    digests.run(today=today, courses=program)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    t0 = time.perf_counter()
    sent, failed = services.send_due(limit=100_000)
    send_s = time.perf_counter() - t0
    return written, len(queries), digest_s, peak, sent, failed, send_s


def main():
    students = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    call_command("migrate", verbosity=0)
    today = rules.week_start(date.today())  # the weekly digests run that day too
    print(f"database: {connection.vendor}; {COURSES} courses, one agency supervisor per {PER_AGENCY} students, "
          f"5 entries per student (3 waiting for the agency, 2 for countersignature), an evaluation due in 3 days")
    digests.run(today=today)  # warm up: modules, templates, translations
    figures = {}
    for size, tag in ((students // 2, "half"), (students, "full")):
        seed(size, tag, today)
        figures[size] = run(today, tag)
    for size, (written, queries, digest_s, peak, sent, failed, send_s) in figures.items():
        print(f"{size:>6} students ({size // PER_AGENCY} agency supervisors): digests written {written:>6} in "
              f"{digest_s:6.2f} s, {queries} queries, memory peak {peak / 2**20:6.1f} MiB; "
              f"sent {sent} e-mails in {send_s:6.2f} s ({failed} failed)")
    small, large = figures[students // 2][1], figures[students][1]
    verdict = "PASS" if figures[students][2] < TARGET_S else "FAIL"
    print(f"target < {TARGET_S} s: {verdict}; queries at {students // 2} vs {students} students: {small} vs {large}")


if __name__ == "__main__":
    main()
