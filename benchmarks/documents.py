"""How long an hours certificate takes as a PDF: one, and a cohort of 200 (target: under 2 minutes).

Run: .venv/bin/python benchmarks/documents.py [N]
Seeds N placements (default 200), each with 60 approved entries over the nine competencies, in a fresh
SQLite database (or DATABASE_URL), then builds, issues and renders each certificate through the code the
XBlock and the LTI tool call (maydan.documents), in Arabic with Arabic-Indic digits and in English.
"""
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("MAYDAN_VAR", tempfile.mkdtemp(prefix="maydan-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lti_tool.settings")

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from maydan import people, roles, vocab  # noqa: E402
from maydan.documents import render, services  # noqa: E402
from maydan.models import LogEntry, Placement  # noqa: E402

COHORT_TARGET_S = 120


def seed(n):
    issuer, context = "https://lms.example.edu", "bench-documents"
    coordinator = people.enter(issuer, context, "k1", {roles.COORDINATOR}, course_title="التدريب الميداني ١",
                               name="أمل حسن")
    course = coordinator.course
    course.school_name, course.digits = "كلية الخدمة الاجتماعية — جامعة حلوان", "arab"
    course.save()
    kinds, types = list(vocab.TIME_KINDS), list(vocab.ACTIVITY_TYPES)
    for i in range(n):
        student = people.enter(issuer, context, f"s{i}", {roles.STUDENT}, name=f"طالبة رقم {i} Student {i}")
        placement = Placement.objects.get(course=course, student=student.person)
        placement.agency, placement.starts_on, placement.ends_on = "مستشفى القصر العيني", date(2026, 2, 1), date(2026, 6, 30)
        placement.save()
        LogEntry.objects.bulk_create([
            LogEntry(placement=placement, date=date(2026, 2, 1) + timedelta(days=j), minutes=90 + j % 4 * 30,
                     activity_type=types[j % len(types)], modality="in_person", time_kind=kinds[j % 2],
                     competencies=[1 + j % 9, 1 + (j + 3) % 9], status=vocab.APPROVED)
            for j in range(60)])
    return coordinator


def certificate(actor, placement_id, language):
    return render.pdf(services.issue(actor, services.document_for(actor, "certificate", placement_id)), language)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    call_command("migrate", verbosity=0)
    coordinator = seed(n)
    ids = list(Placement.objects.filter(course=coordinator.course).values_list("pk", flat=True))
    print(f"database: {connection.vendor}; {n} placements × 60 approved entries")
    certificate(coordinator, ids[0], "ar")  # fonts and templates loaded once per process
    for language in ("ar", "en"):
        start = time.perf_counter()
        size = len(certificate(coordinator, ids[0], language))
        print(f"one certificate ({language}): {(time.perf_counter() - start) * 1000:.0f} ms, {size // 1024} KiB")
    start = time.perf_counter()
    for placement_id in ids:
        certificate(coordinator, placement_id, "ar")
    took = time.perf_counter() - start
    verdict = "within" if took < COHORT_TARGET_S else "OVER"
    print(f"{n} certificates (ar): {took:.1f} s ({took / n * 1000:.0f} ms each), {verdict} the {COHORT_TARGET_S} s target")


if __name__ == "__main__":
    main()
