"""How fast scenarios validate and a choice step runs on the server.

Run: .venv/bin/python benchmarks/simulation.py
Generates a 500-node scenario (choices, loops, conditional branches, free text, endings),
validates it as a YAML file the way `maydan validate` does, then plays the demo scenario
through the same service the XBlock and the LTI tool call, on a fresh SQLite database
(or DATABASE_URL).
"""
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("MAYDAN_VAR", tempfile.mkdtemp(prefix="maydan-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lti_tool.settings")

import django  # noqa: E402
import yaml  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from maydan import people, roles  # noqa: E402
from maydan.simulation import services, validate  # noqa: E402
from maydan.simulation.engine import Scenario  # noqa: E402

PHASES = ("study", "diagnosis", "treatment")


def text(word):
    return {"en": f"{word}: what the client says and what the worker sees.", "ar": f"{word}: ما يقوله العميل وما يلاحظه الأخصائي."}


def generate(size=500, seed=7):
    """A valid scenario of `size` nodes: forward edges to an ending, loops back from choice nodes."""
    rnd = random.Random(seed)
    nodes = []
    endings = size // 20
    for i in range(size):
        nid, phase = f"n{i}", PHASES[min(2, i * 3 // size)]
        forward = lambda: f"n{rnd.randint(i + 1, size - 1)}"  # noqa: E731
        if i >= size - endings:
            nodes.append({"id": nid, "type": "ending", "phase": phase, "text": text(nid)})
        elif i % 7 == 3:
            nodes.append({"id": nid, "type": "branch", "phase": phase, "branches": [
                {"if": "rapport >= 2 and not risk > 3", "next": forward()}, {"if": "trust < 1", "next": forward()},
                {"next": f"n{i + 1}"}]})
        elif i % 11 == 5:
            nodes.append({"id": nid, "type": "free_text", "phase": phase, "text": text(nid), "next": f"n{i + 1}"})
        else:
            targets = [f"n{i + 1}", forward(), f"n{rnd.randint(0, i)}"]
            nodes.append({"id": nid, "type": "choice", "phase": phase, "text": text(nid), "choices": [
                {"id": f"c{k}", "text": text(f"c{k}"), "feedback": text("feedback"), "score": k,
                 "competencies": [rnd.randint(1, 9)], "effects": {"rapport": rnd.choice([-1, 1])}, "next": target}
                for k, target in enumerate(targets)]})
    # Nodes that no random edge reached get a choice from an earlier choice node (still forward: safe).
    by_id = {n["id"]: n for n in nodes}
    while True:
        seen, stack = {"n0"}, ["n0"]
        while stack:
            for target in validate.targets(by_id[stack.pop()]):
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        missing = [i for i in range(size) if f"n{i}" not in seen]
        if not missing:
            break
        i = missing[0]
        source = max(j for j in range(i) if f"n{j}" in seen and nodes[j]["type"] == "choice")
        nodes[source]["choices"].append({"id": f"to-{i}", "text": text("more"), "next": f"n{i}"})
    return {"id": "bench-500", "title": text("Benchmark"), "variables": {"rapport": 0, "risk": 2, "trust": 1},
            "nodes": nodes}


def timed(function, runs):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        function()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


def main():
    data = generate()
    source = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    assert validate.check_text(source) == [], "the generated scenario must be valid"
    print(f"scenario: {len(data['nodes'])} nodes, {len(source) // 1024} KiB of YAML; LibYAML: {yaml.__with_libyaml__}")
    median, worst = timed(lambda: validate.check(data), 30)
    print(f"validate 500 nodes (checks only):        median {median:6.2f} ms, worst {worst:6.2f} ms")
    as_json = json.dumps(data, ensure_ascii=False, indent=1)
    median, worst = timed(lambda: validate.check_text(as_json, "bench.json"), 15)
    print(f"validate 500 nodes (read JSON + checks): median {median:6.2f} ms, worst {worst:6.2f} ms  (target < 100 ms)")
    median, worst = timed(lambda: validate.check_text(source), 5)
    print(f"validate 500 nodes (read YAML + checks): median {median:6.2f} ms, worst {worst:6.2f} ms  "
          "(PyYAML's reading is most of it: author large scenarios in JSON, or accept the wait)")
    median, _ = timed(lambda: Scenario(data), 15)
    print(f"compile 500 nodes for play:              median {median:6.2f} ms (once per scenario text)")

    call_command("migrate", verbosity=0)
    student = people.enter("bench", "sim-bench", "s1", {roles.STUDENT}, course_title="bench")
    key = "etherapy-anxious"
    services.start(student, key)                                  # warms the scenario cache
    steps, times = 0, []
    for _ in range(20):
        attempt = services.start(student, key)
        # Loop between two nodes, as a student who hesitates: every step is one real service call.
        for node, choice in [("opening", "insist"), ("withdrawn", "repair")] + [("confidentiality", "explain")]:
            t0 = time.perf_counter()
            attempt = services.choose(student, attempt.pk, node, choice)
            times.append((time.perf_counter() - t0) * 1000)
            steps += 1
        attempt.status = "finished"
        attempt.save()
    print(f"choice step (service, {connection.vendor}, {steps} steps): median {statistics.median(times):.2f} ms, "
          f"p95 {sorted(times)[int(len(times) * 0.95)]:.2f} ms  (target < 5 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
