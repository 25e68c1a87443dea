"""Sessions: who sees which, when they meet, creating, changing and importing them.

Each service checks who may act, enforces the rules, writes the change and its audit row
in one transaction. Course supervisors (academic supervisor, coordinator) create, import
and record attendance (attendance.py); students and agency supervisors read the sessions
that concern them, also through their calendar feed (calendars.py).
"""
import uuid
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, parse, roles
from ..fieldlog import hours
from ..errors import Forbidden, Invalid, NotFound
from ..models import Person, Placement
from . import invitation, recurrence
from .errors import FormatError
from .messages import describe, refusal
from .models import SESSION_KINDS, Session

MAX_WEEKS = 52

# --- who may see and do what --------------------------------------------------------------


def may_manage(actor):
    return actor.supervises_course


def _require_manager(actor):
    if not may_manage(actor):
        raise Forbidden(_("Only the academic supervisor or the field coordinator may manage sessions."))


def visible_sessions(actor):
    """Sessions this actor may read: all for course supervisors; the course's and their group's for others."""
    sessions = Session.objects.filter(course=actor.course)
    if actor.supervises_course:
        return sessions
    person = actor.person or (actor.link_placement.student if actor.link_placement else None)
    if person is None:
        return sessions.none()
    concern = Q(students=None)
    if actor.has(roles.STUDENT):
        concern |= Q(students=person)
    if actor.has(roles.AGENCY):
        mentees = Placement.objects.filter(course=actor.course, agency_supervisor=person).values("student")
        concern |= Q(students__in=mentees)
    return sessions.filter(concern).distinct()


def session_for(actor, session_id):
    message = _("This session does not exist or is not yours to see.")
    try:
        return visible_sessions(actor).get(pk=parse.parse_id(session_id, message))
    except Session.DoesNotExist:
        raise NotFound(message)


def course_students(course):
    return Person.objects.filter(memberships__course=course, memberships__role=roles.STUDENT).distinct().order_by(
        "name", "subject")


# --- occurrences ---------------------------------------------------------------------------------


def problem(session):
    """Why a stored session cannot be shown (odd dates, rule, zone or changed meetings), in the reader's
    language; None when it can. Such a session is listed apart, for its supervisor to fix or cancel."""
    try:
        _check(session)
    except FormatError as error:
        return describe(error)
    return None


def _check(session):
    recurrence.check_series(session.local_start, session.time_zone, session.rule, exceptions=session.exceptions,
                            minutes=session.minutes)


def occurrences(session, **window):
    """The session's meetings in the window; none for a session that cannot be shown (see `problem`)."""
    try:
        _check(session)
        return recurrence.occurrences(session.local_start, session.time_zone, session.rule,
                                      exceptions=session.exceptions, **window)
    except FormatError:
        return []


def odd_sessions(actor):
    """[(session, why)] of the sessions this actor sees that cannot be shown; cancelled ones are left out."""
    found = ((session, problem(session)) for session in visible_sessions(actor).filter(cancelled_at=None))
    return [(session, why) for session, why in found if why]


def upcoming(actor, *, now=None, limit=50):
    """(session, next start) for sessions still to meet, soonest first; cancelled ones are left out."""
    now = now or timezone.now()
    rows = []
    for session in visible_sessions(actor).filter(cancelled_at=None).prefetch_related("students"):
        following = occurrences(session, after=now - timedelta(minutes=session.minutes), limit=recurrence.MAX_OCCURRENCES)
        if following:
            rows.append((session, following[0]))
    rows.sort(key=lambda row: row[1])
    return rows[:limit]


def past_occurrences(session, *, now=None):
    """Meetings that have started, latest first: those a participant report can be about."""
    return occurrences(session, before=now or timezone.now())[::-1]


# --- creating and changing sessions ---------------------------------------------------------------


def clean_session(data, *, course):
    """Model values from raw form strings, or Invalid with a reason per field."""
    errors, clean = {}, {}

    def fail(field, message):
        errors.setdefault(field, []).append(message)

    title = (data.get("title") or "").strip()
    if not title:
        fail("title", _("Give the session a title."))
    elif len(title) > 255:
        fail("title", _("The title is too long: at most 255 characters."))
    clean["title"] = title
    clean["agenda"] = (data.get("agenda") or "").strip()[:5000]
    kind = data.get("kind") or ""
    if kind not in SESSION_KINDS:
        fail("kind", _("Choose the type of session."))
    clean["kind"] = kind

    local = None
    message = _("Give the date (YYYY-MM-DD) and the start time (HH:MM).")
    try:
        local = datetime.combine(parse.parse_date(data.get("date"), message=message),
                                 parse.parse_time(data.get("time"), message=message))
    except Invalid as refused:  # no date or time, or a date outside the years people's dates fall in
        fail("date", refused.message)
    if local is not None:
        try:
            recurrence.check_moment(local)
        except FormatError as error:
            fail("date", describe(error))
    clean["local_start"] = local
    clean["time_zone"] = course.time_zone

    message = _("A session lasts from 1 minute to 16 hours.")
    try:
        minutes = parse.parse_int(data.get("minutes"), low=hours.MIN_MINUTES, high=hours.MAX_MINUTES, message=message)
    except Invalid:
        minutes = 0
        fail("minutes", message)
    clean["minutes"] = minutes

    rule = ""
    if data.get("repeat") == "weekly":
        message = _("A weekly session meets 2 to %(max)s times.") % {"max": MAX_WEEKS}
        try:
            weeks = parse.parse_int(data.get("weeks"), low=2, high=MAX_WEEKS, message=message)
        except Invalid:
            weeks = 0
            fail("weeks", message)
        rule = recurrence.weekly_rule(count=weeks)
    clean["rule"] = rule

    link = (data.get("meeting_link") or "").strip()
    if problem := meeting_link_problem(link):
        fail("meeting_link", problem)
    clean["meeting_link"] = link[:500]
    clean["passcode"] = (data.get("passcode") or "").strip()[:64]

    values = data.getlist("students") if hasattr(data, "getlist") else data.get("students") or []
    wanted = {parse.optional_id(v) for v in values if str(v).strip()}
    if None in wanted:
        wanted = None
    group = list(course_students(course).filter(pk__in=wanted or [])) if wanted is not None else []
    if wanted is None or len(group) != len(wanted):
        fail("students", _("Choose the group's students from this course's students."))
    clean["students"] = group

    if errors:
        raise Invalid(next(iter(errors.values()))[0], errors)
    return clean


def meeting_link_problem(link):
    """Why a typed meeting link cannot be kept (not an https:// address), or None; empty is fine."""
    if not link:
        return None
    try:
        URLValidator(schemes=["https"])(link)
    except ValidationError:
        return _("The meeting link must be a web address starting with https://.")
    return None


def _plain(values):
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in values.items()}


def _snapshot(session):
    values = {f: getattr(session, f) for f in ("title", "agenda", "kind", "local_start", "minutes", "rule",
                                              "meeting_link", "passcode", "exceptions")}
    return _plain(values)


@transaction.atomic
def save_session(actor, data, *, session_id=None):
    _require_manager(actor)
    clean = clean_session(data, course=actor.course)
    group = clean.pop("students")
    if session_id:
        session = _for_update(actor, session_id)
        before = _snapshot(session)
        shift = clean["local_start"] - session.local_start if "local_start" in clean else timedelta(0)
        for field, value in clean.items():
            setattr(session, field, value)
        session.exceptions = _shifted(session.exceptions, shift)
        session.sequence += 1
        session.save()
        action = "session_edit"
    else:
        before = {}
        session = Session(course=actor.course, uid=f"session-{uuid.uuid4()}@maydan", created_by=actor.person)
        for field, value in clean.items():
            setattr(session, field, value)
        session.save()
        action = "session_create"
    session.students.set(group)
    changes = audit.diff(before, _snapshot(session))
    changes["session"] = session.pk
    audit.record(actor, action, changes=changes)
    return session


def _shifted(exceptions, shift):
    """The series moved as a whole: its cancelled meetings stay cancelled where they moved to. Changed
    meetings that cannot be read are dropped: saving the form is how a supervisor repairs a session."""
    try:
        recurrence.check_series(datetime(2000, 1, 1), recurrence.DEFAULT_ZONE, exceptions=exceptions)
        return {recurrence.occurrence_key(datetime.fromisoformat(original) + shift): new
                for original, new in exceptions.items()}
    except (FormatError, OverflowError, AttributeError):
        return {}


def _for_update(actor, session_id):
    message = _("This session does not exist or is not yours to see.")
    try:
        return Session.objects.select_for_update().get(pk=parse.parse_id(session_id, message), course=actor.course)
    except Session.DoesNotExist:
        raise NotFound(message)


@transaction.atomic
def cancel_session(actor, session_id):
    _require_manager(actor)
    session = _for_update(actor, session_id)
    if session.cancelled_at is None:
        session.cancelled_at = timezone.now()
        session.sequence += 1
        session.save(update_fields=["cancelled_at", "sequence", "updated_at"])
        audit.record(actor, "session_cancel", changes={"session": session.pk})
    return session


@transaction.atomic
def cancel_meeting(actor, session_id, meeting):
    """Cancel one meeting of a weekly session; `meeting` is its local start ("2026-10-20T18:00"),
    where it meets now if it was moved. The other meetings stay; calendars get an EXDATE."""
    _require_manager(actor)
    session = _for_update(actor, session_id)
    message = _("Choose one of the session's meetings.")
    local = recurrence.wall_clock(parse.parse_datetime(meeting, message=message, field="meeting"), session.time_zone)
    start = recurrence.localize(local, session.time_zone)
    window = {"after": start - timedelta(minutes=1), "before": start + timedelta(minutes=1)}
    if not session.rule or start not in occurrences(session, **window):
        raise Invalid(message, {"meeting": [message]})
    moved_from = {new: original for original, new in session.exceptions.items() if new}
    key = recurrence.occurrence_key(local)
    before = _snapshot(session)
    session.exceptions = {**session.exceptions, moved_from.get(key, key): None}
    session.sequence += 1
    session.save(update_fields=["exceptions", "sequence", "updated_at"])
    audit.record(actor, "session_edit", changes={**audit.diff(before, _snapshot(session)), "session": session.pk})
    return session


@transaction.atomic
def import_invitation(actor, data, *, kind="group_supervision"):
    """Create, update or cancel sessions from an invitation file. Returns [(what happened, session or None)].

    Same UID and a higher SEQUENCE than the last imported: the session changes; METHOD:CANCEL
    (or STATUS:CANCELLED): it is cancelled; an older or repeated SEQUENCE changes nothing.
    Edits made here do not count against the invitation's SEQUENCE. A file that cannot be
    read changes nothing at all.
    """
    _require_manager(actor)
    if kind not in SESSION_KINDS:
        raise Invalid(_("Choose the type of session."), {"kind": [_("Choose the type of session.")]})
    try:
        _method, events = invitation.parse(data, default_zone=actor.course.time_zone)
    except FormatError as error:
        raise refusal(error, "ics")
    results = []
    for event in events:
        session = Session.objects.select_for_update().filter(course=actor.course, uid=event.uid).first()
        if isinstance(event, invitation.ChangedMeetings):
            results.append(_import_meeting_changes(actor, session, event))
            continue
        last = session.invitation_sequence if session is not None else None
        if session is not None and last is not None and event.sequence < last:
            results.append(("stale", session))
        elif session is not None and event.sequence == last and not (event.cancelled and session.cancelled_at is None):
            results.append(("unchanged", session))
        elif event.cancelled:
            results.append(_import_cancel(actor, session, event))
        else:
            results.append(_import_event(actor, session, event, kind))
    return results


def _import_cancel(actor, session, event):
    if session is None:
        return ("unknown_cancel", None)
    session.cancelled_at = session.cancelled_at or timezone.now()
    session.invitation_sequence = event.sequence
    session.sequence += 1
    session.save(update_fields=["cancelled_at", "invitation_sequence", "sequence", "updated_at"])
    audit.record(actor, "session_cancel", changes={"session": session.pk, "uid": event.uid, "imported": True})
    return ("cancelled", session)


def _exceptions(changes, zone):
    """Session.exceptions from an invitation's MeetingChanges, in the session's wall-clock time."""
    def key(moment):
        return recurrence.occurrence_key(recurrence.wall_clock(moment, zone))

    return {key(c.original): c.start and key(c.start) for c in changes}


def _import_meeting_changes(actor, session, event):
    """Single meetings cancelled or moved, for a session imported before: they add to its own."""
    if session is None:
        return ("unknown_change", None)
    exceptions = {**session.exceptions, **_exceptions(event.changes, session.time_zone)}
    if exceptions == session.exceptions:
        return ("unchanged", session)
    before = _snapshot(session)
    session.exceptions = exceptions
    session.sequence = max(session.sequence + 1, event.sequence)
    session.save(update_fields=["exceptions", "sequence", "updated_at"])
    changes = audit.diff(before, _snapshot(session))
    changes.update(session=session.pk, uid=event.uid, imported=True)
    audit.record(actor, "session_edit", changes=changes)
    return ("updated", session)


def _import_event(actor, session, event, kind):
    values = {
        "title": event.title or _("Supervision session"), "agenda": event.agenda,
        "local_start": event.start.replace(tzinfo=None), "time_zone": event.zone, "minutes": event.minutes,
        "rule": event.rule, "meeting_link": event.link, "passcode": event.passcode,
        "invitation_sequence": event.sequence, "cancelled_at": None,
        "exceptions": _exceptions(event.changes, event.zone),
    }
    if session is None:
        session = Session(course=actor.course, uid=event.uid, kind=kind, created_by=actor.person,
                          sequence=event.sequence)
        before, what = {}, "created"
    else:
        # Calendars only take a change whose SEQUENCE grew, whoever made the last one.
        before, what = _snapshot(session), "updated"
        session.sequence = max(session.sequence + 1, event.sequence)
    for field, value in values.items():
        setattr(session, field, value)
    session.save()
    changes = audit.diff(before, _snapshot(session))
    changes.update(session=session.pk, uid=event.uid, imported=True)
    audit.record(actor, "session_create" if what == "created" else "session_edit", changes=changes)
    return (what, session)
