"""The sessions' screens, shared by every adapter (XBlock, LTI), like `maydan.fieldlog.screens` for the field log.

`render(screen)` draws a first view, `handle(screen, form)` performs a posted action and
draws the result. Views: "home" (upcoming sessions with join links, the person's calendar
address; for supervisors the new-session and import forms), "edit" (one session's form)
and "attendance" (upload a participant report, review unmatched rows).
"""
from datetime import datetime, timedelta

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _, gettext_noop, ngettext, pgettext_lazy

from .. import activities, ui
from ..errors import NotFound
from . import attendance, calendars, recurrence, services, views
from .models import SESSION_KINDS

TITLE = gettext_noop("Supervision sessions")


def items(course):
    """What a course may place: one ungraded item for its sessions."""
    return [activities.Activity("sessions", "", activities._translated(TITLE), graded=False)]


def render(screen):
    with ui.speaking(screen):
        context = _context(screen)  # may fall back to the list: the template follows
        return render_to_string(_template(screen), context)


def handle(screen, form):
    screen.view = form.get("view", "home")
    screen.filters = {"session": form.get("session", "")}
    return ui.perform(screen, form, _ACTIONS, render)


# --- actions ---------------------------------------------------------------------------------------


def _view(screen, form):
    pass


def _keep(screen, form, *names):
    screen.form = {name: form.getlist(name) if name == "students" else form.get(name, "") for name in names}


def _save(screen, form):
    _keep(screen, form, *_SESSION_FIELDS)
    session = services.save_session(screen.actor, form, session_id=form.get("session") or None)
    screen.notice = _("Session saved: “%(title)s”.") % {"title": session.title}
    screen.view, screen.form, screen.filters = "home", {}, {}


def _cancel(screen, form):
    session = services.cancel_session(screen.actor, form.get("session"))
    screen.notice = _("Session cancelled: “%(title)s”. Calendars show it as cancelled.") % {"title": session.title}
    screen.view = "home"


def _cancel_meeting(screen, form):
    session = services.cancel_meeting(screen.actor, form.get("session"), form.get("meeting"))
    day = date_format(datetime.fromisoformat(form["meeting"]), "l j F Y")
    screen.notice = _("Meeting of %(day)s cancelled: “%(title)s”. Calendars show it as cancelled.") % {
        "day": day, "title": session.title}
    screen.view = "home"


# What importing did to each session, after its title.
_RESULTS = {
    "created": pgettext_lazy("session import", "created"),
    "updated": pgettext_lazy("session import", "updated"),
    "cancelled": pgettext_lazy("session import", "cancelled"),
    "stale": pgettext_lazy("session import", "older than what is here: unchanged"),
    "unchanged": pgettext_lazy("session import", "already up to date"),
    "unknown_cancel": pgettext_lazy("session import", "a cancellation of a session not found here"),
    "unknown_change": pgettext_lazy("session import", "a change to meetings of a session not found here"),
}


def _import_ics(screen, form):
    _keep(screen, form, "ics", "kind")
    results = services.import_invitation(screen.actor, form.get("ics", ""), kind=form.get("kind") or "group_supervision")
    screen.notice = "; ".join(
        f"{session.title if session else '—'}: {_RESULTS[what]}" for what, session in results)
    screen.form = {}


def _import_attendance(screen, form):
    _keep(screen, form, "report", "occurrence")
    screen.view = "attendance"
    summary = attendance.import_attendance(screen.actor, form.get("session"), form.get("report", ""),
                                         occurrence=form.get("occurrence", ""))
    screen.form = {}
    screen.notice = _summary(summary)
    if summary["review"] is not None:
        count = len(summary["review"].rows)
        screen.notice += " " + ngettext(
            "%(count)d row matched no student: assign it below.",
            "%(count)d rows matched no student: assign them below.", count) % {"count": count}


def _summary(summary):
    parts = [ngettext("%(count)d student credited (waiting for confirmation).",
                      "%(count)d students credited (waiting for confirmation).", summary["credited"])
             % {"count": summary["credited"]}]
    if summary["already"]:
        parts.append(ngettext("%(count)d was already recorded for this meeting.",
                              "%(count)d were already recorded for this meeting.", summary["already"])
                     % {"count": summary["already"]})
    if summary["noted"]:
        parts.append(ngettext("%(count)d attended but had already logged that time: not credited again.",
                              "%(count)d attended but had already logged that time: not credited again.",
                              summary["noted"]) % {"count": summary["noted"]})
    return " ".join(parts)


def _resolve(screen, form):
    screen.view = "attendance"
    _keep(screen, form, *[key for key in form if key.startswith("row-")])
    choices = {key[4:]: value for key, value in form.items() if key.startswith("row-")}
    summary = attendance.resolve_review(screen.actor, form.get("review"), choices)
    screen.form = {}
    screen.notice = _summary(summary)
    if summary["skipped"]:
        screen.notice += " " + ngettext("%(count)d row skipped.", "%(count)d rows skipped.",
                                        summary["skipped"]) % {"count": summary["skipped"]}
    if summary["waiting"]:
        screen.notice += " " + ngettext(
            "%(count)d row still waits for your choice.", "%(count)d rows still wait for your choice.",
            summary["waiting"]) % {"count": summary["waiting"]}


def _renew_feed(screen, form):
    calendars.feed_token(screen.actor, renew=True)
    screen.notice = _("New calendar address made: the old one no longer works. Subscribe again with the new one.")


def _revoke_feed(screen, form):
    calendars.revoke_feed(screen.actor)
    screen.notice = _("Calendar address revoked: calendars subscribed to it stop updating.")


_ACTIONS = {
    "view": _view,
    "save_session": _save,
    "cancel_session": _cancel,
    "cancel_meeting": _cancel_meeting,
    "import_ics": _import_ics,
    "import_attendance": _import_attendance,
    "resolve_review": _resolve,
    "renew_feed": _renew_feed,
    "revoke_feed": _revoke_feed,
}
_SESSION_FIELDS = ("title", "kind", "date", "time", "minutes", "repeat", "weeks", "meeting_link", "passcode",
                   "agenda", "students")


# --- what each person sees --------------------------------------------------------------------------


def _template(screen):
    if services.may_manage(screen.actor) and screen.view in ("edit", "attendance"):
        return f"maydan/sessions/{screen.view}.html"
    return "maydan/sessions/home.html"


def _context(screen):
    # Times go to templates as naive wall-clock times in the session's zone, shown as they are
    # whatever the server's zone.
    actor = screen.actor
    manage = services.may_manage(actor)
    context = {
        "screen": screen, "course": actor.course, "role_label": ui.role_label(actor), "manage": manage,
        "kinds": SESSION_KINDS.items(), "kind_labels": SESSION_KINDS,
    }
    token = calendars.current_feed(actor)
    key = token.key if token else ""
    context["may_have_feed"] = actor.person is not None
    context["feed_url"] = views.feed_url(key) if key else ""
    context["feed_https"] = views.feed_url(key, webcal=False) if key else ""
    if _template(screen).endswith("home.html"):
        rows = []
        for session, start in services.upcoming(actor):
            rows.append({
                "session": session, "start": recurrence.wall_clock(start, session.time_zone),
                "end": recurrence.wall_clock(start + timedelta(minutes=session.minutes), session.time_zone),
                "ics": views.session_url(key, session.pk) if key else "",
                "group": list(session.students.all()),
            })
        context["rows"] = rows
        context["odd"] = services.odd_sessions(actor)
        context["reviews"] = attendance.open_reviews(actor)
        if manage:
            context["students"] = list(services.course_students(actor.course))
            context["form"] = screen.form or {"kind": "group_supervision", "minutes": "60", "repeat": "once",
                                              "weeks": "12"}
            context["recent"] = _recent(actor)
        return context
    try:
        session = services.session_for(actor, screen.filters.get("session"))
    except NotFound as missing:
        screen.view, screen.error = "home", screen.error or str(missing.message)
        return _context(screen)
    why = services.problem(session)
    if why and screen.view != "edit":  # only its form (to repair it) and the list (to cancel it) open
        screen.view, screen.filters, screen.error = "home", {}, screen.error or why
        return _context(screen)
    context["session"] = session
    if screen.view == "edit":
        context["students"] = list(services.course_students(actor.course))
        context["form"] = screen.form or _form_from(session)
        return context
    past = services.past_occurrences(session)
    context.update(
        occurrences=[(start.isoformat(), recurrence.wall_clock(start, session.time_zone)) for start in past[:60]],
        attendance=[(a, recurrence.wall_clock(a.occurrence, session.time_zone))
                    for a in attendance.attendance_of(session)],
        audience=[p for p in services.course_students(actor.course) if p.pk in attendance.audience(session)],
        form=screen.form,
    )
    context["reviews"] = [_review_rows(review, session, context["audience"], screen.form)
                          for review in attendance.open_reviews(actor, session)]
    return context


def _review_rows(review, session, audience, form):
    """A review as the screen lists it: each waiting row with its likely students, the clearest chosen."""
    suggested = attendance.suggestions(review, audience)
    rows = []
    for index, row in attendance.waiting_rows(review):
        ranked, chosen = suggested[index]
        likely = [person for _score, person in ranked]
        sent = (form or {}).get(f"row-{index}")  # what the supervisor chose before a refusal
        rows.append({"index": index, "field": f"row-{index}", "row": row, "likely": likely,
                     "others": [p for p in audience if p not in likely],
                     "chosen": sent if sent is not None else (str(chosen.pk) if chosen else "")})
    return {"review": review, "local": recurrence.wall_clock(review.occurrence, session.time_zone), "rows": rows}


def _recent(actor):
    """Sessions that met in the last eight weeks, for the attendance links."""
    now = timezone.now()
    rows = []
    for session in services.visible_sessions(actor):
        met = services.occurrences(session, after=now - timedelta(weeks=8), before=now)
        if met:
            rows.append({"session": session, "last": recurrence.wall_clock(met[-1], session.time_zone)})
    return sorted(rows, key=lambda row: row["last"], reverse=True)


def _form_from(session):
    weeks = ""
    if session.rule and "COUNT=" in session.rule:
        weeks = session.rule.split("COUNT=")[1].split(";")[0]
    return {
        "title": session.title, "kind": session.kind, "date": session.start_date.isoformat(),
        "time": session.start_time.strftime("%H:%M"), "minutes": str(session.minutes),
        "repeat": "weekly" if session.rule else "once", "weeks": weeks or "12",
        "meeting_link": session.meeting_link, "passcode": session.passcode, "agenda": session.agenda,
        "students": [str(p.pk) for p in session.students.all()],
    }
