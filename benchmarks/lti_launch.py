"""Login + launch latency of the LTI tool at 1, 10 and 50 concurrent clients, beside the pylti1p3
reference tool (benchmarks/reference_tool) in the same run.

Run: .venv/bin/python benchmarks/lti_launch.py [--launches 200] [--levels 1,10,50] [--rates 25,50,75]
(DATABASE_URL=postgres://… for PostgreSQL; REDIS_URL=redis://… for the production cache;
SANDBOX_DATABASE_URL for another platform database.)
Maydan, the reference tool and the sandbox platform each run under their own gunicorn (2 workers
each); the platform has a database of its own (a SQLite file, or a database beside the tool's on
the DATABASE_URL server). The database cache holds states and nonces as Redis would (Redis itself
with REDIS_URL, for all three). Each client does the real flow: sandbox start -> tool login (302)
-> sandbox authorize (signs the id_token) -> tool launch. "Tool" is the time of the tool's two requests (login +
launch); "flow" adds the platform's. Both tools are driven by the same client code, level by level.
Levels are clients that launch again at once (a closed loop); --rates adds launches arriving at a
fixed rate whatever the answers (an open loop, as people from an LMS arrive).

First, what each launch costs in CPU: the user + system time of each tool's gunicorn workers
(/proc/<pid>/stat) across --cpu-launches launches by one client, in blocks taken in turn from Maydan
and the reference so that both meet the same machine, for returning people, then for a person's
first-ever launch (their record is renamed away before each, by this process, outside the workers,
and given its subject back after it, so the returning launches that follow find the person as they were).
The ratio Maydan / reference is the launch target (≤ 1.0 for a returning person); the latencies
depend on whatever else the machine runs. Open-loop target: tool p99 < 100 ms at 75 launches a
second arriving (--rates), on PostgreSQL with Redis.
"""
import argparse
import html
import http.client
import os
import re
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode, urlsplit

import lti_profile
import lti_server

lti_server.prepare_environment()
import django  # noqa: E402

django.setup()
from django.db import connection  # noqa: E402

PEOPLE = ["student_1", "student_2", "instructor", "mentor", "admin"]
SANDBOX = os.environ["MAYDAN_SANDBOX_URL"]
FIRST_COURSE = "field-training-2"  # first-ever launches happen here, returning ones in field-training-1


def one_launch(i, tool=None, course="field-training-1"):
    """One login + launch as a browser makes it: (the tool's two requests' seconds, the whole flow's)."""
    browser = Browser()
    timed = time.perf_counter
    params = {"person": PEOPLE[i % len(PEOPLE)], "course": course, "lang": "en"}
    if tool:
        params["tool"] = tool
    t0 = timed()
    start = browser.request("GET", f"{SANDBOX}/sandbox/launch?{urlencode(params)}")
    t1 = timed()
    login = browser.request("GET", start.location)
    if login.status != 302:
        raise RuntimeError(f"login {i} ({tool or 'maydan'}) answered {login.status}: {re.sub(r"\s+", " ", login.text)[:600]}")
    t2 = timed()
    page = browser.request("GET", login.location).text
    t3 = timed()
    form = dict(re.findall(r'name="(id_token|state)" value="([^"]+)"', page))
    target = html.unescape(re.search(r'action="([^"]+)"', page).group(1))
    launched = browser.request("POST", target, urlencode(form))
    t4 = timed()
    if launched.status != 200:
        raise RuntimeError(f"launch {i} ({tool or 'maydan'}) answered {launched.status}")
    return (t2 - t1) + (t4 - t3), t4 - t0


class Answer(NamedTuple):
    status: int
    location: str
    text: str


class Browser:
    """A browser's requests, cookies kept as a browser keeps them for one host (127.0.0.1: the ports share them), on
    the standard library's HTTP client: requests costs several times its CPU, and the client shares the machine with
    what it measures."""

    def __init__(self):
        self.cookies = {}

    def request(self, method, url, body=None):
        address = urlsplit(url)
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())} if self.cookies else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, address.path + (f"?{address.query}" if address.query else ""), body, headers)
            answer = connection.getresponse()
            text = answer.read().decode()
            for cookie in answer.headers.get_all("Set-Cookie") or ():
                name, _sep, value = cookie.split(";", 1)[0].partition("=")
                self.cookies[name.strip()] = value
            return Answer(answer.status, answer.headers.get("Location", ""), text)
        finally:
            connection.close()


def forget_person(i, n):
    """Make person i unknown to Maydan, so that their next launch is their first ever. Their record
    stays, under another subject, with everything it holds (memberships and placement in the course of
    returning launches too); put_back_person(i, n) gives it back its subject after that launch."""
    from lti_tool.sandbox.platform import issuer
    from maydan.models import Person

    subject = PEOPLE[i % len(PEOPLE)]
    Person.objects.filter(issuer=issuer(), subject=subject).update(subject=f"{subject}~{n}")


def put_back_person(i, n):
    """After a first-ever launch: the record it made moves, with its roles and placement, to a course
    nobody launches, and the person's own record takes its subject back. So the course of first
    launches keeps the same people (its supervisors' first screen the same size) however many first
    launches the benchmark makes, and the next returning launch finds the person as they were."""
    from lti_tool.sandbox.platform import issuer
    from maydan.models import Course, Membership, Person, Placement

    subject = PEOPLE[i % len(PEOPLE)]
    made = Person.objects.filter(issuer=issuer(), subject=subject).first()
    if made is not None:
        gone, _created = Course.objects.get_or_create(issuer=issuer(), context_id="benchmark-first-launches-done")
        Membership.objects.filter(person=made, course__context_id=FIRST_COURSE).update(course=gone)
        Placement.objects.filter(student=made, course__context_id=FIRST_COURSE).update(course=gone)
        Person.objects.filter(pk=made.pk).update(subject=f"{subject}~{n}-first")
    Person.objects.filter(issuer=issuer(), subject=f"{subject}~{n}").update(subject=subject)


def cpu_per_launch(maydan, reference, launches, block=10):
    """CPU ms per login + launch of each tool's workers: {"returning": (maydan, reference), "first": ...}.

    Two phases, each in blocks taken in turn from Maydan and the reference: returning people, then
    first-ever launches (against the reference's launches of the same moments). The phases do not mix:
    a first-ever launch changes the person's record, which the next launch of that person would then
    read afresh rather than as a returning person's."""
    per = {}
    for kind in ("returning", "first"):
        spent = {"maydan": 0.0, "reference": 0.0}
        done = 0
        while done < launches:
            for name in spent:
                server, tool = (maydan, None) if name == "maydan" else (reference, lti_server.REFERENCE_CLIENT)
                first = kind == "first" and name == "maydan"
                for i in range(done, done + block):
                    if first:
                        forget_person(i, i)
                    before = server.worker_cpu()
                    one_launch(i, tool, FIRST_COURSE if first else "field-training-1")
                    spent[name] += server.worker_cpu() - before
                    if first:
                        put_back_person(i, i)
            done += block
        per[kind] = (spent["maydan"] / done * 1000, spent["reference"] / done * 1000)
    return per


def machine_ticks():
    """(busy, all) clock ticks of every core so far (/proc/stat): how full the machine was during a run, whoever
    used it (the tools, the platform, this client, PostgreSQL, Redis)."""
    ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(ticks) - ticks[3] - ticks[4], sum(ticks)  # idle and waiting for I/O


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def level(concurrency, launches, tool=None):
    """`concurrency` clients, each launching again as soon as its launch is answered (a closed loop)."""
    with ThreadPoolExecutor(concurrency) as pool:
        start = time.perf_counter()
        results = list(pool.map(lambda i: one_launch(i, tool), range(launches)))
        elapsed = time.perf_counter() - start
    return _summary(results, launches / elapsed)


def arrivals(rate, launches, tool=None):
    """Launches that start at `rate` a second whether or not earlier ones were answered (an open
    loop, as people arriving from an LMS do): a tool that keeps up shows its own latency."""
    start = time.perf_counter()

    def at_its_time(i):
        time.sleep(max(0.0, start + i / rate - time.perf_counter()))
        return one_launch(i, tool)

    with ThreadPoolExecutor(200) as pool:
        results = list(pool.map(at_its_time, range(launches)))
    return _summary(results, launches / (time.perf_counter() - start))


def _summary(results, rate):
    tool_ms = [r[0] * 1000 for r in results]
    flow = [r[1] * 1000 for r in results]
    return {"rate": rate, "p50": statistics.median(tool_ms), "p99": percentile(tool_ms, 99),
            "flow50": statistics.median(flow), "flow99": percentile(flow, 99)}


def show(name, concurrency, launches, r):
    print(f"  {name:<9} {concurrency:>3} clients {launches:>4} launches {r['rate']:6.1f}/s   "
          f"tool p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms   flow p50 {r['flow50']:6.1f}  p99 {r['flow99']:6.1f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--launches", type=int, default=200, help="launches per concurrency level and tool")
    parser.add_argument("--levels", default="1,10,50")
    parser.add_argument("--rates", default="25,50,75", help="open-loop arrival rates, launches a second")
    parser.add_argument("--cpu-launches", type=int, default=200, help="launches per tool for the CPU figures")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each tool (the platform keeps 2)")
    args = parser.parse_args()
    lti_server.setup_database()
    lti_server.setup_sandbox_database()
    lti_server.setup_reference(own_database=True)
    levels = [int(n) for n in args.levels.split(",") if n]
    results = {}
    with lti_server.sandbox_server(own_database=True) as sandbox, lti_server.Server(args.workers) as maydan, \
            lti_server.reference_server(args.workers) as reference:
        for i in range(len(PEOPLE)):  # everyone exists, every worker is warm, before the clients race
            one_launch(i)
            one_launch(i, course=FIRST_COURSE)
            one_launch(i, lti_server.REFERENCE_CLIENT)
        cache = "Redis" if os.environ.get("REDIS_URL") else "database"
        print(f"LTI login + launch ({connection.vendor}, {cache} cache; Maydan and reference: gunicorn {args.workers} workers each, "
              "the sandbox platform 2)")
        login_q, launch_q = lti_profile.queries_per_launch()
        print(f"  Maydan SQL queries per launch: login {login_q:.0f} + launch {launch_q:.0f}"
              + ("" if os.environ.get("REDIS_URL") else " (cache round trips included: the database cache plays Redis)"))
        if args.cpu_launches:
            cpu = cpu_per_launch(maydan, reference, args.cpu_launches)
            print(f"  CPU per login + launch (the tool's workers, user + system, {args.cpu_launches} each):")
            for kind, label in (("returning", "returning person"), ("first", "first-ever launch")):
                mine, theirs = cpu[kind]
                print(f"    {label:<18} Maydan {mine:5.2f} ms  reference {theirs:5.2f} ms  ratio {mine / theirs:.2f}×"
                      + ("  (target ≤ 1.00)" if kind == "returning" else ""))
        for n in levels:
            launches = max(args.launches, n)
            results[n] = (level(n, launches), level(n, launches, lti_server.REFERENCE_CLIENT))
            show("Maydan", n, launches, results[n][0])
            show("reference", n, launches, results[n][1])
            print(f"  {'ratio':<9} Maydan / reference: p50 {results[n][0]['p50'] / results[n][1]['p50']:.2f}×  "
                  f"p99 {results[n][0]['p99'] / results[n][1]['p99']:.2f}×")
        for rate in [int(n) for n in args.rates.split(",") if n]:
            launches = max(args.launches, rate * 5)
            for name, tool, server in (("Maydan", None, maydan), ("reference", lti_server.REFERENCE_CLIENT, reference)):
                before, platform_before, client_before = server.worker_cpu(), sandbox.worker_cpu(), time.process_time()
                machine_before = machine_ticks()
                r = arrivals(rate, launches, tool)
                cpu = (server.worker_cpu() - before) / launches * 1000
                print(f"  {name:<9} {rate:>3} launches a second arriving ({launches}): tool p50 {r['p50']:6.1f} ms  "
                      f"p99 {r['p99']:6.1f} ms   flow p50 {r['flow50']:6.1f}  p99 {r['flow99']:6.1f}   "
                      f"CPU {cpu:.2f} ms a launch")
                busy = [after - start for after, start in zip(machine_ticks(), machine_before)]
                print(f"  {'':<9} {'':>3} beside it, CPU a launch: the platform "
                      f"{(sandbox.worker_cpu() - platform_before) / launches * 1000:.2f} ms, this client "
                      f"{(time.process_time() - client_before) / launches * 1000:.2f} ms; the machine's "
                      f"{os.cpu_count()} cores busy {100 * busy[0] / max(busy[1], 1):.0f} %")
                if name == "Maydan" and rate == 75:
                    print(f"  target: tool p99 < 100 ms at 75 a second: {'met' if r['p99'] < 100 else 'NOT met'}")
    if 1 in results:  # where a queue can form: whichever side costs more per launch becomes the bottleneck
        for name, r in (("Maydan", results[1][0]), ("reference", results[1][1])):
            print(f"  one client, per launch: {name} {r['p50']:.1f} ms, the sandbox platform {r['flow50'] - r['p50']:.1f} ms")


if __name__ == "__main__":
    main()
