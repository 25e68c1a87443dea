"""A cohort with hours, evaluations and simulations, written straight to the tables (fast enough
for hundreds of students); used by the cohort tests and benchmarks/cohort.py."""
from datetime import date, datetime, time as clock, timedelta, timezone as tz

from maydan import people, roles, vocab
from maydan.grading import content
from maydan.models import Agency, Evaluation, LogEntry, Placement, Scoresheet, SimulationAttempt

STATUSES = [vocab.APPROVED, vocab.COUNTERSIGNED, vocab.SUBMITTED, vocab.APPROVED, vocab.RETURNED]
KINDS = list(vocab.ACTIVITY_TYPES)


def seed(issuer, context, n_students, *, entries=150, evaluations=2, simulations=4, start=date(2025, 1, 1)):
    """(coordinator actor, academic actor, agency actor) of a course with n_students placed at two agencies."""
    coordinator = people.enter(issuer, context, "coord", {roles.COORDINATOR}, course_title=context, name="Coordinator")
    academic = people.enter(issuer, context, "acad", {roles.ACADEMIC}, name="Dr. Academic")
    agency_sup = people.enter(issuer, context, "mentor", {roles.AGENCY}, name="Agency Mentor")
    course = coordinator.course
    agencies = [Agency.objects.create(course=course, name=f"Agency {i}", kind="ngo") for i in range(2)]
    forms = list(content.library().forms.values())[:evaluations]
    sent = datetime(2025, 1, 1, 9, tzinfo=tz.utc)
    for s in range(n_students):
        student = people.enter(issuer, context, f"s{s:04d}", {roles.STUDENT}, name=f"Student {s:04d}")
        placement = Placement.objects.get(course=course, student=student.person)
        agency = agencies[s % 2]
        placement.host_agency, placement.agency = agency, agency.name
        placement.starts_on, placement.ends_on = start, start + timedelta(days=200)
        placement.academic_supervisor = academic.person
        placement.agency_supervisor = agency_sup.person if s % 2 == 0 else None
        placement.save()
        LogEntry.objects.bulk_create(
            LogEntry(placement=placement, date=start + timedelta(days=i), start_time=clock(9), end_time=clock(11),
                     minutes=120, activity_type=KINDS[i % len(KINDS)], modality="in_person", time_kind="direct",
                     competencies=[1 + i % 9, 1 + (i + 1) % 9] if i % 3 else [6], status=STATUSES[i % len(STATUSES)],
                     submitted_at=sent + timedelta(days=i))
            for i in range(entries))
        for form in forms:
            values = {b.id: 3 + (s + i) % 3 for i, b in enumerate(form.framework.behaviours)}
            evaluation = Evaluation.objects.create(placement=placement, form=form.id, status=Evaluation.RELEASED,
                                                   final_values=values, score=0.7, released_at=sent)
            Scoresheet.objects.bulk_create([
                Scoresheet(evaluation=evaluation, side="agency", values=values, submitted_at=sent),
                Scoresheet(evaluation=evaluation, side="academic", values={k: v - 1 for k, v in values.items()},
                           submitted_at=sent)])
        SimulationAttempt.objects.bulk_create(
            SimulationAttempt(course=course, student=student.person, scenario="etherapy-anxious", number=n + 1,
                              status="finished", node="end", score=0.5 + n / 10, competencies={"1": 0.5, "6": 0.75},
                              finished_at=sent)
            for n in range(simulations))
    return coordinator, academic, agency_sup
