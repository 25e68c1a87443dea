"""A whole program at a faculty's scale: N students in 30 courses over two terms, written to the tables in bulk.

What a year of use leaves behind, for trying the screens at size (`maydan demo --program N`) and for the
benchmarks (benchmarks/program_scale.py): each student's ~150 log entries in every state with the history the
field log keeps, two evaluations with both supervisors' sheets, four finished simulation attempts, weekly
group supervision with its attendance, site visits; agencies with openings and accepted offers per term; an
academic supervisor per 60 students, agency supervisors (the busiest with 60 students) and a coordinator.

Rows go in with bulk inserts, a few hundred students at a time, so 5,000 students take minutes, not hours.
The first course is the large one (a tenth of the program, at least 60 students), in the current term.
"""
import itertools
import json
import time as timer
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from . import roles, vocab
from .grading import content
from .grading.markings import REFLECTION_RUBRIC
from .models import (Agency, Attendance, AuditEvent, Course, Evaluation, LogEntry, Marking, Membership, Offer,
                     Opening, Person, Placement, PlacementPreference, Program, ProgramAgency, ProgramCourse,
                     Scoresheet, Session, SimulationAttempt, SiteVisit)
from .people import Actor
from .sessions import recurrence
from .tallies import sums as tallies

COURSES = 30
# Students per academic supervisor's group, and in the busiest agency supervisor's care.
GROUP = 60
# Students per agency (other than the busiest).
AGENCY_SIZE = 20
# Students written per round of inserts.
CHUNK = 250
ZONE = "Africa/Cairo"
SCENARIOS = ("etherapy-anxious", "home-visit-remote", "etherapy-chat", "ngo-advocacy-orphans")
FIRST = ("Sara", "Omar", "Mona", "Youssef", "Nour", "Karim", "Hana", "Ahmed", "Laila", "Tarek", "Salma", "Mahmoud",
         "سارة", "عمر", "منى", "يوسف", "نور", "كريم", "هناء", "أحمد", "ليلى", "طارق", "سلمى", "محمود")
LAST = ("Adel", "Nabil", "Hassan", "Samir", "Fawzy", "Mostafa", "Ibrahim", "Khalil",
        "عادل", "نبيل", "حسن", "سمير", "فوزي", "مصطفى", "إبراهيم", "خليل")
KINDS = list(vocab.ACTIVITY_TYPES)
RETURNED_COMMENT = "Please add the time kind."
ENTRY_COLUMNS = ("placement_id", "date", "start_time", "end_time", "minutes", "activity_type", "modality",
                 "meeting_link", "time_kind", "agency", "competencies", "client_code", "description", "reflection",
                 "status", "review_comment", "created_at", "updated_at", "submitted_at")
AUDIT_COLUMNS = ("at", "course_id", "placement_id", "entry_id", "actor_id", "via", "action", "changes", "comment")
ATTENDANCE_COLUMNS = ("session_id", "occurrence", "person_id", "minutes", "reported_name", "note", "recorded_by_id",
                      "created_at")
REFLECTION = "I contracted with the family before asking questions; the talk went more calmly."


@dataclass
class _Entry:
    placement: Placement
    date: object
    status: str
    reflection: bool
    written: datetime
    pk: int = None


@dataclass
class Made:
    """What was made: the program, its courses and the people the screens are looked at as."""

    program: Program
    courses: list
    large: Course
    coordinator: Actor
    academic: Actor  # the academic supervisor of the large course's first group of 60
    mentor: Actor  # the agency supervisor with 60 students in the large course
    student: Actor  # a student of the large course (and of the mentor)
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0


def course_sizes(n, courses=COURSES, group=GROUP):
    """How many students each course has: the large one first, the others sharing the rest evenly."""
    courses = max(1, min(courses, n))
    if courses == 1:
        return [n]
    large = min(n - (courses - 1), max(n // 10, group))
    rest, extra = divmod(n - large, courses - 1)
    return [large] + [rest + (1 if i < extra else 0) for i in range(courses - 1)]


def course_context(index):
    """The context id of the program's course `index` (the large one, 0, may be given another)."""
    return f"program-course-{index:02d}"


def _name(i):
    return f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]} {i:05d}"


class _Terms:
    """The two terms: the previous one ended, the current one under way (relative to today)."""

    def __init__(self, today):
        self.current_start = today - timedelta(days=120)
        self.current_end = today + timedelta(days=60)
        self.previous_start = self.current_start - timedelta(days=200)
        self.previous_end = self.current_start - timedelta(days=30)
        self.names = (self._name(self.previous_start), self._name(self.current_start))

    @staticmethod
    def _name(day):
        return f"{day.year}-{'spring' if day.month < 7 else 'fall'}"

    def of(self, current):
        return (self.current_start, self.current_end) if current else (self.previous_start, self.previous_end)


def _status(i, entries, current):
    """An entry's state by its place in the student's log (oldest first): reviewed long ago, waiting lately,
    drafts at the end of a running placement; a few returned or withdrawn."""
    share = i / entries
    if i % 41 == 7:
        return vocab.RETURNED
    if i % 59 == 11:
        return vocab.WITHDRAWN
    if current and share > 0.93:
        return vocab.DRAFT
    if current and share > 0.75:
        return vocab.SUBMITTED
    return vocab.COUNTERSIGNED if i % 3 else vocab.APPROVED


# The history the field log writes for each state (maydan.fieldlog.services), and who writes each step.
_STEPS = {
    vocab.DRAFT: ("create",),
    vocab.SUBMITTED: ("create", "submit"),
    vocab.APPROVED: ("create", "submit", "approve"),
    vocab.COUNTERSIGNED: ("create", "submit", "approve", "countersign"),
    vocab.RETURNED: ("create", "submit", "return"),
    vocab.WITHDRAWN: ("create", "submit", "withdraw"),
}
_AFTER = {"submit": vocab.SUBMITTED, "approve": vocab.APPROVED, "countersign": vocab.COUNTERSIGNED,
          "return": vocab.RETURNED, "withdraw": vocab.WITHDRAWN}


def _adapter(field):
    kind = field.get_internal_type()
    if kind == "JSONField":
        return json.dumps
    ops = connection.ops
    return {"DateField": ops.adapt_datefield_value, "TimeField": ops.adapt_timefield_value,
            "DateTimeField": ops.adapt_datetimefield_value}.get(kind)


class _Writer:
    def __init__(self, issuer, n, *, courses, entries, evaluations, simulations, group, today):
        self.issuer, self.n, self.entries, self.simulations, self.group = issuer, n, entries, simulations, group
        self.sizes = course_sizes(n, courses, group)
        self.terms = _Terms(today)
        self.today = today
        self.forms = list(content.library().forms.values())[:evaluations]
        self.counts = {}

    def insert(self, model, columns, rows):
        """Write plain rows (tuples of the `columns`' values) of the biggest tables without making model objects:
        PostgreSQL's COPY, or one executemany elsewhere. Ten times what bulk_create does per second."""
        fields = [model._meta.get_field(name) for name in columns]
        adapt = [_adapter(f) for f in fields]
        values = [tuple(a(v) if a and v is not None else v for a, v in zip(adapt, row)) for row in rows]
        table, names = model._meta.db_table, [f.column for f in fields]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                quoted = ", ".join(connection.ops.quote_name(n) for n in names)
                with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
            else:
                cursor.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})",
                                   values)
        self.counts[model.__name__] = self.counts.get(model.__name__, 0) + len(values)

    def add(self, model, rows, batch=2000):
        made = model.objects.bulk_create(rows, batch_size=batch)
        self.counts[model.__name__] = self.counts.get(model.__name__, 0) + len(made)
        return made

    # --- people, courses, agencies --------------------------------------------------------------------

    def person(self, subject, name):
        person, _created = Person.objects.get_or_create(issuer=self.issuer, subject=subject, defaults={"name": name})
        return person

    def skeleton(self, large_context, key_people):
        self.program, _created = Program.objects.get_or_create(issuer=self.issuer, key="main",
                                                               defaults={"title": "Field training programme"})
        contexts = [large_context] + [course_context(i) for i in range(1, len(self.sizes))]
        # Courses alternate between the terms; the large one is in the current term.
        self.current = [i % 2 == 0 for i in range(len(self.sizes))]
        self.courses = []
        for i, context in enumerate(contexts):
            course, _created = Course.objects.get_or_create(issuer=self.issuer, context_id=context, defaults={
                "title": f"Field Training {'II' if self.current[i] else 'I'} · group {i + 1:02d}",
                "time_zone": ZONE, "category_targets": {"direct": 200, "supervision": 24}})
            self.courses.append(course)
        self.add(ProgramCourse, [ProgramCourse(course=c, program=self.program) for c in self.courses
                                 if not ProgramCourse.objects.filter(course=c).exists()])
        self.coordinator = self.person(*key_people.get("coordinator", ("program-coordinator", "Amal Hassan")))
        self.key_people = key_people
        self.add(Membership, [Membership(course=c, person=self.coordinator, role=roles.COORDINATOR)
                              for c in self.courses])
        agencies = max(1, self.n // AGENCY_SIZE)
        self.program_agencies = self.add(ProgramAgency, [
            ProgramAgency(program=self.program, name=f"Agency {a + 1:04d}", fields=["family"], languages=["ar"],
                          agreement_starts=self.terms.previous_start, agreement_ends=self.terms.current_end
                          + timedelta(days=365 if a % 7 else 40)) for a in range(agencies)])
        self.openings = {}

    def opening(self, agency, term, capacity):
        key = (agency.pk, term)
        if key not in self.openings:
            self.openings[key] = self.add(Opening, [Opening(agency=agency, term=term, title=f"{agency.name} {term}",
                                                            capacity=capacity)])[0]
        return self.openings[key]

    # --- one course ----------------------------------------------------------------------------------

    def course(self, index, first_student):
        course, size, current = self.courses[index], self.sizes[index], self.current[index]
        starts, ends = self.terms.of(current)
        term = self.terms.names[current]
        key = self.key_people if index == 0 else {}
        students = self._people("student", first_student, size, key.get("students", ()))
        academics = self._staff(course, roles.ACADEMIC, index, (size + self.group - 1) // self.group,
                                key.get("academic"))
        # Agencies in groups of AGENCY_SIZE, but the first agency of the large course takes a whole group.
        bounds = [0, min(self.group, size)] if index == 0 else [0]
        while bounds[-1] < size:
            bounds.append(min(size, bounds[-1] + AGENCY_SIZE))
        spans = [(a, b) for a, b in itertools.pairwise(bounds) if a < b]
        mentors = self._staff(course, roles.AGENCY, index, len(spans), key.get("mentor"))
        program_agencies = [self.program_agencies[(first_student // AGENCY_SIZE + k) % len(self.program_agencies)]
                            for k in range(len(spans))]
        agencies = self.add(Agency, [Agency(course=course, name=p.name, kind="ngo") for p in program_agencies])
        self.add(Membership, [Membership(course=course, person=s, role=roles.STUDENT) for s in students])
        placements = []
        for k, (a, b) in enumerate(spans):
            for s in range(a, b):
                placements.append(Placement(
                    course=course, student=students[s], agency=agencies[k].name, host_agency=agencies[k],
                    academic_supervisor=academics[s // self.group], agency_supervisor=mentors[k],
                    starts_on=starts, ends_on=ends))
        placements = self.add(Placement, placements)
        for k, (a, b) in enumerate(spans):
            opening = self.opening(program_agencies[k], term, b - a)
            self.add(Offer, [Offer(opening=opening, course=course, student=p.student, status="accepted",
                                   placement=p) for p in placements[a:b]])
        if current:
            self.add(PlacementPreference, [
                PlacementPreference(course=course, student=p.student, program=self.program, term=term,
                                    ranking=[self.openings[(program_agencies[k].pk, term)].pk])
                for k, (a, b) in enumerate(spans) for p in placements[a:b]])
        self._sessions(course, placements, academics, starts, ends)
        for i in range(0, len(placements), CHUNK):
            self._work(course, placements[i:i + CHUNK], starts, ends, current)

    def _people(self, kind, first, count, known):
        known = list(known)
        made = [self.person(*known[i]) for i in range(min(count, len(known)))]
        return made + self.add(Person, [Person(issuer=self.issuer, subject=f"program-{kind}-{first + i:05d}",
                                               name=_name(first + i)) for i in range(len(made), count)])

    def _staff(self, course, role, index, count, known=None):
        kind = "academic" if role == roles.ACADEMIC else "mentor"
        people = self._people(f"{kind}-{index:02d}", 0, count, [known] if known else ())
        self.add(Membership, [Membership(course=course, person=p, role=role) for p in people])
        return people

    # --- sessions, attendance, visits ----------------------------------------------------------------

    def _sessions(self, course, placements, academics, starts, ends):
        weeks = max(1, (ends - starts).days // 7)
        sessions = self.add(Session, [Session(
            course=course, uid=f"program-{course.pk}-group-{g}@maydan", kind="group_supervision",
            title=f"Group supervision {g + 1}", start_date=starts + timedelta(days=1), start_time=time(18),
            time_zone=ZONE, minutes=90, rule=f"FREQ=WEEKLY;COUNT={weeks}", created_by=academic,
            meeting_link=f"https://meet.jit.si/maydan-{course.pk}-{g}") for g, academic in enumerate(academics)]
            + [Session(course=course, uid=f"program-{course.pk}-class@maydan", kind="online_class",
                       title="Online class", start_date=starts + timedelta(days=3), start_time=time(10),
                       time_zone=ZONE, minutes=60, rule=f"FREQ=WEEKLY;COUNT={weeks}")])
        through = Session.students.through
        rows, attendance = [], []
        for p_index, placement in enumerate(placements):
            group = p_index // self.group
            rows.append(through(session_id=sessions[group].pk, person_id=placement.student_id))
            for week in range(weeks):
                day = starts + timedelta(days=1 + 7 * week)
                if day >= self.today:
                    break
                if (p_index + week) % 9 == 0:  # missed one now and then
                    continue
                occurrence = recurrence.localize(datetime.combine(day, time(18)), ZONE)
                attendance.append((sessions[group].pk, occurrence, placement.student_id, 85, "", "",
                                   academics[group].pk, occurrence + timedelta(hours=2)))
        self.add(through, rows)
        self.insert(Attendance, ATTENDANCE_COLUMNS, attendance)
        visits = []
        for p_index, placement in enumerate(placements):
            academic = academics[p_index // self.group]
            day = starts + timedelta(days=30 + p_index % 40)
            if day < self.today:
                visits.append(SiteVisit(placement=placement, day=day, start_time=time(11), status=SiteVisit.RECORDED,
                                        met=["student", "agency_supervisor"], progress="on_track",
                                        scheduled_by=academic, recorded_by=academic, recorded_at=timezone.now()))
            later = self.today + timedelta(days=3 + p_index % 50)
            if later < placement.ends_on:
                visits.append(SiteVisit(placement=placement, day=later, start_time=time(10), kind="virtual",
                                        meeting_link="https://meet.jit.si/maydan-visit", scheduled_by=academic))
        self.add(SiteVisit, visits)

    # --- each student's work -------------------------------------------------------------------------

    def _work(self, course, placements, starts, ends, current):
        span = max(1, (min(ends, self.today) - starts).days)
        zone = timezone.get_current_timezone()
        entries, rows = [], []
        for placement in placements:
            for i in range(self.entries):
                day = starts + timedelta(days=i * span // self.entries)
                hour = 9 if i % 2 == 0 else 13
                status = _status(i, self.entries, current)
                kind = KINDS[i % len(KINDS)]
                written = datetime.combine(day, time(hour + 3), tzinfo=zone)
                entries.append(_Entry(placement, day, status, i % 15 == 4, written))
                rows.append((
                    placement.pk, day, time(hour), time(hour + 2), 120, kind, "remote" if i % 5 == 0 else "in_person",
                    "", "indirect" if kind in ("supervision", "training") else "direct", placement.agency,
                    [1 + i % 9, 1 + (i + 4) % 9] if i % 3 else [6], f"C-{i % 50:03d}",
                    f"Session with client C-{i % 50:03d}: follow-up.", REFLECTION if i % 15 == 4 else "", status,
                    RETURNED_COMMENT if status == vocab.RETURNED else "", written, written + timedelta(days=3),
                    None if status == vocab.DRAFT else written + timedelta(hours=5)))
        after = LogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        self.insert(LogEntry, ENTRY_COLUMNS, rows)
        tallies.rebuild([p.pk for p in placements])  # COPY passes by the ORM, which keeps them as entries change
        ids = LogEntry.objects.filter(id__gt=after, placement__in=[p.pk for p in placements]).order_by("id")
        for entry, pk in zip(entries, ids.values_list("id", flat=True), strict=True):
            entry.pk = pk
        self._history(course, entries)
        self._markings(entries, current)
        self._evaluations(placements, current)
        self._attempts(course, placements, current)

    def _history(self, course, entries):
        rows = []
        for entry in entries:
            placement = entry.placement
            before = vocab.DRAFT
            for step, action in enumerate(_STEPS[entry.status]):
                actor = (placement.student_id if action in ("create", "submit", "withdraw")
                         else placement.academic_supervisor_id if action == "countersign"
                         else placement.agency_supervisor_id)
                if action == "create":
                    changes = {"date": [None, entry.date.isoformat()], "minutes": [None, 120]}
                else:
                    changes = {"status": [before, _AFTER[action]]}
                    before = _AFTER[action]
                rows.append((entry.written + timedelta(days=step), course.pk, placement.pk, entry.pk, actor, "",
                             action, changes, RETURNED_COMMENT if action == "return" else ""))
        self.insert(AuditEvent, AUDIT_COLUMNS, rows)

    def _markings(self, entries, current):
        """Reflections graded and released, but for the last weeks' of a running placement."""
        recent = self.today - timedelta(days=40)
        self.add(Marking, [Marking(placement=e.placement, entry_id=e.pk, rubric=REFLECTION_RUBRIC,
                                   status=Marking.RELEASED, choices={}, score=0.8)
                           for e in entries if e.reflection and e.status in vocab.APPROVED_STATUSES
                           and not (current and e.date > recent)])

    def _evaluations(self, placements, current):
        sent = timezone.now() - timedelta(days=20)
        evaluations, sheets = [], []
        for p_index, placement in enumerate(placements):
            for f_index, form in enumerate(self.forms):
                values = {b.id: 3 + (p_index + k) % 3 for k, b in enumerate(form.framework.behaviours)}
                # The running term's last form is open: both sheets in for some, only the agency's for others.
                released = not current or f_index < len(self.forms) - 1
                evaluations.append(Evaluation(placement=placement, form=form.id,
                                              status=Evaluation.RELEASED if released else Evaluation.OPEN,
                                              final_values=values if released else {}, score=0.75 if released else None,
                                              released_at=sent if released else None))
                sheets.append((values, released or p_index % 3 == 0, released or p_index % 3 != 2))
        evaluations = self.add(Evaluation, evaluations)
        rows = []
        for evaluation, (values, academic_in, agency_in), in zip(evaluations, sheets):
            placement = evaluation.placement
            rows.append(Scoresheet(evaluation=evaluation, side="agency", values=values,
                                   author_id=placement.agency_supervisor_id, submitted_at=sent if agency_in else None))
            rows.append(Scoresheet(evaluation=evaluation, side="academic",
                                   values={k: max(1, v - 1) for k, v in values.items()},
                                   author_id=placement.academic_supervisor_id,
                                   submitted_at=sent if academic_in else None))
        self.add(Scoresheet, rows)

    def _attempts(self, course, placements, current):
        done = timezone.now() - timedelta(days=15)
        attempts = self.add(SimulationAttempt, [
            SimulationAttempt(course=course, student_id=p.student_id, scenario=SCENARIOS[n % len(SCENARIOS)],
                              number=1 + n // len(SCENARIOS), status="finished", node="end",
                              path=["start", "end"], score=0.5 + n / 10, competencies={"1": 0.5, "6": 0.75},
                              reflection="I asked before advising.", finished_at=done)
            for p in placements for n in range(self.simulations)])
        # Every debrief reflection graded, but the last attempt of one student in five in a running term.
        self.add(Marking, [
            Marking(placement=placements[j // self.simulations], attempt=a, rubric=REFLECTION_RUBRIC,
                    status=Marking.RELEASED, score=0.8)
            for j, a in enumerate(attempts)
            if not (current and (j // self.simulations) % 5 == 0 and j % self.simulations == self.simulations - 1)])


def build(n=5000, *, issuer="maydan-program", large_context=course_context(0), key_people=None, courses=COURSES,
          entries=150, evaluations=2, simulations=4, group=GROUP, today=None, say=print):
    """Write a program of `n` students (see the module's docstring); returns Made.

    key_people: {"coordinator": (subject, name), "academic": ..., "mentor": ..., "students": [(subject, name)]}:
    who the large course's coordinator, first academic supervisor, busiest agency supervisor and first
    students are (e.g. the demo's sandbox people), so they can sign in and look."""
    started = timer.perf_counter()
    writer = _Writer(issuer, n, courses=courses, entries=entries, evaluations=evaluations, simulations=simulations,
                     group=group, today=today or timezone.localdate())
    with transaction.atomic():
        writer.skeleton(large_context, key_people or {})
        first = 0
        for index, size in enumerate(writer.sizes):
            writer.course(index, first)
            first += size
            say(f"course {index + 1}/{len(writer.sizes)}: {size} students "
                f"({timer.perf_counter() - started:.0f} s)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh planner statistics for what was just written
            cursor.execute("ANALYZE")
    made = find(issuer, large_context)
    made.counts, made.seconds = writer.counts, timer.perf_counter() - started
    return made


def find(issuer, large_context=course_context(0)):
    """The Made of a program built before (None if there is none): its large course's people, as `build` says."""
    large = Course.objects.filter(issuer=issuer, context_id=large_context).first()
    if large is None or not Placement.objects.filter(course=large).exists():
        return None
    program = ProgramCourse.objects.select_related("program").get(course=large).program
    courses = list(Course.objects.filter(program_link__program=program).order_by("pk"))
    first = Placement.objects.filter(course=large).select_related("student", "academic_supervisor").earliest("pk")
    busiest = (Placement.objects.filter(course=large).values("agency_supervisor").annotate(n=Count("pk"))
               .order_by("-n", "agency_supervisor").first()["agency_supervisor"])
    coordinator = Membership.objects.select_related("person").filter(course=large, role=roles.COORDINATOR).first()

    def actor(person, role):
        return Actor(course=large, person=person, roles=frozenset({role}))

    return Made(program=program, courses=courses, large=large,
                coordinator=actor(coordinator.person, roles.COORDINATOR),
                academic=actor(first.academic_supervisor, roles.ACADEMIC),
                mentor=actor(Person.objects.get(pk=busiest), roles.AGENCY), student=actor(first.student, roles.STUDENT))
