"""Calendar feeds: each person's private, revocable subscription address and what it holds.

A person has one active key per course, made on their first visit; they may replace or
stop it. The feed holds the sessions they may see (cancelled ones marked so), for students
the weekly log deadline, and for students and supervisors the evaluations' due dates.
"""
import secrets
from datetime import datetime, time, timedelta, timezone as dt_timezone
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from .. import audit, roles
from ..errors import Forbidden, Invalid, LinkExpired, NotFound
from ..models import AuditEvent, Membership
from . import feed, recurrence
from .models import SESSION_KINDS, FeedToken
from .services import problem, session_for, visible_sessions


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
        changed_meetings=tuple(
            (recurrence.localize(datetime.fromisoformat(original), session.time_zone),
             new and recurrence.localize(datetime.fromisoformat(new), session.time_zone))
            for original, new in sorted(session.exceptions.items())),
    )


def _feed_words():
    words = {kind: str(label) for kind, label in SESSION_KINDS.items()}
    words.update(join=_("Join: %(link)s"), passcode=_("Passcode: %(code)s"))
    return words


def _deadlines(actor):
    """Students' weekly log deadline: the end of each week (Sunday), when the week's entries are due."""
    if not actor.has(roles.STUDENT):
        return []
    zone = recurrence.known_zone(actor.course.time_zone)
    today = datetime.now(ZoneInfo(zone)).date()
    sunday = today + timedelta(days=6 - today.weekday())
    return [feed.FeedEvent(
        uid=f"log-deadline-{actor.course.pk}-{actor.person.pk}@maydan",
        title=_("Field log: submit this week's entries"),
        start=recurrence.localize(datetime.combine(sunday, time(23, 0)), zone), minutes=59, zone=zone,
        rule="FREQ=WEEKLY;BYDAY=SU", alarm_minutes=24 * 60,
        stamp=datetime(2000, 1, 1, tzinfo=dt_timezone.utc),
    )]


def _evaluations_due(actor):
    """The course's evaluation due dates (grading settings), for students and for both supervisors."""
    if not (actor.has(roles.STUDENT, roles.AGENCY) or actor.supervises_course):
        return []
    from ..grading import services as grading  # the calendar reads grading's settings; grading knows no calendar

    due = grading.due_dates(actor.course)
    if not due:
        return []
    zone, language = recurrence.known_zone(actor.course.time_zone), (translation.get_language() or "en").split("-")[0]
    # A changed date is a new version of the event (SEQUENCE), as a session's update is.
    sequence = AuditEvent.objects.filter(course=actor.course, action="grading_settings",
                                         changes__has_key="due_dates").count()
    return [feed.FeedEvent(
        uid=f"evaluation-due-{actor.course.pk}-{form.id}@maydan",
        title=_("Evaluation due: %(form)s") % {"form": form.title.get(language) or form.title["en"]},
        start=recurrence.localize(datetime.combine(day, time(23, 0)), zone), minutes=59, zone=zone,
        sequence=sequence, alarm_minutes=3 * 24 * 60, stamp=datetime(2000, 1, 1, tzinfo=dt_timezone.utc),
    ) for form, day in due]


def _visits(actor):
    """Site visits the person takes part in: the student's, their agency supervisor's and the liaison's."""
    from ..visits import services as visits  # the calendar reads visits; visits know no calendar
    from ..visits.models import SiteVisit
    from ..visits.rules import KINDS

    zone, found = recurrence.known_zone(actor.course.time_zone), []
    for visit in visits.for_calendar(actor):
        placement = visit.placement
        if placement.student_id == actor.person.pk:  # the student reads where, the others whom
            whom = placement.agency or (placement.host_agency.name if placement.host_agency_id else "")
        else:
            whom = placement.student.name or placement.student.subject
        kind = str(KINDS.get(visit.kind, KINDS["on_site"]))
        found.append(feed.FeedEvent(
            uid=f"site-visit-{visit.pk}@maydan", title=f"{kind}: {whom}" if whom else kind,
            start=recurrence.localize(datetime.combine(visit.day, visit.start_time), zone), minutes=visit.minutes,
            zone=zone, url=visit.meeting_link, sequence=visit.sequence,
            cancelled=visit.status == SiteVisit.CANCELLED, stamp=visit.updated_at, alarm_minutes=24 * 60,
        ))
    return found


# A calendar program fetches feeds with its own language, not the person's: the words of a
# feed are in the course's language.


def feed_for(actor):
    """The person's whole calendar: their sessions (cancelled ones marked so), log deadlines, evaluation
    due dates and site visits."""
    with translation.override(actor.course.language):
        words = _feed_words()
        # A session stored with odd times cannot be written; the others still are (its screen says why).
        sessions = [_feed_event(s, words) for s in visible_sessions(actor) if problem(s) is None]
        name = _("%(course)s · Maydan") % {"course": actor.course.title or actor.course.context_id}
        return feed.calendar(sessions + _deadlines(actor) + _evaluations_due(actor) + _visits(actor), name=name)


def session_ics(actor, session_id):
    session = session_for(actor, session_id)
    why = problem(session)
    if why:
        raise Invalid(why)
    with translation.override(actor.course.language):
        return feed.calendar([_feed_event(session)])


