"""The daily run: digests (what waits for whom) and reminders (what is due), read from the records as they
are, one e-mail per person, kind and period. Run twice the same day, it writes nothing the second time.

Queries are a fixed number per course, whatever the number of people: everything is read in bulk, grouped
here, and written with one insert.
"""
from collections import defaultdict
from datetime import timedelta

from django.db.models import Max, Min
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import roles, vocab
from ..fieldlog import links
from ..models import AgencyLink, AuditEvent, Course, LogEntry, Membership, Placement
from . import messages, rules, services
from .models import Notification, Preference


class Batch:
    """Rows to write for one run: filtered by preferences and by what is already written, then inserted."""

    def __init__(self):
        self.specs = []

    def add(self, **spec):
        if spec.get("address"):
            self.specs.append(spec)

    def write(self, today_of):
        if not self.specs:
            return 0
        addresses = {spec["address"].lower() for spec in self.specs}
        chosen = {(a, k): c for a, k, c in Preference.objects.filter(address__in=addresses)
                  .values_list("address", "kind", "cadence")}
        now, rows = timezone.now(), []
        for spec in self.specs:
            address = spec["address"].lower()
            cadence = chosen.get((address, spec["kind"]), rules.default_cadence(spec["kind"]))
            today = today_of(spec["course"])
            if cadence == "never":
                continue
            if spec["kind"] in rules.DIGESTS:
                cadence = "daily" if cadence == "now" else cadence  # a digest is read from the day's records
                if not rules.digest_runs_today(cadence, today):
                    continue
                period = rules.period(cadence, today)
            else:
                period = spec["period"]
            rows.append(Notification(
                key=rules.key(spec["kind"], address, spec["about"], period), course=spec["course"],
                recipient=spec.get("recipient"), address=address, kind=spec["kind"], reason=spec["reason"],
                language=spec["course"].language, subject=spec["subject"][:255], content=spec["content"],
                due_at=now))
        keys = set(Notification.objects.filter(key__in=[row.key for row in rows]).values_list("key", flat=True))
        fresh = {row.key: row for row in rows if row.key not in keys}
        Notification.objects.bulk_create(fresh.values(), ignore_conflicts=True)
        return len(fresh)


def run(today=None, courses=None):
    """Write every digest and reminder due today (of `courses`, a queryset, or all); how many e-mails were written."""
    batch = Batch()
    courses = list(Course.objects.all() if courses is None else courses)
    days = {course.pk: today or services.today_in(course) for course in courses}
    by_pk = {course.pk: course for course in courses}
    _agency_digest(batch, by_pk)
    _academic_digest(batch, by_pk)
    for course in courses:
        _log_reminders(batch, course, days[course.pk])
        _evaluation_reminders(batch, course, days[course.pk])
        _quiet_agencies(batch, course, days[course.pk])
        _coordinator_digest(batch, course, days[course.pk])
    _agreements_ending(batch, courses, days)
    return batch.write(lambda course: days[course.pk])


def _agreements_ending(batch, courses, days):
    from ..program import reminders  # the program's reminders; the program knows no digests

    reminders.agreements_ending(batch, courses, lambda course: days[course.pk])


def _people_entries(entries, recipients_of):
    """{(course pk, address): (person or None, [entries])} from entries and a placement → addresses map."""
    grouped = defaultdict(lambda: [None, []])
    for entry in entries:
        for address, person in recipients_of(entry.placement):
            slot = grouped[(entry.placement.course_id, address)]
            slot[0] = slot[0] or person
            slot[1].append(entry)
    return grouped


def _active_links(placement_ids):
    found = defaultdict(list)
    for link in (AgencyLink.objects.filter(placement_id__in=placement_ids, revoked_at__isnull=True,
                                           expires_at__gt=timezone.now()).exclude(email="").order_by("-created_at")):
        if all(other.email != link.email for other in found[link.placement_id]):
            found[link.placement_id].append(link)
    return found


def _waiting(status, courses):
    return list(LogEntry.objects.filter(status=status, placement__course__in=list(courses))
                .select_related("placement__student", "placement__agency_supervisor",
                                "placement__academic_supervisor")
                .order_by("placement__student__name", "date", "id"))


def _agency_digest(batch, courses):
    entries = _waiting(vocab.SUBMITTED, courses)
    link_map = _active_links({entry.placement_id for entry in entries})

    def recipients(placement):
        found = [(link.email, None) for link in link_map.get(placement.pk, [])]
        person = placement.agency_supervisor
        return found + ([(person.email, person)] if person and person.email else [])

    url_of = {}
    for (course_pk, address), (person, waiting) in _people_entries(entries, recipients).items():
        course = courses[course_pk]
        with translation.override(course.language):
            items = []
            for entry in waiting:
                link = next((lk for lk in link_map.get(entry.placement_id, []) if lk.email == address), None)
                if link is not None and link.pk not in url_of:
                    url_of[link.pk] = links.url_for(links.token_for(link))  # the log, where entries wait
                items.append({"text": f"{entry.placement.student.name or '—'} · "
                                      f"{messages.entry_line(entry, course.language)}",
                              "url": url_of.get(link.pk, "") if link else ""})
            batch.add(kind="agency_digest", address=address, recipient=person, course=course, about=f"course:{course_pk}",
                      reason="entries waiting for approval",
                      subject=_("%(count)d field log entries wait for your approval") % {"count": len(waiting)},
                      content={"intro": _("These entries of your students in %(course)s wait for you to approve "
                                          "or return them.") % {"course": course.title}, "items": items})


def _academic_digest(batch, courses):
    """Entries the agency approved, waiting for countersignature, and process recordings waiting for a grade."""
    from ..grading.models import Marking, ProcessRecording

    entries = _waiting(vocab.APPROVED, courses)
    recordings = list(ProcessRecording.objects.filter(status=ProcessRecording.SUBMITTED,
                                                      placement__course__in=list(courses))
                      .exclude(markings__status=Marking.RELEASED)
                      .select_related("placement__student", "placement__academic_supervisor")
                      .order_by("placement__student__name", "date", "id"))
    academics = defaultdict(list)
    for membership in Membership.objects.filter(role=roles.ACADEMIC, course__in=list(courses)).exclude(
            person__email="").select_related("person"):
        academics[membership.course_id].append(membership.person)

    def recipients(placement):
        person = placement.academic_supervisor
        people = [person] if person else academics.get(placement.course_id, [])
        return [(p.email, p) for p in people if p.email]

    to_sign = _people_entries(entries, recipients)
    to_grade = _people_entries(recordings, recipients)
    for course_pk, address in set(to_sign) | set(to_grade):
        course = courses[course_pk]
        person, waiting = to_sign.get((course_pk, address), (None, []))
        person, written = (person or to_grade.get((course_pk, address), (None, []))[0],
                           to_grade.get((course_pk, address), (None, []))[1])
        with translation.override(course.language):
            items = [{"text": f"{e.placement.student.name or '—'} · {messages.entry_line(e, course.language)}"}
                     for e in waiting]
            items += [{"text": _("%(student)s · process recording of %(day)s · %(code)s") % {
                "student": r.placement.student.name or "—", "day": messages.day(r.date, course.language),
                "code": r.client_code}} for r in written]
            batch.add(kind="academic_digest", address=address, recipient=person, course=course,
                      about=f"course:{course_pk}", reason="entries to countersign, work to grade",
                      subject=_("Waiting for you: %(sign)d entries to countersign, %(grade)d recordings to grade") % {
                          "sign": len(waiting), "grade": len(written)},
                      content={"intro": _("In %(course)s, the agency approved these entries and they wait for your "
                                          "countersignature; submitted process recordings wait for a grade.") % {
                                              "course": course.title}, "items": items})


def _log_reminders(batch, course, today):
    """The day before the weekly deadline, students whose week has no submitted entry."""
    if not rules.log_reminder_due(today):
        return
    deadline = rules.log_deadline(today)
    start = deadline - timedelta(days=6)
    done = LogEntry.objects.filter(placement__course=course, date__range=(start, deadline),
                                   status__in=(vocab.SUBMITTED, *vocab.APPROVED_STATUSES)).values("placement_id")
    with translation.override(course.language):
        day = messages.day(deadline, course.language)
        for placement in (Placement.objects.filter(course=course).exclude(pk__in=done).exclude(student__email="")
                          .select_related("student")):
            batch.add(kind="log_reminder", address=placement.student.email, recipient=placement.student,
                      course=course, about=f"placement:{placement.pk}", period=f"week:{start.isoformat()}",
                      reason="no entry submitted this week",
                      subject=_("Field log: submit this week's entries by %(day)s") % {"day": day},
                      content={"intro": _("You have not submitted any entry for this week in %(course)s yet. "
                                          "The week's entries are due on %(day)s.") % {
                                              "course": course.title, "day": day}})


def _evaluation_reminders(batch, course, today):
    """Both supervisors, 3 days before an evaluation is due and the day after it is overdue, for the students
    whose evaluation is not released yet."""
    from ..grading import services as grading
    from ..models import Evaluation

    for form, due_on in grading.due_dates(course):
        moment = rules.evaluation_reminder(due_on, today)
        if moment is None:
            continue
        released = Evaluation.objects.filter(placement__course=course, form=form.id,
                                             status=Evaluation.RELEASED).values("placement_id")
        placements = list(Placement.objects.filter(course=course).exclude(pk__in=released)
                          .select_related("student", "academic_supervisor", "agency_supervisor"))
        link_map = _active_links([p.pk for p in placements])
        academics = _academics(course)
        students = defaultdict(lambda: [None, []])
        for placement in placements:
            supervisors = ([placement.academic_supervisor] if placement.academic_supervisor_id else academics) + [
                placement.agency_supervisor]
            people = [(p.email, p) for p in supervisors if p and p.email] + [
                (link.email, None) for link in link_map.get(placement.pk, [])]
            for address, person in people:
                students[address][0] = students[address][0] or person
                students[address][1].append(placement.student.name or "—")
        with translation.override(course.language):
            title = form.title.get(course.language) or form.title.get("en", form.id)
            day = messages.day(due_on, course.language)
            subject = (_("Evaluation due in 3 days: %(form)s (%(day)s)") if moment == "soon" else
                       _("Evaluation overdue since %(day)s: %(form)s")) % {"form": title, "day": day}
            for address, (person, names) in students.items():
                batch.add(kind="evaluation_reminder", address=address, recipient=person, course=course,
                          about=f"evaluation:{form.id}", period=f"{moment}:{due_on.isoformat()}",
                          reason=f"evaluation {moment}", subject=subject,
                          content={"intro": _("The %(form)s evaluation in %(course)s is not complete for these "
                                              "students:") % {"form": title, "course": course.title},
                                   "items": [{"text": name} for name in sorted(names)]})


def _academics(course):
    """The course's academic supervisors with an address: who hears of a placement that names none."""
    return [m.person for m in Membership.objects.filter(course=course, role=roles.ACADEMIC)
            .exclude(person__email="").select_related("person")]


def _quiet_agencies(batch, course, today):
    """Tell the academic supervisor of placements where entries have waited a week and the agency approved
    nothing for 7 days."""
    waiting = dict(LogEntry.objects.filter(placement__course=course, status=vocab.SUBMITTED)
                   .values("placement_id").annotate(first=Min("submitted_at")).values_list("placement_id", "first"))
    if not waiting:
        return
    approved = dict(AuditEvent.objects.filter(course=course, action="approve", placement_id__in=list(waiting))
                    .values("placement_id").annotate(last=Max("at")).values_list("placement_id", "last"))
    zone = services.local_now(course).tzinfo
    quiet = [pk for pk, first in waiting.items() if first and rules.quiet_since(
        approved[pk].astimezone(zone).date() if pk in approved else None, first.astimezone(zone).date(), today)]
    if not quiet:
        return
    academics = _academics(course)
    found = defaultdict(lambda: [None, []])
    for placement in Placement.objects.filter(pk__in=quiet).select_related("student", "academic_supervisor"):
        for person in ([placement.academic_supervisor] if placement.academic_supervisor_id else academics):
            if person.email:
                found[person.email][0] = person
                found[person.email][1].append(placement)
    week = rules.week_start(today).isoformat()
    with translation.override(course.language):
        for address, (person, placements) in found.items():
            batch.add(kind="agency_quiet", address=address, recipient=person, course=course,
                      about=f"course:{course.pk}", period=f"week:{week}", reason="no approval for 7 days",
                      subject=_("No approvals from the agency for 7 days"),
                      content={"intro": _("Entries of these students in %(course)s have waited more than a week "
                                          "and their agency supervisor approved nothing for 7 days. You may "
                                          "re-send the link or call the agency.") % {"course": course.title},
                               "items": [{"text": p.student.name or "—"} for p in placements]})


def _coordinator_digest(batch, course, today):
    """The coordinator's weekly digest of the cohort dashboard's alerts."""
    from ..cohort import dashboard, screens
    from ..people import Actor

    coordinators = [m.person for m in Membership.objects.filter(course=course, role=roles.COORDINATOR)
                    .exclude(person__email="").select_related("person")]
    if not coordinators or not rules.digest_runs_today("weekly", today) and not Preference.objects.filter(
            address__in=[p.email.lower() for p in coordinators], kind="coordinator_digest",
            cadence="daily").exists():
        return
    actor = Actor(course=course, person=coordinators[0], roles=frozenset({roles.COORDINATOR}))
    flagged = [row for row in dashboard.rows(actor, status="alerts", today=today)]
    if not flagged:
        return
    with translation.override(course.language):
        items = [{"text": f"{row.placement.student.name or '—'}: " + ", ".join(
            _(screens.ALERT_LABELS[kind]) for kind in row.alerts.kinds)} for row in flagged]
        for person in coordinators:
            batch.add(kind="coordinator_digest", address=person.email, recipient=person, course=course,
                      about=f"course:{course.pk}", reason="dashboard alerts",
                      subject=_("Cohort alerts in %(course)s: %(count)d students") % {
                          "course": course.title, "count": len(flagged)},
                      content={"intro": _("The cohort dashboard flags these students:"), "items": items})
