"""Login + launch latency of the LTI tool at 1, 10 and 50 concurrent clients.

Run: .venv/bin/python benchmarks/lti_launch.py [--launches 200]
The tool and the sandbox platform run under gunicorn (2 workers) on SQLite (or DATABASE_URL),
with the database cache holding states and nonces as Redis would. Each client does the real
flow: sandbox start -> tool login (302) -> sandbox authorize (signs the id_token) -> tool launch.
"Tool" is the time of the tool's two requests (login + launch); "flow" adds the platform's.
Target: tool p99 < 100 ms at 50 concurrent clients.
"""
import argparse
import html
import re
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import lti_server

BASE = lti_server.prepare_environment()
import django  # noqa: E402

django.setup()
import requests  # noqa: E402
from django.db import connection  # noqa: E402

PEOPLE = ["student_1", "student_2", "instructor", "mentor", "admin"]


def one_launch(i):
    browser = requests.Session()
    timed = time.perf_counter
    t0 = timed()
    start = browser.get(f"{BASE}/sandbox/launch", params={"person": PEOPLE[i % len(PEOPLE)],
                                                          "course": "field-training-1", "lang": "en"},
                        allow_redirects=False)
    t1 = timed()
    login = browser.get(start.headers["Location"], allow_redirects=False)
    t2 = timed()
    page = browser.get(login.headers["Location"]).text
    t3 = timed()
    form = dict(re.findall(r'name="(id_token|state)" value="([^"]+)"', page))
    target = html.unescape(re.search(r'action="([^"]+)"', page).group(1))
    launched = browser.post(target, data=form)
    t4 = timed()
    if launched.status_code != 200:
        raise RuntimeError(f"launch {i} answered {launched.status_code}")
    return (t2 - t1) + (t4 - t3), t4 - t0


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def level(concurrency, launches):
    with ThreadPoolExecutor(concurrency) as pool:
        start = time.perf_counter()
        results = list(pool.map(one_launch, range(launches)))
        elapsed = time.perf_counter() - start
    tool = [r[0] * 1000 for r in results]
    flow = [r[1] * 1000 for r in results]
    print(f"  {concurrency:>3} clients  {launches:>4} launches  {launches / elapsed:6.1f}/s   "
          f"tool p50 {statistics.median(tool):6.1f} ms  p99 {percentile(tool, 99):6.1f} ms   "
          f"flow p50 {statistics.median(flow):6.1f} ms  p99 {percentile(flow, 99):6.1f} ms")
    return percentile(tool, 99)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--launches", type=int, default=200, help="launches per concurrency level")
    args = parser.parse_args()
    lti_server.setup_database()
    with lti_server.Server():
        for i in range(len(PEOPLE)):  # everyone exists before the clients race
            one_launch(i)
        print(f"LTI login + launch ({connection.vendor}, gunicorn 2 workers)")
        p99 = {n: level(n, max(args.launches, n)) for n in (1, 10, 50)}
    print(f"  target: tool p99 < 100 ms at 50 clients: {'met' if p99[50] < 100 else 'NOT met'} ({p99[50]:.0f} ms)")


if __name__ == "__main__":
    main()
