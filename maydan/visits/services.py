"""Site visits: the faculty liaison schedules, records and cancels them; the cohort and the calendar read them.

Each service checks who may act, enforces the rules and writes the change with its audit row in one
transaction. Course supervisors (academic supervisors, the coordinator) visit; students and agency
supervisors see their visits in their calendar feed; the record's free text goes through the privacy guard.
"""
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, parse, roles
from ..fieldlog.input import check_text, today_in
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..fieldlog import placement_for
from ..sessions import recurrence
from ..sessions.services import meeting_link_problem
from . import rules
from .models import SiteVisit

TEXTS = ("progress_note", "concerns", "actions")


def may_visit(actor):
    return actor.supervises_course and actor.link_placement is None


def _require_liaison(actor):
    if not may_visit(actor):
        raise Forbidden(_("Only the academic supervisor or the field coordinator may schedule and record site visits."))


def visits_of(placement):
    return list(placement.visits.select_related("recorded_by", "scheduled_by"))


def _visit(actor, placement, visit_id):
    message = _("This visit does not exist.")
    try:
        return SiteVisit.objects.select_for_update().get(pk=parse.parse_id(visit_id, message), placement=placement)
    except SiteVisit.DoesNotExist:
        raise NotFound(message)


def _when(data, errors):
    """(day, start time, minutes, kind, meeting link) from the form; problems go into `errors`."""
    def fail(field, message):
        errors.setdefault(field, []).append(message)

    kind = data.get("kind") or "on_site"
    if kind not in rules.KINDS:
        fail("kind", _("Choose from the list."))
    day = start = None
    message = _("Give the date (YYYY-MM-DD) and the start time (HH:MM).")
    try:
        day = parse.parse_date(data.get("day"), message=message)
        start = parse.parse_time(data.get("time"), message=message)
    except Invalid as refused:
        fail("day", refused.message)
    message = _("A visit lasts from %(low)d to %(high)d minutes.") % {"low": rules.MIN_MINUTES,
                                                                     "high": rules.MAX_MINUTES}
    minutes = 0
    try:
        minutes = parse.parse_int(data.get("minutes") or 60, low=rules.MIN_MINUTES, high=rules.MAX_MINUTES,
                                  message=message)
    except Invalid:
        fail("minutes", message)
    link = str(data.get("meeting_link") or "").strip()
    if problem := meeting_link_problem(link):
        fail("meeting_link", problem)
    return {"kind": kind, "day": day, "start_time": start, "minutes": minutes, "meeting_link": link[:500]}


def _raise(errors):
    if errors:
        raise Invalid(next(iter(errors.values()))[0], errors)


def _save(actor, visit, values, action):
    before = {} if visit.pk is None else {k: getattr(visit, k) for k in values}
    for key, value in values.items():
        setattr(visit, key, value)
    if visit.pk is not None:
        visit.sequence += 1
    visit.save()
    # Free text stays out of the audit trail's changes: only which fields changed.
    changes = {k: v for k, v in audit.diff(before, values).items() if k not in TEXTS}
    changes.update(visit=visit.pk, texts=[k for k in TEXTS if k in values and (before.get(k) or "") != values[k]])
    audit.record(actor, action, placement=visit.placement, changes=changes)
    return visit


@transaction.atomic
def schedule(actor, placement_id, data, visit_id=None):
    """Plan a visit (or move a planned one): on site or virtual, on a day and time in the course's zone."""
    _require_liaison(actor)
    placement = placement_for(actor, placement_id)
    errors = {}
    values = _when(data, errors)
    _raise(errors)
    if visit_id:
        visit = _visit(actor, placement, visit_id)
        if visit.status != SiteVisit.SCHEDULED:
            raise Conflict(_("Only a planned visit can be moved."))
    else:
        visit = SiteVisit(placement=placement, scheduled_by=actor.person)
    return _save(actor, visit, values, "visit_schedule")


def _record_values(data, errors):
    met = data.getlist("met") if hasattr(data, "getlist") else list(data.get("met") or [])
    met = list(dict.fromkeys(str(m) for m in met))
    if not met or any(m not in rules.MET for m in met):
        errors["met"] = [_("Say whom you met, from the list.")]
    progress = data.get("progress") or ""
    if progress not in rules.PROGRESS:
        errors["progress"] = [_("Say how the student is progressing, from the list.")]
    values = {"met": met, "progress": progress}
    for name in TEXTS:
        text = str(data.get(name) or "")
        if len(text) > rules.MAX_TEXT:
            errors[name] = [_("Keep it under %(count)d characters.") % {"count": rules.MAX_TEXT}]
            continue
        try:
            values[name] = check_text(text, name)
        except Invalid as refusal:
            errors.update(refusal.field_errors)
    return values


@transaction.atomic
def record(actor, placement_id, data, visit_id=None):
    """Record a visit that took place: a planned one, or one recorded straight away (its day and time given)."""
    _require_liaison(actor)
    placement = placement_for(actor, placement_id)
    errors = {}
    if visit_id:
        visit = _visit(actor, placement, visit_id)
        if visit.status == SiteVisit.CANCELLED:
            raise Conflict(_("This visit was cancelled: record a new one."))
        values = {}
    else:
        visit = SiteVisit(placement=placement, scheduled_by=actor.person)
        values = _when(data, errors)
    day = values.get("day") or visit.day
    today = today_in(recurrence.known_zone(placement.course.time_zone))
    if day and day > today:
        errors.setdefault("day", []).append(_("A visit is recorded once it has taken place: this one is still ahead."))
    values.update(_record_values(data, errors))
    _raise(errors)
    values.update(status=SiteVisit.RECORDED, recorded_by=actor.person, recorded_at=timezone.now())
    return _save(actor, visit, values, "visit_record")


@transaction.atomic
def cancel(actor, placement_id, visit_id):
    _require_liaison(actor)
    placement = placement_for(actor, placement_id)
    visit = _visit(actor, placement, visit_id)
    if visit.status != SiteVisit.SCHEDULED:
        raise Conflict(_("Only a planned visit can be cancelled."))
    return _save(actor, visit, {"status": SiteVisit.CANCELLED}, "visit_cancel")


# --- what others read ----------------------------------------------------------------------------


def recorded(placement_ids):
    """{placement id: (recorded visits, the last one's day)} in one query."""
    return {row["placement_id"]: (row["n"], row["last"]) for row in
            SiteVisit.objects.filter(placement_id__in=placement_ids, status=SiteVisit.RECORDED)
            .values("placement_id").annotate(n=Count("pk"), last=Max("day"))}


def midterm_due(course):
    """The course's mid-term evaluation due date, standing for mid-term where a placement has no dates."""
    from ..grading import services as grading  # visits read grading's settings; grading knows no visits

    return next((day for form, day in grading.due_dates(course) if form.id == rules.MIDTERM_FORM), None)


def missing(course, placements, today, counts):
    """The placements (of `placements`) past mid-term with no visit recorded; `counts` is recorded(...)."""
    due = midterm_due(course)
    return {p.pk for p in placements
            if rules.visit_missing(p.starts_on, p.ends_on, today, counts.get(p.pk, (0, None))[0], due)}


def for_calendar(actor):
    """The visits this person's calendar shows: their own as a student or agency supervisor, and the ones
    they plan or liaise for as academic supervisor or coordinator."""
    person = actor.person
    if person is None:
        return SiteVisit.objects.none()
    concern = Q(placement__student=person) if actor.has(roles.STUDENT) else Q(pk__in=[])
    if actor.has(roles.AGENCY):
        concern |= Q(placement__agency_supervisor=person)
    if actor.supervises_course:
        concern |= Q(placement__academic_supervisor=person) | Q(scheduled_by=person)
    return (SiteVisit.objects.filter(concern, placement__course=actor.course)
            .select_related("placement__student", "placement__host_agency").distinct())
