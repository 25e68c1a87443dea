"""Our simulation block beside open-craft's branching-xblock, in one xblock-sdk workbench run.

Run in an environment of its own (branching-xblock is not a dependency of Maydan but the `bench`
extra; installed beside the tests it breaks the workbench's scenario list they use), with the Open edX
gradebook channel (`openedx` extra) that Maydan's blocks have inside the LMS:

    python3.12 -m venv /tmp/bench && /tmp/bench/bin/pip install -e '.[openedx,branching]'
    /tmp/bench/bin/python benchmarks/simulation_vs_branching.py [--samples 60]

Both blocks get an equivalent 20-node scenario (same graph, same scores). For each sample a
new learner opens the block (first render: the workbench page), makes one choice (the choice
handler, posted as each block's script posts it: ours a url-encoded form, theirs JSON; ours first starts
an attempt, untimed), then opens it again (returning render: a learner who has state reopens). Each
block has a warm-up learner first. Django's test client calls the workbench in process, on a fresh SQLite
database in memory (/dev/shm): the figures are server time only. The blocks take turns, learner by
learner, so all see the same load.

The workbench itself costs a good part of every request (its page template, its per-field ORM
state store, its scan of installed asides). An empty block, measured in the same run (a view
returning a tiny fragment, a JSON handler returning {}), is that floor; the ratio that matters is
theirs above the floor over ours above the floor: (theirs - floor) / (ours - floor). CPU time of the
process (time.process_time) is printed beside wall time: the machine is shared, and CPU time moves
less with what else runs on it; the machine and its load average (start and end of the run) are printed
with the figures. The SQL queries of one learner's operations are counted too.
PROFILE=first|choice|returning profiles ours for that operation (SORT=tottime, ONLY=<a regex of file
names> narrow it, CALLEES=<a regex> prints what those functions call); QUERIES=1 prints the SQL of one
learner's operations, for each block (WIDTH=<characters> of each, 300 by default).
"""
import atexit
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The database on a memory file system (where the machine has one): commits then cost no disk flush,
# which otherwise dominates both blocks and moves with whatever else the disk is doing.
if "MAYDAN_VAR" not in os.environ:
    os.environ["MAYDAN_VAR"] = tempfile.mkdtemp(prefix="maydan-bench-",
                                                dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    atexit.register(shutil.rmtree, os.environ["MAYDAN_VAR"], ignore_errors=True)  # memory, not disk: given back
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lti_tool.settings")
# Production settings (no debug query log, persistent connections), with the workbench (a demo site) on.
os.environ.setdefault("CONN_MAX_AGE", "60")
os.environ.update(DJANGO_DEBUG="0", SECRET_KEY="benchmark-only", SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="0",
                  MAYDAN_DEMO_SITES="1")

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

SAMPLES = 40
SIZE = 20


def graph():
    """node id -> [(choice id, target, score)]; the last two nodes are endings."""
    nodes = {}
    for i in range(SIZE - 2):
        targets = sorted({min(i + 1, SIZE - 1), min(i + 2, SIZE - 1), min(i + 3, SIZE - 2)})
        nodes[f"n{i}"] = [(f"c{k}", f"n{t}", 10 * (len(targets) - k)) for k, t in enumerate(targets)]
    nodes[f"n{SIZE - 2}"] = nodes[f"n{SIZE - 1}"] = []
    return nodes


def ours():
    nodes = []
    for nid, choices in graph().items():
        words = {"en": f"Step {nid}: the client writes again.", "ar": f"الخطوة {nid}: تكتب العميلة من جديد."}
        if not choices:
            nodes.append({"id": nid, "type": "ending", "phase": "treatment", "text": words})
            continue
        nodes.append({"id": nid, "type": "choice", "phase": "study", "text": words, "choices": [
            {"id": cid, "text": {"en": f"Answer {cid}", "ar": f"الإجابة {cid}"},
             "feedback": {"en": "Feedback.", "ar": "تعليق."}, "score": score, "competencies": [6], "next": target}
            for cid, target, score in choices]})
    return {"id": "bench-20", "title": {"en": "Bench", "ar": "قياس"}, "nodes": nodes}


def theirs():
    nodes = {}
    for nid, choices in graph().items():
        nodes[nid] = {"id": nid, "content": f"<p>Step {nid}: the client writes again.</p>",
                      "media": {"type": "", "url": "", "alt": ""}, "hint": "", "transcript_url": "",
                      "choices": [{"text": f"Answer {cid}", "target_node_id": target, "score": score,
                                   "feedback": "Feedback."} for cid, target, score in choices]}
    return {"nodes": nodes, "start_node_id": "n0"}


OPERATIONS = ("first render", "choice", "returning render")


class Timings:
    """Wall and CPU seconds per operation of one block; a profiler runs around the operation PROFILE names."""

    def __init__(self, profiler=None, profiled="", show_queries=False):
        self.wall = {op: [] for op in OPERATIONS}
        self.cpu = {op: [] for op in OPERATIONS}
        self.queries = {}
        self.profiler, self.profiled, self.show_queries = profiler, profiled, show_queries

    def time(self, operation, call):
        profiling = self.profiler is not None and operation == self.profiled
        if profiling:
            self.profiler.enable()
        wall, cpu = time.perf_counter(), time.process_time()
        if self.show_queries:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                result = call()
            self.queries[operation] = len(queries)
            if self.show_queries == "print":
                print(f"--- {operation}: {len(queries)} queries")
                print("\n".join(q["sql"][:int(os.environ.get("WIDTH", 300))] for q in queries.captured_queries))
        else:
            result = call()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if profiling:
            self.profiler.disable()
        self.wall[operation].append(wall)
        self.cpu[operation].append(cpu)
        return result

    def median_ms(self, operation, clock):
        return statistics.median(getattr(self, clock)[operation]) * 1000


def sample(client, url, choose, student, timings):
    """A learner's first visit, one choice, and a visit of the returning learner."""
    page = timings.time("first render", lambda: client.get(url, {"student": student}))
    assert page.status_code == 200
    choose(client, page.content.decode(), student, timings)
    page = timings.time("returning render", lambda: client.get(url, {"student": student}))
    assert page.status_code == 200


def measure(blocks, samples, profiler=None, profiled=""):
    """{name: Timings}, the blocks taking turns learner by learner (a warm-up learner each first)."""
    client = Client()
    for name, (url, choose) in blocks.items():
        sample(client, url, choose, f"warm_{name}", Timings())
    timings = {name: Timings(profiler if name == "ours" else None, profiled) for name in blocks}
    for i in range(samples):
        for name, (url, choose) in blocks.items():
            sample(client, url, choose, f"student_{name}{i}", timings[name])
    return timings


def choose_ours(client, page, student, timings):
    endpoint = unescape(re.search(r'class="maydan"[^>]*data-endpoint="([^"]+)"', page).group(1))
    # As the block's script posts a form (maydan.js: URLSearchParams), url-encoded.
    headers = {"HTTP_X_REQUESTED_WITH": "fetch", "content_type": "application/x-www-form-urlencoded"}
    client.post(endpoint, urlencode({"action": "start"}), **headers)
    from maydan.simulation.models import SimulationAttempt

    attempt = SimulationAttempt.objects.get(student__subject=student, status="playing").pk
    response = timings.time("choice", lambda: client.post(
        endpoint, urlencode({"action": "choose", "attempt": attempt, "node": "n0", "choice": "c0"}), **headers))
    assert response.status_code == 200 and 'data-node="n1"' in response.content.decode()


def choose_theirs(client, page, student, timings):
    url = unescape(re.search(r'"select_choice": "([^"]+)"', page).group(1))
    response = timings.time("choice", lambda: client.post(url, json.dumps({"choice_index": 0}),
                                                          content_type="application/json"))
    assert response.status_code == 200 and response.json()["current_node"]["id"] == "n1", response.content[:300]


def choose_empty(client, page, student, timings):
    url = unescape(re.search(r'data-ping="([^"]+)"', page).group(1))
    response = timings.time("choice", lambda: client.post(url, "{}", content_type="application/json"))
    assert response.status_code == 200 and response.json() == {}


def empty_block():
    """The workbench's floor: a block that draws a word and answers {} (no fields, no templates)."""
    from web_fragments.fragment import Fragment
    from xblock.core import XBlock

    class EmptyBlock(XBlock):
        def student_view(self, context=None):
            return Fragment(f'<p data-ping="{self.runtime.handler_url(self, "ping")}">.</p>')

        @XBlock.json_handler
        def ping(self, data, suffix=""):
            return {}

    return EmptyBlock


def register(name, block_class):
    """Make a class loadable by tag without an installed entry point (the workbench loads blocks by tag)."""
    from types import SimpleNamespace

    from xblock.core import XBlock

    XBlock.extra_entry_points = [*XBlock.extra_entry_points,
                                 (name, SimpleNamespace(name=name, group="xblock.v1", load=lambda: block_class))]


def machine():
    """The processor's name and how many of it, where the system says (Linux)."""
    try:
        names = [line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                 if line.startswith("model name")]
    except OSError:
        names = []
    return f"{names[0]} × {len(names)}" if names else f"{os.cpu_count()} processors"


def report(timings, clock, samples):
    floor = {op: timings["empty"].median_ms(op, clock) for op in OPERATIONS}
    print(f"\n{clock.upper()} time, median of {samples} learners (ms); ratios are theirs / ours:")
    print(f"  {'operation':17s} {'floor':>7s} {'ours':>7s} {'theirs':>7s}   {'ratio':>6s}   {'above floor':>11s}")
    above = []
    for op in OPERATIONS:
        our, their = timings["ours"].median_ms(op, clock), timings["theirs"].median_ms(op, clock)
        ratio_above = (their - floor[op]) / max(our - floor[op], 1e-6)
        above.append(ratio_above)
        print(f"  {op:17s} {floor[op]:7.2f} {our:7.2f} {their:7.2f}   {their / our:5.2f}x   {ratio_above:10.2f}x")
    return above


def main():
    import argparse
    import logging

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=SAMPLES)
    args = parser.parse_args()
    logging.getLogger("workbench").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    from workbench.scenarios import add_xml_scenario, init_scenarios
    from xml.sax.saxutils import quoteattr

    from maydan import people, roles
    from maydan.simulation import services
    from xblocks.base import issuer

    from branching_xblock import BranchingXBlock

    # branching-xblock 0.3.3 declares workbench_scenarios as a handler method, which stops the
    # workbench from listing scenarios at all; its scenario is added below instead.
    BranchingXBlock.workbench_scenarios = staticmethod(lambda: [])
    register("bench_empty", empty_block())
    init_scenarios()
    add_xml_scenario("bench.ours", "Maydan simulation, 20 nodes", '<maydan_simulation scenario="bench-20"/>')
    add_xml_scenario("bench.theirs", "branching-xblock, 20 nodes",
                     f'<branching_xblock enable_scoring="true" enable_undo="true" '
                     f'scenario_data={quoteattr(json.dumps(theirs()))}/>')
    add_xml_scenario("bench.empty", "An empty block", "<bench_empty/>")
    client = Client()
    client.get("/workbench/scenario/bench.ours/", {"student": "author_1"})   # creates the workbench course
    from maydan.models import Course

    course = Course.objects.get(issuer=issuer())
    author = people.enter(issuer(), course.context_id, "author_1", {roles.AUTHOR})
    services.save_scenario(author, json.dumps(ours(), ensure_ascii=False))

    blocks = {"empty": ("/workbench/scenario/bench.empty/", choose_empty),
              "ours": ("/workbench/scenario/bench.ours/", choose_ours),
              "theirs": ("/workbench/scenario/bench.theirs/", choose_theirs)}
    profiled = os.environ.get("PROFILE", "")
    if os.environ.get("QUERIES"):
        for name in blocks:
            print(f"===== {name}")
            sample(client, *blocks[name], f"queried_{name}", Timings(show_queries="print"))
        return 0
    if profiled:
        import cProfile
        import pstats

        operation = {"first": "first render", "returning": "returning render"}.get(profiled, profiled)
        profiler = cProfile.Profile()
        measure({"ours": blocks["ours"]}, args.samples, profiler, operation)
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative"))
        stats.print_stats(os.environ.get("ONLY", ""), 60)
        if os.environ.get("CALLEES"):
            stats.print_callees(os.environ["CALLEES"])
        return 0
    counted = {name: Timings(show_queries="count") for name in blocks}
    for name, found in counted.items():
        sample(client, *blocks[name], f"counted_{name}", found)
    load_before = os.getloadavg()[0]
    timings = measure(blocks, args.samples)
    print(f"{SIZE}-node scenario, {args.samples} learners per block, server time in the workbench "
          f"(floor: an empty block's render and JSON handler in the same run).")
    print(f"Machine: {machine()}; load average (1 min) {load_before:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end.")
    report(timings, "wall", args.samples)
    above = dict(zip(OPERATIONS, report(timings, "cpu", args.samples)))
    met = above["choice"] >= 3 and above["returning render"] >= 3
    print(f"  target (choice and returning render, CPU above the floor, ours >= 3x faster): {'met' if met else 'not met'}")
    print("\nSQL queries of one learner (floor / ours / theirs):")
    for op in OPERATIONS:
        print(f"  {op:17s} " + " / ".join(str(counted[name].queries[op]) for name in ("empty", "ours", "theirs")))
    print("\nOurs draws the whole screen on the server (branching-xblock sends an empty <div> and its React bundle"
          " draws it in the browser, which no server time counts) and keeps attempts in the core's tables, where"
          " supervisors, analytics and LTI read them.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
