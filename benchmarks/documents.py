"""How long documents take as PDFs: an hours certificate, a cohort of 200 (target: under 2 minutes), and a
student's whole field portfolio of some 40 pages in Arabic (target: under 5 seconds).

Run: .venv/bin/python benchmarks/documents.py [N]
Seeds N placements (default 200), each with 60 approved entries over the nine competencies, in a fresh
SQLite database (or DATABASE_URL), then builds, issues and renders each certificate through the code the
XBlock and the LTI tool call (maydan.documents), in Arabic with Arabic-Indic digits and in English. The
first student also gets a learning agreement, both evaluations released with comments and 14 submitted
process recordings of 12 rows; their portfolio is rendered in Arabic. CPU time is printed beside the
wall-clock time: on a shared machine the difference is time spent waiting for a core.
"""
import io
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

from django.http import QueryDict  # noqa: E402

from maydan import people, roles, vocab  # noqa: E402
from maydan.documents import render, services  # noqa: E402
from maydan.grading import agreements, services as grading  # noqa: E402
from maydan.grading.models import ProcessRecording  # noqa: E402
from maydan.models import LogEntry, Placement  # noqa: E402

COHORT_TARGET_S = 120
PORTFOLIO_TARGET_S = 5
PORTFOLIO_RECORDINGS, RECORDING_ROWS = 14, 12
ISSUER, CONTEXT = "https://lms.example.edu", "bench-documents"


def seed(n):
    issuer, context = ISSUER, CONTEXT
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


def seed_record(coordinator, placement_id):
    """One student's whole record: an agreement, both evaluations released, recordings commented row by row."""
    placement = Placement.objects.select_related("student").get(pk=placement_id)
    student = people.enter(ISSUER, CONTEXT, placement.student.subject, {roles.STUDENT})
    academic = people.enter(ISSUER, CONTEXT, "a1", {roles.ACADEMIC}, name="د. هدى سمير")
    agency = people.enter(ISSUER, CONTEXT, "m1", {roles.AGENCY}, name="رامي فتحي")
    people.assign_agency_supervisor(coordinator.course, agency.person, [placement.student])
    agreements.save(student, {f"{field}_{c.id}": f"هدف قابل للقياس في {c.id}: مقابلتان تحت الإشراف وتقرير مكتوب."
                              for c in agreements.competencies() for field in ("goals", "activities")})
    for form_id in ("midterm", "final"):
        behaviours = [b.id for b in grading.form_of(form_id).framework.behaviours]
        for actor, value in ((agency, 4), (academic, 3)):
            sheet = QueryDict(mutable=True)
            sheet.update({f"value_{b}": str(value) for b in behaviours})
            sheet.update({f"comment_{n}": "تقدم واضح في بناء العلاقة المهنية مع الأسر." for n in range(1, 10)})
            sheet["comment_overall"] = "طالبة ملتزمة تحتاج إلى مزيد من التأمل في مشاعرها أثناء المقابلة."
            grading.save_sheet(actor, placement_id, form_id, sheet, submit=True)
        grading.release(academic, placement_id, form_id)
    row = {"worker": "صباح الخير، ما الذي أتى بك اليوم؟ أخبريني بما يشغلك.",
           "client": "ابني توقف عن الذهاب إلى المدرسة منذ شهر ولا أعرف ماذا أفعل.",
           "thoughts": "شعرت بقلق الأم وأردت طمأنتها بسرعة.", "skill": "سؤال مفتوح",
           "comment": "بداية جيدة؛ تمهلي قبل الطمأنة."}
    ProcessRecording.objects.bulk_create([
        ProcessRecording(placement_id=placement_id, date=date(2026, 2, 2) + timedelta(days=5 * i),
                         client_code=f"C-{i:03d}", purpose="مقابلة أولى مع الأسرة.", status=ProcessRecording.SUBMITTED,
                         rows=[row] * RECORDING_ROWS) for i in range(PORTFOLIO_RECORDINGS)])
    return student


def portfolio(actor):
    return render.pdf(services.issue(actor, services.document_for(actor, "portfolio")), "ar")


def timed(work):
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


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
    _done, took, cpu = timed(lambda: [certificate(coordinator, placement_id, "ar") for placement_id in ids])
    verdict = "within" if took < COHORT_TARGET_S else "OVER"
    print(f"{n} certificates (ar): {took:.1f} s ({took / n * 1000:.0f} ms each; CPU {cpu:.1f} s), "
          f"{verdict} the {COHORT_TARGET_S} s target")

    from pypdf import PdfReader

    student = seed_record(coordinator, ids[0])
    pdf, took, cpu = timed(lambda: portfolio(student))
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    verdict = "within" if took < PORTFOLIO_TARGET_S else "OVER"
    print(f"portfolio (ar, {pages} pages, {len(pdf) // 1024} KiB): {took:.2f} s (CPU {cpu:.2f} s), "
          f"{verdict} the {PORTFOLIO_TARGET_S} s target")


if __name__ == "__main__":
    main()
