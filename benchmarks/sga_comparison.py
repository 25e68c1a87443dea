"""Our evaluation block's staff list beside edx-sga's staff grading view, in one xblock-sdk workbench run.

Run: .venv/bin/python benchmarks/sga_comparison.py [N students, default 200]
Both blocks are opened by the course staff in the workbench (Django test client), with N
students who opened the block once. edx-sga (`pip install edx-sga`) is measured only where
it can run here; it imports Open edX's own platform modules, so outside an LMS it usually
cannot, and the script says why instead of a ratio.
"""
import logging
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
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

OURS = "/workbench/scenario/maydan_evaluation.0/"


def timed_get(client, url, params, runs=10):
    client.get(url, params)  # warm
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times)


def sga_reason():
    """None if edx-sga's block can be loaded here, else why not."""
    try:
        import edx_sga.sga  # noqa: F401
    except ModuleNotFoundError as missing:
        if missing.name.split(".")[0] == "edx_sga":
            return "edx-sga is not installed (pip install edx-sga)"
        return f"edx-sga needs Open edX platform module '{missing.name}', which only an LMS provides"
    except Exception as exc:  # a platform import failing in some other way
        return f"edx-sga cannot load outside the LMS: {type(exc).__name__}: {exc}"
    return None


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    logging.disable(logging.ERROR)  # the workbench logs every request
    setup_test_environment()
    call_command("migrate", verbosity=0)
    reason = sga_reason()
    if reason and "not installed" not in reason:
        # Its entry point is registered but cannot load: the workbench then lists no scenario at all.
        print(f"edx-sga: could not run in the workbench: {reason}. Its broken entry point also stops "
              "the workbench from loading any block, so Maydan cannot be measured beside it in one run.")
        return 0
    client = Client()
    for s in range(n):
        client.get(OURS, {"student": f"student_b{s:03d}"})
    ours = timed_get(client, OURS, {"student": "academic_1"})
    print(f"Maydan evaluation, staff grading list, {n} students: median {ours:.1f} ms (whole workbench page)")
    if reason:
        print(f"edx-sga: could not run in the workbench: {reason}. No ratio.")
        return 0
    sga = "/workbench/scenario/edx_sga.0/"
    for s in range(n):
        client.get(sga, {"student": f"student_b{s:03d}"})
    theirs = timed_get(client, sga, {"student": "academic_1"})
    print(f"edx-sga staff view, {n} students: median {theirs:.1f} ms; ratio edx-sga / Maydan = {theirs / ours:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
