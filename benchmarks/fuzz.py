"""Hostile bodies posted to every handler of both adapters, as each role: what answered 5xx, how slowly, and
whether a refused request wrote anything.

Run: .venv/bin/python benchmarks/fuzz.py [--examples 20] [--only SUBSTRING]
The same handlers, roles, hostile values and checks as tests/fuzz (which `make test` runs with a few
examples), on a fresh SQLite database (or DATABASE_URL). Targets: 0 answers 5xx; slowest answer under
1 s on a 2-core machine; 0 rows written by refused (4xx) requests.
"""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("MAYDAN_VAR", tempfile.mkdtemp(prefix="maydan-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lti_tool.settings")

import django  # noqa: E402

django.setup()
import logging  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from hypothesis import HealthCheck, Phase, example, given, settings  # noqa: E402

from tests.fuzz import hostile, world as worlds  # noqa: E402


class Tally:
    def __init__(self):
        self.requests = self.errors = self.written = 0
        self.slowest = 0.0
        self.slowest_as = ""

    def add(self, role, status, seconds, wrote):
        self.requests += 1
        self.errors += status >= 500
        self.written += sum(wrote.values()) if 400 <= status < 500 else 0
        if seconds > self.slowest:
            self.slowest, self.slowest_as = seconds, role


def run(world, handler, examples, tally):
    json_handler = handler.adapter == "xblock_json"
    bodies = hostile.json_bodies() if json_handler else hostile.forms(["1", "2", "3"])

    @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @example(body=b"[" * hostile.DEEP + b"]" * hostile.DEEP if json_handler else hostile.each_class())
    @given(body=bodies)
    def post_everything(body):
        if handler.action and not json_handler:
            body = {**body, "action": handler.action}
        for role in worlds.roles_for(handler):
            before = worlds.row_counts()
            status, seconds = world.post(handler, role, body)
            tally.add(role, status, seconds, worlds.written(before, worlds.row_counts()))

    post_everything()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20, help="generated bodies per handler (and role)")
    parser.add_argument("--only", default="", help="fuzz only handlers whose name contains this")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # a 5xx is counted here, not printed with its traceback
    setup_test_environment()
    call_command("migrate", verbosity=0)
    world = worlds.World()
    world.post(worlds.handlers()[0], worlds.roles.STUDENT, {})  # warm templates and catalogs
    handlers = [h for h in worlds.handlers() if args.only in h.name]
    print(f"{len(handlers)} handlers, {len(worlds.ROLES)} roles, {args.examples} generated bodies each "
          f"(+1 of every hostile class); URLs not fuzzed: {', '.join(sorted(worlds.NOT_FUZZED))}")
    print(f"{'handler':58} {'requests':>8} {'5xx':>5} {'slowest':>9}  {'as':20} {'refused+wrote':>13}")
    total, started = Tally(), time.perf_counter()
    for handler in handlers:
        tally = Tally()
        run(world, handler, args.examples, tally)
        print(f"{handler.name[:58]:58} {tally.requests:8} {tally.errors:5} {tally.slowest * 1000:7.0f} ms  "
              f"{tally.slowest_as:20} {tally.written:13}")
        total.requests += tally.requests
        total.errors += tally.errors
        total.written += tally.written
        if tally.slowest > total.slowest:
            total.slowest, total.slowest_as = tally.slowest, f"{handler.name} as {tally.slowest_as}"
    print(f"\nrequests: {total.requests} in {time.perf_counter() - started:.0f} s")
    print(f"5xx answers: {total.errors} (target 0)")
    print(f"slowest answer: {total.slowest * 1000:.0f} ms, {total.slowest_as} (target < 1000 ms)")
    print(f"rows written by refused requests: {total.written} (target 0)")
    for fault in dict.fromkeys(world.faults):
        print("  5xx:", fault)


if __name__ == "__main__":
    main()
