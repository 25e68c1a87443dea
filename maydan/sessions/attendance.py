"""Attendance: a meeting's participant report matched to course members and credited as hours.

Matched students' attended minutes become supervision entries in their field log through
`maydan.fieldlog.credit_entries` (so every entry rule applies), waiting for confirmation;
rows nobody matched wait in a review. Nothing is recorded twice for one meeting.
"""
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, fieldlog
from ..fieldlog import hours
from ..errors import Invalid, NotFound, Refused
from ..models import LogEntry, Person, Placement
from ..parse import optional_id, parse_datetime
from . import namematch, recurrence, report as reports
from .errors import FormatError
from .messages import refusal
from .models import SESSION_KINDS, Attendance, AttendanceReview, Session
from .services import _require_manager, course_students, may_manage, occurrences, problem


def _occurrence(session, value, first_join):
    """Which meeting the report is about: chosen on the form, else the one nearest the first join."""
    zone = ZoneInfo(session.time_zone)
    if value:
        message = _("Choose one of the session's meetings.")
        chosen = parse_datetime(value, message=message, field="occurrence")
        chosen = chosen if chosen.tzinfo else chosen.replace(tzinfo=zone)
        if chosen in occurrences(session, after=chosen - timedelta(minutes=1), before=chosen + timedelta(minutes=1)):
            return chosen
        raise Invalid(message, {"occurrence": [message]})
    if first_join is not None:
        try:
            near = recurrence.occurrence_near(session.local_start, session.time_zone, session.rule,
                                              recurrence.localize(first_join, session.time_zone),
                                              exceptions=session.exceptions)
        except FormatError:  # a report dated in the year 1 matches no meeting
            near = None
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
            note = str(result.message)[:255] if isinstance(result, Refused) else ""
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
    session = Session.objects.select_for_update().filter(pk=optional_id(session_id), course=actor.course).first()
    if session is None:
        raise NotFound(_("This session does not exist or is not yours to see."))
    why = problem(session)
    if why:
        raise Invalid(why)
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
    for_whom = audience(session)
    recorder = _Recorder(actor, session, when)
    for participant, person_id in matched:
        if person_id in for_whom:  # not the supervisor, nor someone outside the group
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


def audience(session):
    """Ids of the students a session is for: its group, else every student of the course."""
    group = set(session.students.values_list("pk", flat=True))
    return group or set(course_students(session.course).values_list("pk", flat=True))


def open_reviews(actor, session=None):
    if not may_manage(actor):
        return []
    reviews = AttendanceReview.objects.filter(session__course=actor.course, closed_at=None).select_related("session")
    return list(reviews.filter(session=session) if session is not None else reviews)


SKIP = "skip"


def waiting_rows(review):
    """[(index, row)] of the review's rows the supervisor has not yet assigned or skipped."""
    return [(index, row) for index, row in enumerate(review.rows) if "decision" not in row]


def suggestions(review, people):
    """{row index: (ranked [(score, person)], preselected person or None)} for the rows still waiting."""
    named = [(person, person.name) for person in people]
    result = {}
    for index, row in waiting_rows(review):
        ranked = namematch.rank(row["name"], row.get("email", ""), named)
        result[index] = (ranked, namematch.preselected(ranked))
    return result


@transaction.atomic
def resolve_review(actor, review_id, choices):
    """Assign unmatched report rows to students or skip them ({row index: person id or "skip"}).

    A row with no choice stays in the review: nothing is dropped unless the supervisor says so.
    The review closes when every row is assigned or skipped.
    """
    _require_manager(actor)
    try:
        review = AttendanceReview.objects.select_for_update().select_related("session").get(
            pk=optional_id(review_id), session__course=actor.course, closed_at=None)
    except (AttendanceReview.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("This review is closed or does not exist."))
    Session.objects.select_for_update().get(pk=review.session_id)  # one import or review of a session at a time
    why = problem(review.session)
    if why:
        raise Invalid(why)
    for_whom = audience(review.session)
    recorder = _Recorder(actor, review.session, review.occurrence)
    rows, skipped = [dict(row) for row in review.rows], 0
    for index, row in waiting_rows(review):  # rows decided before (a form sent twice) are left as they are
        choice = str(choices.get(str(index)) or "").strip()
        if not choice:
            continue
        if choice == SKIP:
            rows[index]["decision"], skipped = SKIP, skipped + 1
            continue
        person_id = int(choice) if choice.isdigit() and len(choice) < 19 else None
        if person_id not in for_whom:
            message = _("Choose one of the session's students for “%(name)s”.") % {"name": row["name"]}
            raise Invalid(message, {f"row-{index}": [message]})
        recorder.add(person_id, row["minutes"], row["name"])
        rows[index]["decision"] = person_id
    summary = recorder.save()
    review.rows = rows
    waiting = sum("decision" not in row for row in rows)
    if not waiting:
        review.closed_at = timezone.now()
    review.save(update_fields=["rows", "closed_at"])
    audit.record(actor, "attendance_review", changes={"review": review.pk, "session": review.session_id,
                                                      "assigned": sum(summary.values()), "skipped": skipped,
                                                      "waiting": waiting})
    return {**summary, "skipped": skipped, "waiting": waiting}


def attendance_of(session):
    return list(session.attendance.select_related("person", "entry").order_by("-occurrence", "person__name"))
