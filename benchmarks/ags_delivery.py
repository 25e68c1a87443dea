"""How fast queued grades reach a platform's line item over AGS, with 10 % of the calls failing.

Run: .venv/bin/python benchmarks/ags_delivery.py [--scores 1000] [--fail 100] [--threads 4]
The sandbox platform runs under gunicorn (2 workers) and fails its first --fail score posts;
the tool's delivery loop (the `deliver_grades` worker's code) runs here in --threads threads.
Target: 1,000 scores in under 10 s, each received exactly once.
"""
import argparse
import logging
import threading
import time

import lti_server

lti_server.prepare_environment()
import django  # noqa: E402

django.setup()
from django.db import connection  # noqa: E402

from lti_tool import ags  # noqa: E402
from lti_tool.models import ResourceLink  # noqa: E402
from lti_tool.sandbox import services as platform  # noqa: E402
from lti_tool.sandbox.models import SandboxLink, SandboxScore  # noqa: E402
from maydan import grades, people, roles  # noqa: E402
from maydan.models import GradeOutbox  # noqa: E402


def seed(registration, n):
    link = SandboxLink.objects.create(course="field-training-1", title="Field training log",
                                      custom={"maydan_activity": "fieldlog"}, score_maximum=100)
    lineitem = platform.lineitem(link)["id"]
    ResourceLink.objects.create(registration=registration, context_id="field-training-1", link_id=link.link_id,
                                activity="fieldlog", lineitem_url=lineitem)
    course = None
    for i in range(n):
        actor = people.enter(registration.issuer, "field-training-1", f"student_{i}", {roles.STUDENT})
        course = actor.course
        if i == 0:
            grades.register_destination(course, lineitem, "fieldlog")
        grades.queue_grade(course, actor.person, "fieldlog", (i % 100) / 100)
    return link


def worker(totals, lock):
    import requests

    session = requests.Session()
    while True:
        delivered, failed = ags.deliver_due(limit=25, session=session)
        with lock:
            totals[0] += delivered
            totals[1] += failed
        if not (delivered or failed) and not grades.due(ags.lti_destinations(), limit=1):
            break
    connection.close()


def main():
    logging.getLogger("lti_tool.ags").setLevel(logging.WARNING)  # each injected failure would print a line
    parser = argparse.ArgumentParser()
    parser.add_argument("--scores", type=int, default=1000)
    parser.add_argument("--fail", type=int, default=100)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    registration = lti_server.setup_database()
    link = seed(registration, args.scores)
    with lti_server.sandbox_server():  # the platform receiving the scores
        platform.fail_next(args.fail)
        totals, lock = [0, 0], threading.Lock()
        start = time.perf_counter()
        threads = [threading.Thread(target=worker, args=(totals, lock)) for _ in range(args.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
    received = SandboxScore.objects.filter(link=link).count()
    users = SandboxScore.objects.filter(link=link).values("user_id").distinct().count()
    waiting = GradeOutbox.objects.filter(delivered_at__isnull=True).count()
    print(f"AGS delivery ({connection.vendor}, gunicorn 2 workers, {args.threads} delivery threads)")
    print(f"  scores queued        {args.scores}")
    print(f"  failures injected    {args.fail} ({args.fail / max(args.scores, 1):.0%} of the scores)")
    print(f"  failed attempts      {totals[1]}")
    print(f"  delivered            {totals[0]}  in {elapsed:.2f} s  ({totals[0] / elapsed:.0f} scores/s)")
    print(f"  received by platform {received} posts for {users} students; still waiting {waiting}")
    print(f"  target               1,000 in < 10 s: {'met' if elapsed < 10 and received == args.scores else 'NOT met'}")


if __name__ == "__main__":
    main()
