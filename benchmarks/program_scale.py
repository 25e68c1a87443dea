"""How fast the screens are at a whole program's scale, whether their queries grow with it, and whether
the database reads the big tables through indexes.

Run: DATABASE_URL=postgres://… .venv/bin/python benchmarks/program_scale.py [--small 500] [--large 5000]
Writes (once: a database that has them keeps them, so a second run only measures) a program of 500 and one of
5,000 students (maydan.demo_program: 30 courses over two terms, ~150 entries, 2 evaluations, 4 simulation
attempts, supervision and attendance each), and a single course of 5,000 students (a faculty that runs its
field training as one course: the dashboard and evidence report across the whole program). Then draws each
screen through the code the LTI tool and the XBlocks use, and prints a table: median time, SQL queries at
both program sizes, target, pass or fail; then every sequential scan EXPLAIN shows on the big tables.
"""
import argparse
import itertools
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("MAYDAN_VAR", tempfile.mkdtemp(prefix="maydan-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lti_tool.settings")

import django  # noqa: E402

django.setup()
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from maydan import demo_program, ui, vocab  # noqa: E402
from maydan.cohort import screens as cohort_screens  # noqa: E402
from maydan.fieldlog import overview_list  # noqa: E402
from maydan.fieldlog import screens as fieldlog_screens  # noqa: E402
from maydan.fieldlog import services as fieldlog_services  # noqa: E402
from maydan.grading import screens as grading_screens  # noqa: E402
from maydan.models import (Attendance, AuditEvent, Evaluation, LogEntry, Membership, Placement,  # noqa: E402
                           ProgramAgency, Scoresheet, SimulationAttempt)
from maydan.program import screens as program_screens  # noqa: E402
from maydan.sessions import calendars  # noqa: E402

BIG_TABLES = {m._meta.db_table for m in (LogEntry, AuditEvent, Evaluation, Scoresheet, SimulationAttempt, Attendance,
                                         Membership, Placement)}


def screen(actor, **kwargs):
    return ui.Screen(actor=actor, language="ar", endpoint="/act", **kwargs)


def first_look(draw):
    """A draw with nothing kept drawn (the log's cards in the cache, the overview in the process): what a first look
    costs."""
    def drawn():
        cache.clear()
        overview_list._drawn.cache_clear()
        return draw()
    return drawn


def next_launch(actor):
    """A returning person's next launch: a new launch context (its token changes with every launch), what the screen
    shows as they left it."""
    launches = itertools.count()
    return lambda: fieldlog_screens.render(screen(actor, hidden={"ctx": f"launch-{next(launches)}", "lang": "ar"}))


def answer_to_a_save(made):
    """A student saves one of their drafts again (five minutes more) and gets their log back, its other entries
    kept drawn from the screen before; in a transaction rolled back, so every run saves the same draft."""
    placement = fieldlog_services.placement_for(made.student)
    draft = placement.entries.filter(status=vocab.DRAFT).order_by("pk").first()
    fields = {**fieldlog_screens._form_from(draft, placement), "action": "save", "entry": str(draft.pk),
              "start_time": "", "end_time": "", "duration": str(draft.minutes + 5)}
    posted = QueryDict(mutable=True)
    for key, value in fields.items():
        posted.setlist(key, value if isinstance(value, list) else [value])

    def post():
        with transaction.atomic():
            status, html = fieldlog_screens.handle(screen(made.student), posted)
            assert status == 200, html
            transaction.set_rollback(True)
    return post


def person_screens(made):
    """The screens one person opens, whose queries must not grow with the program: (name, draw, target ms)."""
    feed = calendars.feed_token(made.academic).key
    return [
        ("a student's log (150 entries)", first_look(lambda: fieldlog_screens.render(screen(made.student))), 100),
        ("the log's answer to a save (others kept drawn)", answer_to_a_save(made), 100),
        ("the student's next launch (their cards kept)", next_launch(made.student), 100),
        ("an agency supervisor's 60 students", first_look(lambda: fieldlog_screens.render(screen(made.mentor))), 100),
        ("the agency supervisor's next launch (list kept)", next_launch(made.mentor), 100),
        ("the grading queue", lambda: grading_screens.render(
            screen(made.academic, activity="evaluation", key="midterm", view="queue")), 100),
        ("the busy supervisor's calendar feed", lambda: calendars.feed_for(calendars.actor_for_feed(feed)), 50),
    ]


def course_screens(made, label, target):
    coordinator = made.coordinator
    return [
        (f"dashboard, {label}", lambda: cohort_screens.render(screen(coordinator, activity="cohort")), target),
        (f"evidence report, {label}", lambda: cohort_screens.render(
            screen(coordinator, activity="cohort", view="evidence")), target),
    ]


def program_screens_of(made):
    coordinator = made.coordinator
    agency = ProgramAgency.objects.filter(program=made.program).order_by("pk").first()
    return [
        ("program history of an agency", lambda: program_screens.render(screen(
            coordinator, activity="program", view="history", filters={"agency": str(agency.pk)})), 1000),
        ("program history of a student", lambda: program_screens.render(screen(
            coordinator, activity="program", view="history", filters={"pick": str(made.student.person.pk)})), 1000),
        ("placement matching, current term", lambda: program_screens.render(screen(
            coordinator, activity="program", view="matching")), 1000),
    ]


def timed(draw, runs):
    """(SQL queries, their SQL, median wall ms, median CPU ms of this process) after one warm-up."""
    draw()
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        draw()
    walls, cpus = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        draw()
        walls.append((time.perf_counter() - w) * 1000)
        cpus.append((time.process_time() - c) * 1000)
    return len(queries), [q["sql"] for q in queries.captured_queries], statistics.median(walls), statistics.median(cpus)


def sequential_scans(statements):
    """{(table, query start)} for each statement whose plan reads a big table from end to end."""
    found = set()
    if connection.vendor != "postgresql":
        return found
    with connection.cursor() as cursor:
        for sql in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN " + sql)
            for (line,) in cursor.fetchall():
                match = re.search(r"Seq Scan on (\w+)", line)
                if match and match.group(1) in BIG_TABLES:
                    found.add((match.group(1), sql[:160]))
    return found


def program(n, issuer, courses=demo_program.COURSES):
    made = demo_program.find(issuer)
    if made is None:
        print(f"writing a program of {n} students in {courses} course(s) ({issuer})…", flush=True)
        made = demo_program.build(n, issuer=issuer, courses=courses, say=lambda line: print("  " + line, flush=True))
        print(f"  written in {made.seconds:.0f} s", flush=True)
    return made


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--large", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    small = program(args.small, f"bench-program-{args.small}")
    large = program(args.large, f"bench-program-{args.large}")
    whole = program(args.large, f"bench-one-course-{args.large}", courses=1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as autovacuum leaves a table some time after it was written
            cursor.execute("VACUUM ANALYZE")
    big = large.large.placements.count()
    print(f"\ndatabase: {connection.vendor}; {LogEntry.objects.count():,} entries, "
          f"{AuditEvent.objects.count():,} audit rows, {Placement.objects.count():,} placements in all")
    rows, scans = [], {}

    def run(name, draw, target, compare=None, runs=args.runs):
        queries, statements, wall, cpu = timed(draw, runs)
        before = timed(compare, 2)[0] if compare else None
        for scan in sequential_scans(statements):
            scans.setdefault(name, set()).add(scan)
        ok = wall < target and (before is None or before == queries)
        rows.append((name, wall, cpu, queries, before, target, ok))

    for (name, draw, target), (_n, draw_small, _t) in zip(person_screens(large), person_screens(small)):
        run(name, draw, target, compare=draw_small)
    for (name, draw, target), (_n, draw_small, _t) in zip(course_screens(large, f"course of {big}", 300),
                                                          course_screens(small, "", 300)):
        run(name, draw, target, compare=draw_small)
    for name, draw, target in course_screens(whole, f"one course of {args.large} (paged)", 1000):
        run(name, draw, target, runs=3)  # seconds each: three runs tell enough
    for (name, draw, target), (_n, draw_small, _t) in zip(program_screens_of(large), program_screens_of(small)):
        run(f"{name} ({args.large})", draw, target, compare=draw_small)

    print(f"\n{'screen':52s} {'median ms':>9s} {'CPU ms':>7s} {'SQL':>4s} {f'SQL@{args.small}':>8s} "
          f"{'target':>7s}  result")
    for name, wall, cpu, queries, before, target, ok in rows:
        print(f"{name:52s} {wall:9.1f} {cpu:7.1f} {queries:4d} {'' if before is None else before:>8} "
              f"{'< %d' % target:>7s}  {'pass' if ok else 'FAIL'}")
    print("\nsequential scans on the big tables:" + ("" if scans else " none"))
    for name, found in scans.items():
        for table, sql in sorted(found):
            print(f"  {name}: {table} in {sql}…")
    try:
        load = os.getloadavg()
        print(f"\nmachine load (1, 5, 15 min): {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")
    except OSError:
        pass
    return 0 if all(r[-1] for r in rows) and not scans else 1


if __name__ == "__main__":
    sys.exit(main())
