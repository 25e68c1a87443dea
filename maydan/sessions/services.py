"""Sessions: the only place their state changes.

Each service checks who may act, enforces the rules, writes the change and its audit row
in one transaction. Course supervisors (academic supervisor, coordinator) create, import
and record attendance; students and agency supervisors read the sessions that concern them.
"""
import secrets
import uuid
from datetime import date, datetime, time, timedelta, timezone as dt_timezone
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, fieldlog, hours, roles
from ..errors import Forbidden, Invalid, LinkExpired, NotFound
from ..models import LogEntry, Membership, Person, Placement
from . import attendance as reports, feed, invitation, recurrence
from .errors import FormatError
from .messages import refusal
from .models import SESSION_KINDS, Attendance, AttendanceReview, FeedToken, Session

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
    try:
        return visible_sessions(actor).get(pk=session_id)
    except (Session.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("This session does not exist or is not yours to see."))


def course_students(course):
    return Person.objects.filter(memberships__course=course, memberships__role=roles.STUDENT).distinct().order_by(
        "name", "subject")


# --- occurrences ---------------------------------------------------------------------------------


def occurrences(session, **window):
    return recurrence.occurrences(session.local_start, session.time_zone, session.rule, **window)


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
    try:
        local = datetime.combine(date.fromisoformat((data.get("date") or "").strip()),
                                 time.fromisoformat((data.get("time") or "").strip()))
    except ValueError:
        fail("date", _("Give the date (YYYY-MM-DD) and the start time (HH:MM)."))
    clean["local_start"] = local
    clean["time_zone"] = course.time_zone

    try:
        minutes = int((data.get("minutes") or "").strip())
    except ValueError:
        minutes = 0
    if not hours.MIN_MINUTES <= minutes <= hours.MAX_MINUTES:
        fail("minutes", _("A session lasts from 1 minute to 16 hours."))
    clean["minutes"] = minutes

    rule = ""
    if data.get("repeat") == "weekly":
        try:
            weeks = int((data.get("weeks") or "").strip())
        except ValueError:
            weeks = 0
        if not 2 <= weeks <= MAX_WEEKS:
            fail("weeks", _("A weekly session meets 2 to %(max)s times.") % {"max": MAX_WEEKS})
        rule = recurrence.weekly_rule(count=weeks)
    clean["rule"] = rule

    link = (data.get("meeting_link") or "").strip()
    if link:
        try:
            URLValidator(schemes=["https"])(link)
        except ValidationError:
            fail("meeting_link", _("The meeting link must be a web address starting with https://."))
    clean["meeting_link"] = link[:500]
    clean["passcode"] = (data.get("passcode") or "").strip()[:64]

    values = data.getlist("students") if hasattr(data, "getlist") else data.get("students") or []
    try:
        wanted = {int(v) for v in values if str(v).strip()}
    except (TypeError, ValueError):
        wanted = None
    group = list(course_students(course).filter(pk__in=wanted or [])) if wanted is not None else []
    if wanted is None or len(group) != len(wanted):
        fail("students", _("Choose the group's students from this course's students."))
    clean["students"] = group

    if errors:
        raise Invalid(next(iter(errors.values()))[0], errors)
    return clean


def _plain(values):
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in values.items()}


def _snapshot(session):
    values = {f: getattr(session, f) for f in ("title", "agenda", "kind", "local_start", "minutes", "rule",
                                              "meeting_link", "passcode")}
    return _plain(values)


@transaction.atomic
def save_session(actor, data, *, session_id=None):
    _require_manager(actor)
    clean = clean_session(data, course=actor.course)
    group = clean.pop("students")
    if session_id:
        session = _for_update(actor, session_id)
        before = _snapshot(session)
        for field, value in clean.items():
            setattr(session, field, value)
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


def _for_update(actor, session_id):
    try:
        return Session.objects.select_for_update().get(pk=session_id, course=actor.course)
    except (Session.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("This session does not exist or is not yours to see."))


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
def import_invitation(actor, data, *, kind="group_supervision"):
    """Create, update or cancel sessions from an invitation file. Returns [(what happened, session or None)].

    Same UID and a higher SEQUENCE: the session changes; METHOD:CANCEL (or STATUS:CANCELLED):
    it is cancelled; an older or repeated SEQUENCE changes nothing. A file that cannot be
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
        if session is not None and event.sequence < session.sequence:
            results.append(("stale", session))
        elif session is not None and event.sequence == session.sequence and not (
                event.cancelled and session.cancelled_at is None):
            results.append(("unchanged", session))
        elif event.cancelled:
            if session is None:
                results.append(("unknown_cancel", None))
                continue
            session.cancelled_at = session.cancelled_at or timezone.now()
            session.sequence = max(event.sequence, session.sequence)
            session.save(update_fields=["cancelled_at", "sequence", "updated_at"])
            audit.record(actor, "session_cancel", changes={"session": session.pk, "uid": event.uid, "imported": True})
            results.append(("cancelled", session))
        else:
            values = {
                "title": event.title or _("Supervision session"), "agenda": event.agenda,
                "local_start": event.start.replace(tzinfo=None), "time_zone": event.zone, "minutes": event.minutes,
                "rule": event.rule, "meeting_link": event.link, "passcode": event.passcode,
                "sequence": event.sequence, "cancelled_at": None,
            }
            if session is None:
                session = Session(course=actor.course, uid=event.uid, kind=kind, created_by=actor.person)
                for field, value in values.items():
                    setattr(session, field, value)
                session.save()
                before, what = {}, "created"
            else:
                before, what = _snapshot(session), "updated"
                for field, value in values.items():
                    setattr(session, field, value)
                session.save()
            changes = audit.diff(before, _snapshot(session))
            changes.update(session=session.pk, uid=event.uid, imported=True)
            audit.record(actor, "session_create" if what == "created" else "session_edit", changes=changes)
            results.append((what, session))
    return results


# --- feeds -----------------------------------------------------------------------------------------


@transaction.atomic
def feed_token(actor, *, renew=False):
    """This person's private feed key in this course; `renew` revokes the old one and makes a new one."""
    if actor.person is None:
        raise Forbidden(_("A calendar feed belongs to a person signed in to the course."))
    current = FeedToken.objects.select_for_update().filter(
        course=actor.course, person=actor.person, revoked_at=None).first()
    if current is not None and not renew:
        return current
    if current is not None:
        current.revoked_at = timezone.now()
        current.save(update_fields=["revoked_at"])
        audit.record(actor, "feed_revoke", changes={"feed": current.pk})
    token = FeedToken.objects.create(course=actor.course, person=actor.person, key=secrets.token_urlsafe(24))
    audit.record(actor, "feed_issue", changes={"feed": token.pk})
    return token


def current_feed(actor):
    """The person's active feed key: made on their first visit; after they stop it, none until they ask again."""
    if actor.person is None:
        return None
    tokens = FeedToken.objects.filter(course=actor.course, person=actor.person)
    active = tokens.filter(revoked_at=None).first()
    if active is None and not tokens.exists():
        active = feed_token(actor)
    return active


@transaction.atomic
def revoke_feed(actor):
    if actor.person is None:
        raise Forbidden(_("A calendar feed belongs to a person signed in to the course."))
    for token in FeedToken.objects.select_for_update().filter(course=actor.course, person=actor.person, revoked_at=None):
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor, "feed_revoke", changes={"feed": token.pk})


def actor_for_feed(key):
    """The person a feed key stands for, as an Actor with their roles in its course."""
    from ..people import Actor

    token = FeedToken.objects.select_related("course", "person").filter(key=str(key)[:64]).first()
    if token is None:
        raise NotFound(_("This calendar address is not valid."))
    if token.revoked_at is not None:
        raise LinkExpired(_("This calendar address was revoked. Copy the new one from the course."))
    role_set = set(Membership.objects.filter(course=token.course, person=token.person).values_list("role", flat=True))
    return Actor(course=token.course, person=token.person, roles=frozenset(role_set), via=f"feed {token.pk}")


def _feed_event(session, words=None):
    """The session as a calendar event; `words` (from _feed_words) spares translating per event."""
    words = words or _feed_words()
    lines = [session.agenda] if session.agenda else []
    if session.meeting_link:
        lines.append(words["join"] % {"link": session.meeting_link})
    if session.passcode:
        lines.append(words["passcode"] % {"code": session.passcode})
    return feed.FeedEvent(
        uid=session.uid, title=f"{words[session.kind]}: {session.title}",
        start=recurrence.localize(session.local_start, session.time_zone), minutes=session.minutes,
        zone=session.time_zone, description="\n".join(lines), rule=session.rule, url=session.meeting_link,
        sequence=session.sequence, cancelled=session.cancelled_at is not None, stamp=session.updated_at,
    )


def _feed_words():
    words = {kind: str(label) for kind, label in SESSION_KINDS.items()}
    words.update(join=_("Join: %(link)s"), passcode=_("Passcode: %(code)s"))
    return words


def _deadlines(actor):
    """Students' weekly log deadline: the end of each week (Sunday), when the week's entries are due."""
    if not actor.has(roles.STUDENT):
        return []
    zone = actor.course.time_zone
    today = datetime.now(ZoneInfo(zone)).date()
    sunday = today + timedelta(days=6 - today.weekday())
    return [feed.FeedEvent(
        uid=f"log-deadline-{actor.course.pk}-{actor.person.pk}@maydan",
        title=_("Field log: submit this week's entries"),
        start=recurrence.localize(datetime.combine(sunday, time(23, 0)), zone), minutes=59, zone=zone,
        rule="FREQ=WEEKLY;BYDAY=SU", alarm_minutes=24 * 60,
        stamp=datetime(2000, 1, 1, tzinfo=dt_timezone.utc),
    )]


def feed_for(actor):
    """The person's whole calendar: their sessions (cancelled ones marked so) and log deadlines."""
    words = _feed_words()
    sessions = [_feed_event(s, words) for s in visible_sessions(actor)]
    name = _("%(course)s · Maydan") % {"course": actor.course.title or actor.course.context_id}
    return feed.calendar(sessions + _deadlines(actor), name=name)


def session_ics(actor, session_id):
    return feed.calendar([_feed_event(session_for(actor, session_id))])


# --- attendance --------------------------------------------------------------------------------


def _occurrence(session, value, first_join):
    """Which meeting the report is about: chosen on the form, else the one nearest the first join."""
    zone = ZoneInfo(session.time_zone)
    if value:
        try:
            chosen = datetime.fromisoformat(value)
        except ValueError:
            chosen = None
        if chosen is not None:
            chosen = chosen if chosen.tzinfo else chosen.replace(tzinfo=zone)
            if chosen in occurrences(session, after=chosen - timedelta(minutes=1), before=chosen + timedelta(minutes=1)):
                return chosen
        raise Invalid(_("Choose one of the session's meetings."), {"occurrence": [_("Choose one of the session's meetings.")]})
    if first_join is not None:
        near = recurrence.occurrence_near(session.local_start, session.time_zone, session.rule,
                                          recurrence.localize(first_join, session.time_zone))
        if near is not None:
            return near
    message = _("The report's times match no meeting of this session: choose the meeting.")
    raise Invalid(message, {"occurrence": [message]})


def _members(course):
    rows = Person.objects.filter(memberships__course=course).distinct().values_list("pk", "name", "email")
    return list(rows)


class _Recorder:
    """Records attendance for one meeting of a session and credits students' logs, once each.

    What is already recorded and the students' placements are read once, and the attendance
    rows written together, so a 300-row report takes a fixed handful of queries per student.
    """

    def __init__(self, actor, session, occurrence):
        self.actor, self.session, self.occurrence = actor, session, occurrence
        self.done = set(Attendance.objects.filter(session=session, occurrence=occurrence).values_list("person", flat=True))
        self.placements = {p.student_id: p for p in Placement.objects.filter(course=actor.course)}
        self.rows = []
        self.summary = {"credited": 0, "already": 0, "noted": 0, "recorded": 0}

    def add(self, person_id, minutes, reported_name):
        if person_id in self.done:
            self.summary["already"] += 1
            return
        self.done.add(person_id)
        self.rows.append((person_id, minutes, reported_name[:255], self.placements.get(person_id)))

    def _entry_data(self, minutes, credited):
        session = self.session
        local = self.occurrence.astimezone(ZoneInfo(session.time_zone))
        end = local + timedelta(minutes=credited)
        data = {
            "date": local.date().isoformat(),
            "activity_type": "supervision", "modality": "remote", "time_kind": "indirect",
            "meeting_link": session.meeting_link,
            "description": _("%(kind)s: %(title)s (attended %(minutes)s of %(total)s minutes)") % {
                "kind": SESSION_KINDS[session.kind], "title": session.title, "minutes": minutes,
                "total": session.minutes},
        }
        if end.date() == local.date():
            data.update(start_time=local.strftime("%H:%M"), end_time=end.strftime("%H:%M"))
        else:
            data["duration"] = str(credited)
        return data

    def save(self):
        """Credit the students' logs in one batch, then write the attendance and its audit rows."""
        session = self.session
        context = {"session": session.pk, "occurrence": self.occurrence.isoformat()}
        to_credit = [row for row in self.rows if row[3] is not None and min(row[1], session.minutes) >= hours.MIN_MINUTES]
        results = fieldlog.credit_entries(self.actor, [
            (placement, self._entry_data(minutes, min(minutes, session.minutes)), {**context, "attended_minutes": minutes})
            for _person, minutes, _name, placement in to_credit
        ]) if to_credit else []
        outcome = {row[0]: result for row, result in zip(to_credit, results)}
        attendance, uncredited = [], []
        for person_id, minutes, name, placement in self.rows:
            result = outcome.get(person_id)
            entry = result if isinstance(result, LogEntry) else None
            note = str(result.message)[:255] if isinstance(result, Invalid) else ""
            attendance.append(Attendance(session=session, occurrence=self.occurrence, person_id=person_id,
                                         minutes=minutes, reported_name=name, entry=entry, note=note,
                                         recorded_by=self.actor.person))
            if entry is None:  # credited entries carry the session in their own audit row
                uncredited.append({"placement": placement,
                                   "changes": {**context, "person": person_id, "minutes": minutes, "note": note}})
            self.summary["credited" if entry else ("noted" if placement is not None else "recorded")] += 1
        Attendance.objects.bulk_create(attendance)
        audit.record_many(self.actor, "attendance", uncredited)
        return self.summary


@transaction.atomic
def import_attendance(actor, session_id, data, *, occurrence=""):
    """Read a participant report, match it to course members, record and credit attendance.

    Returns a summary {credited, already, noted, recorded, review (AttendanceReview or None)}.
    """
    _require_manager(actor)
    session = Session.objects.select_for_update().filter(pk=session_id, course=actor.course).first()
    if session is None:
        raise NotFound(_("This session does not exist or is not yours to see."))
    try:
        rows = reports.read(data)
    except FormatError as error:
        raise refusal(error, "report")
    people = reports.participants(rows)
    first_join = min((p.first_join for p in people if p.first_join), default=None)
    when = _occurrence(session, occurrence, first_join)
    if when > timezone.now():
        raise Invalid(_("This meeting has not taken place yet."))
    matched, unmatched = reports.match(people, _members(actor.course))
    audience = _audience(session)
    recorder = _Recorder(actor, session, when)
    for participant, person_id in matched:
        if person_id in audience:  # not the supervisor, nor someone outside the group
            recorder.add(person_id, participant.minutes, participant.name)
    summary = {**recorder.save(), "review": None, "occurrence": when}
    if unmatched:
        summary["review"] = AttendanceReview.objects.create(
            session=session, occurrence=when, created_by=actor.person,
            rows=[{"name": p.name, "email": p.email, "minutes": p.minutes, "lines": p.lines} for p in unmatched])
    audit.record(actor, "attendance_import", changes={
        "session": session.pk, "occurrence": when.isoformat(), "rows": len(rows),
        "matched": len(matched), "unmatched": len(unmatched)})
    return summary


def _audience(session):
    group = set(session.students.values_list("pk", flat=True))
    return group or set(course_students(session.course).values_list("pk", flat=True))


def open_reviews(actor, session=None):
    if not may_manage(actor):
        return []
    reviews = AttendanceReview.objects.filter(session__course=actor.course, closed_at=None).select_related("session")
    return list(reviews.filter(session=session) if session is not None else reviews)


@transaction.atomic
def resolve_review(actor, review_id, choices):
    """Assign unmatched report rows to students ({row index: person id}; empty means dismiss) and close the review."""
    _require_manager(actor)
    try:
        review = AttendanceReview.objects.select_for_update().select_related("session").get(
            pk=review_id, session__course=actor.course, closed_at=None)
    except (AttendanceReview.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("This review is closed or does not exist."))
    Session.objects.select_for_update().get(pk=review.session_id)  # one import or review of a session at a time
    audience = _audience(review.session)
    recorder = _Recorder(actor, review.session, review.occurrence)
    for index, row in enumerate(review.rows):
        choice = str(choices.get(str(index)) or "").strip()
        if not choice:
            continue
        try:
            person_id = int(choice)
        except ValueError:
            person_id = None
        if person_id not in audience:
            message = _("Choose one of the session's students for “%(name)s”.") % {"name": row["name"]}
            raise Invalid(message, {f"row-{index}": [message]})
        recorder.add(person_id, row["minutes"], row["name"])
    summary = recorder.save()
    review.closed_at = timezone.now()
    review.save(update_fields=["closed_at"])
    audit.record(actor, "attendance_review", changes={"review": review.pk, "session": review.session_id,
                                                      "assigned": sum(summary.values())})
    return summary


def attendance_of(session):
    return list(session.attendance.select_related("person", "entry").order_by("-occurrence", "person__name"))
