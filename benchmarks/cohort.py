"""How fast the cohort dashboard, the evidence report and the SPSS export are, and whether queries grow.

Run: .venv/bin/python benchmarks/cohort.py [N]
Seeds N students (default 500) × 150 entries + 2 evaluations + 4 finished simulations each into a
fresh SQLite database (or DATABASE_URL, e.g. PostgreSQL), plus a 50-student course to compare
query counts, then builds and renders the screens through the code the XBlock and the LTI tool use.
"""
import os
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
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from maydan.cohort import dashboard, evidence, exports, screens  # noqa: E402
from maydan.ui import Screen  # noqa: E402
from tests.unit.cohort_seed import seed  # noqa: E402

TARGET_MS, SPSS_TARGET_S = 300, 5


def timed(make, runs=7):
    make()  # warm caches and templates
    connection.queries_log.clear()  # seeding filled Django's bounded query log
    with CaptureQueriesContext(connection) as queries:
        make()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        make()
        times.append((time.perf_counter() - t0) * 1000)
    return len(queries), statistics.median(times)


def measures(actor):
    screen = lambda view: Screen(actor=actor, language="ar", activity="cohort", endpoint="/act", view=view)  # noqa: E731
    return {
        "dashboard (data)": lambda: dashboard.rows(actor),
        "dashboard (page)": lambda: screens.render(screen("home")),
        "evidence (data)": lambda: evidence.report(actor),
        "evidence (page)": lambda: screens.render(screen("evidence")),
    }


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; 150 entries, 2 evaluations, 4 simulations per student")
    counts = {}
    for size in (50, n):
        t0 = time.perf_counter()
        actor = seed("bench", f"cohort-{size}", size)[0]
        print(f"N={size}: seeded in {time.perf_counter() - t0:.0f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum keeps them in use
                cursor.execute("ANALYZE")
        for name, make in measures(actor).items():
            queries, median = timed(make, runs=7 if size == n else 2)
            counts.setdefault(name, []).append(queries)
            print(f"  {name:18s} {queries:3d} SQL queries, median {median:7.1f} ms")
        if size == n:
            for table in exports.TABLES:
                t0 = time.perf_counter()
                data = exports.whole(exports.export(actor, table, "sav")[2])
                print(f"  SPSS {table:12s} {len(data) / 1e6:5.1f} MB in {time.perf_counter() - t0:.2f} s")
            t0 = time.perf_counter()
            for table in exports.TABLES:
                exports.whole(exports.export(actor, table, "sav")[2])
            total = time.perf_counter() - t0
            print(f"  SPSS export of the whole cohort (4 files): {total:.2f} s (target < {SPSS_TARGET_S} s)")
    same = all(a == b for a, b in counts.values())
    print(f"query count independent of N: {'yes' if same else 'NO'} {counts}; target < {TARGET_MS} ms at N={n}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
