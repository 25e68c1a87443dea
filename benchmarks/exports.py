"""Whether every export of a whole program streams: peak memory, time to the first byte, total time.

Run: DATABASE_URL=postgres://USER@HOST:PORT/DB .venv/bin/python benchmarks/exports.py [N]
(SQLite when DATABASE_URL is unset.) Writes, once, a program of N students (default 5,000) in 30 courses
over two terms (maydan.demo_program: ~150 entries, 2 evaluations, 4 simulation attempts each) and keeps it in
the database for the next run. Then each export runs in a fresh process, which reads the file to the end as a
download would, and reports:
- peak memory: the process's peak RSS (VmHWM), and how much of it the export added to a process that had
  loaded Django and the libraries (its RSS just before);
- first byte: from the request (permissions, audit, the first rows) to the first chunk;
- total: to the last chunk; CPU: the process's CPU time for the export.
The exports: the program's research export (every placement), each of the large course's four cohort tables
(its log entries also written whole, with openpyxl and pyreadstat as before exports streamed, to compare), and
the log entries of every course of the program one after the other in one process (the whole program's
entries, which no file holds at once). Targets: memory < 200 MB whatever the size; first byte < 1 s.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MAYDAN_VAR", tempfile.mkdtemp(prefix="maydan-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lti_tool.settings")

ISSUER = "bench-exports"
MEMORY_MB, FIRST_BYTE_S = 200, 1.0
FORMATS = ("csv", "xlsx", "sav")


def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_mb():
    # The kernel's high-water mark of this process's RSS (VmHWM). Not ru_maxrss: Linux keeps that across exec,
    # so a child would report the peak of the parent it was forked from.
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1e3  # kB


def one(case, fmt):
    """In a fresh process: run one export to its end; print its figures as one JSON line."""
    import django

    django.setup()
    import polars  # noqa: F401 - the libraries are loaded before the baseline, as in a warm server process
    import pyreadstat  # noqa: F401
    import stream_zip  # noqa: F401
    from openpyxl import Workbook  # noqa: F401

    from maydan import roles
    from maydan.cohort import exports
    from maydan.demo_program import course_context
    from maydan.models import Course, Membership
    from maydan.people import Actor
    from maydan.program import history

    courses = list(Course.objects.filter(issuer=ISSUER).order_by("pk"))
    large = next(c for c in courses if c.context_id == course_context(0))
    coordinator = Membership.objects.filter(course=large, role=roles.COORDINATOR).select_related("person").first().person

    def actor(course):
        return Actor(course=course, person=coordinator, roles=frozenset({roles.COORDINATOR}))

    if case == "whole-logs":  # for comparison: the same file written whole, as before exports streamed
        from tests.unit.test_exports_streaming import whole_csv, whole_sav, whole_xlsx

        write = {"csv": whole_csv, "xlsx": lambda built: whole_xlsx(built, "ar"), "sav": whole_sav}[fmt]
        files = [lambda: (None, None, [write(exports.table(actor(large), "logs"))])]
    elif case == "history":
        files = [lambda: history.export(actor(large), fmt, "ar")]
    elif case == "program-logs":
        files = [lambda course=course: exports.export(actor(course), "logs", fmt, language="ar") for course in courses]
    else:
        files = [lambda: exports.export(actor(large), case, fmt, language="ar")]
    # Warm (the first queries, translations, the formats' first use) on the smallest course, as a server would be.
    smallest = min(courses, key=lambda c: c.placements.count())
    exports.whole(exports.export(actor(smallest), "evaluations", fmt, language="ar")[2])
    baseline, cpu0, started = rss_mb(), time.process_time(), time.perf_counter()
    first, size, chunks = None, 0, 0
    for make in files:
        for chunk in make()[2]:
            if first is None:
                first = time.perf_counter() - started
            size += len(chunk)
            chunks += 1
    print(json.dumps({"case": case, "format": fmt, "files": len(files), "first_s": first,
                      "total_s": time.perf_counter() - started, "cpu_s": time.process_time() - cpu0, "mb": size / 1e6,
                      "chunks": chunks, "baseline_mb": baseline, "peak_mb": peak_mb()}))


def build(n):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from maydan.demo_program import build as build_program
    from maydan.models import Course, LogEntry, Placement

    call_command("migrate", verbosity=0)
    if not Course.objects.filter(issuer=ISSUER).exists():
        started = time.perf_counter()
        build_program(n, issuer=ISSUER, say=lambda text: None)
        print(f"program of {n} students written in {time.perf_counter() - started:.0f} s")
    courses = Course.objects.filter(issuer=ISSUER)
    placements = Placement.objects.filter(course__in=courses)
    print(f"database: {connection.vendor}; program: {courses.count()} courses, {placements.count()} placements, "
          f"{LogEntry.objects.filter(placement__in=placements).count()} log entries")


def main():
    if sys.argv[1:2] == ["--one"]:
        return one(sys.argv[2], sys.argv[3])
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    build(n)
    load = os.getloadavg()
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores; "
          f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
    print(f"{'export':32s} {'format':6s} {'size MB':>8s} {'first byte s':>12s} {'total s':>8s} {'CPU s':>6s} "
          f"{'peak RSS MB':>11s} {'added MB':>8s}")
    ok = True
    for case in ("history", "logs", "whole-logs", "hours", "evaluations", "simulations", "program-logs"):
        for fmt in FORMATS:
            done = subprocess.run([sys.executable, __file__, "--one", case, fmt], capture_output=True, text=True,
                                  env=os.environ, cwd=ROOT)
            if done.returncode:
                print(done.stderr[-2000:])
                return 1
            r = json.loads(done.stdout.strip().splitlines()[-1])
            name = {"history": "program research export (history)", "whole-logs": "  the same, written whole",
                    "program-logs": f"program's log entries ({r['files']} files)"}.get(case, f"large course: {case}")
            good = r["peak_mb"] < MEMORY_MB and r["first_s"] < FIRST_BYTE_S or case == "whole-logs"
            ok &= good
            print(f"{name:32s} {fmt:6s} {r['mb']:8.1f} {r['first_s']:12.3f} {r['total_s']:8.1f} {r['cpu_s']:6.1f} "
                  f"{r['peak_mb']:11.0f} {r['peak_mb'] - r['baseline_mb']:8.0f}{'' if good else '  <- over target'}")
    print(f"targets: peak RSS < {MEMORY_MB} MB, first byte < {FIRST_BYTE_S} s: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
