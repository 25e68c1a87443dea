"""The field-training log: the only place its state changes.

Each service checks who may act, enforces the rules, writes the change and its audit
row in one transaction. Adapters call these and nothing else.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Case, Count, Max, Prefetch, Q, Sum, Value, When
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .. import audit, grades, people, roles, vocab
from . import hours, reads
from .reads import own_placement_beside  # noqa: F401 (the package's API)
from ..parse import parse_id
from .input import check_comment, clean_entry
from ..errors import Conflict, Forbidden, Invalid, NotFound, Refused
from ..models import AuditEvent, LogEntry, Placement

# --- who may see and do what ---------------------------------------------------------


def visible_placements(actor):
    """Placements this actor may read: course supervisors all, agency supervisors theirs, students their own."""
    course_placements = Placement.objects.filter(course=actor.course)
    visible = _visible(actor)
    if visible is None:
        return course_placements
    mine = Q(pk__in=[])
    for name, value in visible:
        mine |= Q(**{name: value})
    return course_placements.filter(mine)


def _visible(actor):
    """Which of the course's placements `actor` may read: None for every one, else [(field, value)], any of which
    holds (the one rule visible_placements and the first screen's read in SQL both follow)."""
    if actor.supervises_course:
        return None
    if actor.link_placement is not None:
        return [("id", actor.link_placement.pk)]
    person = getattr(actor.person, "pk", None)
    return [(name, person) for name, role in (("agency_supervisor", roles.AGENCY), ("student", roles.STUDENT))
            if actor.has(role)]


def placement_for(actor, placement_id=None):
    """The placement an actor works in: their own as a student, or one they may see."""
    if placement_id is None:
        if not actor.has(roles.STUDENT) or actor.person is None:
            raise NotFound(_("Choose a student first."))
        # The learning agreement and the agency supervisor come in the same query (or in the arrival's, on a launch):
        # the student's log shows them.
        placement = actor.own_placement or reads.own_placement(actor.course, actor.person)
        if placement is None:
            placement, _created = Placement.objects.select_related("agreement").get_or_create(
                course=actor.course, student=actor.person)
            placement.course = actor.course  # the same row, already loaded: the hours target reads it
        return placement
    message = _("This placement does not exist or is not yours to see.")
    try:
        return visible_placements(actor).select_related("student", "course").get(pk=parse_id(placement_id, message))
    except Placement.DoesNotExist:
        raise NotFound(message)


def _may_review(actor, placement):
    """Agency review (approve/return): the placement's agency supervisor, its link, or a course supervisor."""
    if actor.supervises_course:
        return True
    if actor.link_placement is not None:
        return actor.link_placement.pk == placement.pk
    return actor.has(roles.AGENCY) and placement.agency_supervisor_id == getattr(actor.person, "pk", None)


def _entry_for_update(actor, entry_id):
    message = _("This entry does not exist.")
    try:
        entry = LogEntry.objects.select_for_update().select_related("placement__course").get(
            pk=parse_id(entry_id, message), placement__course=actor.course
        )
    except LogEntry.DoesNotExist:
        raise NotFound(message)
    if not visible_placements(actor).filter(pk=entry.placement_id).exists():
        raise NotFound(_("This entry does not exist."))
    return entry


def _own_entry(actor, entry_id):
    entry = _entry_for_update(actor, entry_id)
    if not actor.has(roles.STUDENT) or entry.placement.student_id != actor.person.pk:
        raise Forbidden(_("Only the student who wrote an entry may change it."))
    return entry


def _require_status(entry, allowed, message):
    if entry.status not in allowed:
        raise Conflict(message)


# --- student ---------------------------------------------------------------------------

_ENTRY_FIELDS = (
    "date", "start_time", "end_time", "minutes", "activity_type", "modality", "meeting_link",
    "time_kind", "agency", "competencies", "client_code", "description", "reflection",
)


@transaction.atomic
def save_entry(actor, data, *, entry_id=None, submit=False):
    """Create or change a draft (or a returned entry), optionally submitting it at once."""
    if not actor.has(roles.STUDENT):
        raise Forbidden(_("Only students keep a field log."))
    if entry_id:
        entry = _own_entry(actor, entry_id)
        _require_status(entry, vocab.EDITABLE_STATUSES, _("This entry is locked: it was submitted or approved."))
        placement = entry.placement
    else:
        entry = None
        placement = placement_for(actor)
    # Lock the placement so two saves cannot both pass the overlap check.
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    clean = clean_entry(data, time_zone=actor.course.time_zone)
    clean["agency"] = clean["agency"] or placement.agency
    _check_overlap(placement, clean, exclude=entry)

    before = {f: getattr(entry, f) for f in _ENTRY_FIELDS} if entry else {}
    if entry is None:
        entry = LogEntry(placement=placement, **clean)
    else:
        for field, value in clean.items():
            setattr(entry, field, value)
        if entry.status == vocab.RETURNED:
            entry.status = vocab.DRAFT
    entry.save()
    if clean["agency"] and not placement.agency:
        placement.agency = clean["agency"]
        placement.save(update_fields=["agency"])
    audit.record(actor, "edit" if before else "create", entry=entry, changes=audit.diff(before, clean))
    if submit:
        _submit(actor, entry)
    return entry


def _check_overlap(placement, clean, exclude):
    same_day = placement.entries.filter(date=clean["date"]).exclude(status=vocab.WITHDRAWN)
    if exclude is not None:
        same_day = same_day.exclude(pk=exclude.pk)
    _refuse_overlap(clean, same_day)


def _refuse_overlap(clean, others):
    """Invalid if the clean entry overlaps one of `others` (same day, not withdrawn): a timed entry may not
    overlap a timed one, and entries logged as a duration must fit in the time the timed ones leave free
    (hours.free_minutes)."""
    others = list(others)
    timed = clean["start_time"] and clean["end_time"]
    for other in others if timed else ():
        if other.start_time and other.end_time and hours.overlaps(
                clean["start_time"], clean["end_time"], other.start_time, other.end_time):
            message = _("This overlaps another entry on the same day (%(start)s–%(end)s).") % {
                "start": other.start_time.strftime("%H:%M"),
                "end": other.end_time.strftime("%H:%M"),
            }
            raise Invalid(message, {"start_time": [message]})
    entries = [(e.start_time, e.end_time, e.minutes) for e in others] + \
              [(clean["start_time"], clean["end_time"], clean["minutes"])]
    free = hours.free_minutes((start, end) for start, end, _m in entries)
    untimed = sum(minutes or 0 for start, end, minutes in entries if not (start and end))
    if untimed > free:
        message = _("This day cannot hold it: entries logged as a duration must fit in the time the day's "
                    "timed entries leave free (%(free)s of 24 hours; these durations take %(taken)s).") % {
            "free": formats.localize(hours.hours(max(free, 0))), "taken": formats.localize(hours.hours(untimed))}
        raise Invalid(message, {"start_time" if timed else "duration": [message]})


def _submit(actor, entry):
    entry.status = vocab.SUBMITTED
    entry.submitted_at = timezone.now()
    entry.save(update_fields=["status", "submitted_at", "updated_at"])
    audit.record(actor, "submit", entry=entry, changes={"status": [vocab.DRAFT, vocab.SUBMITTED]})


@transaction.atomic
def submit_entry(actor, entry_id):
    entry = _own_entry(actor, entry_id)
    _require_status(entry, vocab.EDITABLE_STATUSES, _("This entry was already submitted."))
    _submit(actor, entry)
    return entry


@transaction.atomic
def submit_week(actor, day):
    """Submit every draft of the ISO week (Monday to Sunday) that contains `day`."""
    placement = placement_for(actor)
    drafts = list(
        placement.entries.select_for_update().filter(status__in=vocab.EDITABLE_STATUSES, date__range=_week(day))
    )
    if not drafts:
        raise Invalid(_("There are no drafts to submit in that week."))
    for entry in drafts:
        _submit(actor, entry)
    return drafts


@transaction.atomic
def withdraw_entry(actor, entry_id):
    """A student takes back an entry not yet approved; it stays on record as withdrawn."""
    entry = _own_entry(actor, entry_id)
    _require_status(
        entry, {vocab.DRAFT, vocab.SUBMITTED, vocab.RETURNED}, _("An approved entry cannot be withdrawn.")
    )
    old = entry.status
    entry.status = vocab.WITHDRAWN
    entry.save(update_fields=["status", "updated_at"])
    audit.record(actor, "withdraw", entry=entry, changes={"status": [old, vocab.WITHDRAWN]})
    return entry


# --- supervisors -----------------------------------------------------------------------


@transaction.atomic
def credit_entries(actor, credits, *, action="credit"):
    """A course supervisor records time in students' logs for them (e.g. a supervision session
    they attended): one entry per (placement, form data, audit context).

    Each entry follows every rule of a student's own entry and waits for confirmation like a
    submitted one. Returns, per item, the entry or the reason it was refused (e.g. it overlaps
    time the student already logged); the others are written. The placements are locked and
    read, and the entries and audit rows written, in a fixed number of queries however many.
    """
    if not actor.supervises_course:
        raise Forbidden(_("Only the academic supervisor or the field coordinator may credit hours."))
    placements = Placement.objects.select_for_update().filter(
        course=actor.course, pk__in=[placement.pk for placement, _data, _context in credits]).in_bulk()
    cleaned, days = [], set()
    for placement, data, context in credits:
        try:
            clean = clean_entry(data, time_zone=actor.course.time_zone)
        except Invalid as refusal:
            cleaned.append(refusal)
            continue
        placement = placements[placement.pk]
        if refusal := people.own_work(actor, placement.student_id):
            cleaned.append(refusal)
            continue
        clean["agency"] = clean["agency"] or placement.agency
        cleaned.append((placement, clean, context))
        days.add(clean["date"])
    same_day = {}
    for other in LogEntry.objects.filter(placement__in=list(placements), date__in=days).exclude(
            status=vocab.WITHDRAWN):
        same_day.setdefault((other.placement_id, other.date), []).append(other)
    results, entries = [], []
    now = timezone.now()
    for item in cleaned:
        if isinstance(item, (Invalid, Forbidden)):
            results.append(item)
            continue
        placement, clean, context = item
        others = same_day.setdefault((placement.pk, clean["date"]), [])
        try:
            _refuse_overlap(clean, others)
        except Invalid as refusal:
            results.append(refusal)
            continue
        entry = LogEntry(placement=placement, status=vocab.SUBMITTED, submitted_at=now, **clean)
        others.append(entry)  # two credits for one student on one day may not overlap either
        entries.append((entry, clean, context))
        results.append(entry)
    LogEntry.objects.bulk_create([entry for entry, _clean, _context in entries])
    audit.record_many(actor, action, [
        {"entry": entry, "changes": {**audit.diff({}, clean), **(context or {})}} for entry, clean, context in entries
    ])
    return results


def _course_supervisor(actor, placement):
    return actor.supervises_course


def _review(actor, entry_id, new_status, *, may, forbidden, allowed, refuse, comment, comment_required, action):
    entry = _entry_for_update(actor, entry_id)
    if not may(actor, entry.placement):
        raise Forbidden(forbidden)
    people.refuse_own_work(actor, entry.placement.student_id)
    comment = check_comment(comment, required=comment_required)
    _require_status(entry, allowed, refuse)
    old = entry.status
    entry.status = new_status
    entry.review_comment = comment
    entry.save(update_fields=["status", "review_comment", "updated_at"])
    audit.record(actor, action, entry=entry, changes={"status": [old, new_status]}, comment=comment)
    if (old in vocab.APPROVED_STATUSES) != (new_status in vocab.APPROVED_STATUSES):
        grades.queue_fieldlog_grade(entry.placement, progress(entry.placement).score)
    return entry


@transaction.atomic
def approve_entry(actor, entry_id, comment=""):
    return _review(
        actor, entry_id, vocab.APPROVED, may=_may_review, allowed={vocab.SUBMITTED},
        forbidden=_("Only this student's agency supervisor may approve their entries."),
        refuse=_("Only entries waiting for approval can be approved."),
        comment=comment, comment_required=False, action="approve",
    )


@transaction.atomic
def return_entry(actor, entry_id, comment):
    return _review(
        actor, entry_id, vocab.RETURNED, may=_may_review, allowed={vocab.SUBMITTED},
        forbidden=_("Only this student's agency supervisor may return their entries."),
        refuse=_("Only entries waiting for approval can be returned."),
        comment=comment, comment_required=True, action="return",
    )


@transaction.atomic
def countersign_entry(actor, entry_id, comment=""):
    return _review(
        actor, entry_id, vocab.COUNTERSIGNED, may=_course_supervisor, allowed={vocab.APPROVED},
        forbidden=_("Only the academic supervisor may countersign."),
        refuse=_("Only entries approved by the agency can be countersigned."),
        comment=comment, comment_required=False, action="countersign",
    )


@transaction.atomic
def reopen_entry(actor, entry_id, reason):
    """The academic supervisor sends an approved entry back to the student, with a reason."""
    return _review(
        actor, entry_id, vocab.RETURNED, may=_course_supervisor, allowed=vocab.APPROVED_STATUSES,
        forbidden=_("Only the academic supervisor may reopen an approved entry."),
        refuse=_("Only approved entries can be reopened."),
        comment=reason, comment_required=True, action="reopen",
    )


@dataclass
class Batch:
    """What a bulk sign-off did: the entries signed, and each one refused with its reason."""

    done: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (entry id, message)


def _each(actor, entry_ids, service):
    """Run a single-entry service on each entry, so each keeps its own checks and audit row.

    Each entry is its own savepoint: one refused entry leaves the others signed and itself untouched.
    """
    batch = Batch()
    for entry_id in entry_ids:
        try:
            batch.done.append(service(actor, entry_id))
        except Refused as refusal:
            batch.refused.append((entry_id, str(refusal.message)))
    return batch


def _entry_ids(values):
    try:
        ids = sorted({int(value) for value in values})
    except (TypeError, ValueError):
        raise Invalid(_("Choose entries from the list."), {"entries": [_("Choose entries from the list.")]})
    if not ids:
        raise Invalid(_("Choose at least one entry."), {"entries": [_("Choose at least one entry.")]})
    return ids


def _week_ids(actor, placement_id, day, status):
    placement = placement_for(actor, placement_id)
    if not isinstance(day, date):
        raise Invalid(_("Choose a day of the week."), {"week": [_("Choose a day of the week.")]})
    ids = list(placement.entries.filter(status=status, date__range=_week(day)).values_list("pk", flat=True))
    if not ids:
        raise Invalid(_("Nothing in that week waits for you."), {"week": [_("Nothing in that week waits for you.")]})
    return placement, ids


@transaction.atomic
def approve_week(actor, placement_id, day):
    """The agency supervisor approves every entry of one ISO week waiting for them, in one action."""
    placement, ids = _week_ids(actor, placement_id, day, vocab.SUBMITTED)
    if not _may_review(actor, placement):
        raise Forbidden(_("Only this student's agency supervisor may approve their entries."))
    return _each(actor, ids, approve_entry)


@transaction.atomic
def countersign_entries(actor, entry_ids):
    """The academic supervisor countersigns the chosen entries; those the agency has not approved are refused."""
    if not actor.supervises_course:
        raise Forbidden(_("Only the academic supervisor may countersign."))
    return _each(actor, _entry_ids(entry_ids), countersign_entry)


@transaction.atomic
def countersign_week(actor, placement_id, day):
    """Countersign every entry of one student's ISO week that the agency has approved."""
    if not actor.supervises_course:
        raise Forbidden(_("Only the academic supervisor may countersign."))
    _placement, ids = _week_ids(actor, placement_id, day, vocab.APPROVED)
    return _each(actor, ids, countersign_entry)


# --- reading -----------------------------------------------------------------------------


def target_hours(placement):
    course = placement.course
    return placement.target_hours or course.target_hours or hours.DEFAULT_TARGET_HOURS.get(course.program, 400)


_GROUP = Case(
    When(status__in=vocab.APPROVED_STATUSES, then=Value("approved")),
    When(status=vocab.SUBMITTED, then=Value("pending")),
    When(status=vocab.RETURNED, then=Value("returned")),
    default=Value(""),
)


_GROUP_OF = {**{status: "approved" for status in vocab.APPROVED_STATUSES},
             vocab.SUBMITTED: "pending", vocab.RETURNED: "returned"}  # _GROUP, for entries already loaded


def progress(placement, entries=None):
    """The placement's hours bars. `entries`: every entry of the placement, when the screen has
    them loaded already (they are summed here rather than asked of the database again)."""
    if entries is None:
        rows = (
            placement.entries.annotate(group=_GROUP)
            .exclude(group="")
            .values("group", "time_kind", "activity_type")
            .annotate(minutes=Sum("minutes"))
        )
        grouped = ((r["group"], (r["time_kind"], r["activity_type"]), r["minutes"]) for r in rows)
    else:
        grouped = ((_GROUP_OF[e.status], (e.time_kind, e.activity_type), e.minutes)
                   for e in entries if e.status in _GROUP_OF)
    return hours.progress(grouped, target_hours(placement), placement.course.category_targets)


def _week(day):
    monday = day - timedelta(days=day.weekday())
    return (monday, monday + timedelta(days=6))


def overview(actor, *, student="", status="", week=None):
    """Every visible placement with its hour totals. Unfiltered (every supervisor's first screen), in one query
    written out in SQL: the placements with their students and their sums as kept (maydan.tallies). Filtered, in
    two: the placements, then their entries' minutes, counts and last day per placement and status, summed in the
    database (the week's sums are kept nowhere)."""
    visible = _visible(actor)
    if not (student or status or week) and all(value is not None for _name, value in visible or ()):
        rows = reads.placements_with_sums(actor.course, visible)
        for row in rows:
            _fill(row, *row.sums, actor.course)
        return rows
    placements = visible_placements(actor).select_related("student")
    if student:
        placements = placements.filter(Q(student__name__icontains=student) | Q(student__subject=student))
    if status or week:
        matching = LogEntry.objects.filter(placement__course=actor.course)
        matching = matching.filter(status=status) if status else matching
        matching = matching.filter(date__range=_week(week)) if week else matching
        placements = placements.filter(pk__in=matching.values("placement_id"))
    rows = list(placements.order_by("student__name", "student__subject"))
    # A long list is named by its query rather than thousands of ids.
    entries_ = LogEntry.objects.filter(placement__in=[row.pk for row in rows] if len(rows) <= 500
                                       else placements.values("pk")).order_by()
    totals = _totals_by_status(entries_.filter(date__range=_week(week)) if week else entries_)
    last_days = _totals_by_status(entries_) if week else totals  # the last entry whatever the week
    for row in rows:
        of = totals.get(row.pk, {})
        _fill(row, sum(of[s][0] for s in vocab.APPROVED_STATUSES if s in of), *of.get(vocab.SUBMITTED, (0, 0))[:2],
              of.get(vocab.RETURNED, (0,))[0], of.get(vocab.APPROVED, (0, 0))[1],
              max((t[2] for s, t in last_days.get(row.pk, {}).items() if s != vocab.WITHDRAWN), default=None),
              actor.course)
    return rows


def _fill(row, approved, pending, waiting, returned, to_countersign, last_entry, course):
    """An overview row's figures (reads.SUMS, in order)."""
    row.approved_minutes, row.pending_minutes, row.waiting = approved, pending, waiting
    row.returned_minutes, row.to_countersign, row.last_entry = returned, to_countersign, last_entry
    row.course = course  # already loaded: spares one query per row in target_hours()
    row.target = target_hours(row)
    row.percent = hours.percent(row.approved_minutes, row.target)
    row.approved_hours, row.pending_hours, row.returned_hours = (
        hours.hours(m) for m in (row.approved_minutes, row.pending_minutes, row.returned_minutes)
    )


def _totals_by_status(entries_):
    """{placement id: {status: (minutes, entries, last day)}} of these entries."""
    totals = {}
    for placement_id, status, minutes, count, last in (
            entries_.values_list("placement_id", "status").annotate(Sum("minutes"), Count("pk"), Max("date"))):
        totals.setdefault(placement_id, {})[status] = (minutes or 0, count, last)
    return totals


def entries(actor, placement, *, status=None, week=None, with_history=True):
    """The entries of one placement this actor may see, newest first, with their history unless the caller
    reads it its own way (the log's cards read it as plain rows; these then come in SQL written out: reads.py)."""
    only, leave_out = status, ()
    if actor.link_placement is not None:
        # A link is single-purpose: it opens the entries waiting for the agency's approval.
        if status and status != vocab.SUBMITTED:
            return []
        only = vocab.SUBMITTED
    elif actor.has(roles.AGENCY) and not actor.supervises_course:
        # Agency supervisors review what was submitted to them, not the student's drafts.
        leave_out = (vocab.DRAFT, vocab.WITHDRAWN)
    week = _week(week) if week is not None else None
    if not with_history:
        return reads.entries(placement, status=only, leave_out=leave_out, week=week)
    qs = placement.entries.prefetch_related(Prefetch(
        "audit", queryset=AuditEvent.objects.filter(action__in=vocab.AUDIT_ACTIONS).select_related("actor")))
    qs = qs.filter(status=only) if only else qs
    qs = qs.exclude(status__in=leave_out) if leave_out else qs
    return list(qs.filter(date__range=week) if week else qs)


def history(entry):
    return list(entry.audit.select_related("actor"))
