"""How fast the evaluation grading list renders, and whether its query count grows.

Run: .venv/bin/python benchmarks/grading_list.py
Seeds N students into a fresh SQLite database (or DATABASE_URL), each with both
supervisors' mid-term sheets (some released, some waiting for a moderator, some half done),
then renders the grading list through the same screens the XBlock and the LTI tool use.
"""
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("MAYDAN_VAR", tempfile.mkdtemp(prefix="maydan-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lti_tool.settings")

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

import screen_timing  # noqa: E402
from django.utils import timezone  # noqa: E402

from maydan import people, roles, ui  # noqa: E402
from maydan.grading import screens, services  # noqa: E402
from maydan.grading.models import Decision, Evaluation, Scoresheet  # noqa: E402
from maydan.models import Placement  # noqa: E402

FORM = services.form_of("midterm")
BEHAVIOURS = [b.id for b in FORM.framework.behaviours]


def seed(n_students, context):
    academic = people.enter("bench", context, "academic", {roles.ACADEMIC}, course_title=context)
    services.configure(academic, rule="moderator", agency_weight=1, academic_weight=1, threshold=1,
                       show_both_voices="1")
    now = timezone.now()
    for s in range(n_students):
        student = people.enter("bench", context, f"s{s}", {roles.STUDENT}, name=f"Student {s:04d}")
        placement = Placement.objects.get(course=academic.course, student=student.person)
        evaluation = Evaluation.objects.create(
            placement=placement, form=FORM.id,
            status=Evaluation.RELEASED if s % 3 == 0 else Evaluation.OPEN, score=0.8 if s % 3 == 0 else None)
        far = 1 if s % 3 == 1 else 4  # every third student waits for a moderator's decision
        Scoresheet.objects.bulk_create([
            Scoresheet(evaluation=evaluation, side="agency", values={b: 4 for b in BEHAVIOURS},
                       comments={"overall": "ok"}, submitted_at=now),
            Scoresheet(evaluation=evaluation, side="academic", values=dict({b: 4 for b in BEHAVIOURS}, **{"1a": far}),
                       comments={"1": "late"}, submitted_at=now if s % 5 else None),
        ])
        if s % 6 == 1:
            Decision.objects.create(evaluation=evaluation, behaviour="1a", value=3, reason="r",
                                    decided_by=academic.person)
    return academic


def measure(academic):
    screen = ui.Screen(actor=academic, language="ar", activity="evaluation", key=FORM.id, endpoint="/act")
    queries, median, worst, html = screen_timing.measure(screens.render, screen)
    return queries, median, worst, html.count("data-placement=")


def main():
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; form {FORM.id}, {len(BEHAVIOURS)} behaviours, both supervisors' sheets")
    results = {}
    for n in (20, 200):
        academic = seed(n, f"bench-{n}")
        queries, median, worst, rows = measure(academic)
        results[n] = (queries, median)
        print(f"N={n:4d} students: {rows} rows, {queries} SQL queries, render median {median:.1f} ms, worst {worst:.1f} ms")
    same = results[20][0] == results[200][0]
    fast = results[200][1] < 150
    print(f"query count independent of N: {'yes' if same else 'NO'}; "
          f"N=200 under 150 ms: {'yes' if fast else 'NO'}")
    return 0 if same and fast else 1


if __name__ == "__main__":
    sys.exit(main())
