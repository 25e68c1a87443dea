"""The field log's screens: the student's log, the supervisors' overview and a placement's log,
its documents, and the agency supervisor's link, with the actions each posts.

Drawn and handled through the machinery every capability shares (maydan.ui).
"""
from datetime import timedelta

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .. import parse, roles, ui, vocab
from ..documents import screens as documents
from ..errors import Conflict, NotFound
from ..grading import agreements
from ..notify import services as notify
from . import cards, entry_form, hours, layout, links, overview_list, student_log
from . import services as fieldlog
from .input import today_in
from ..ui import speaking


def render(screen):
    with speaking(screen):
        context = _drawn(screen, _context(screen))
        template = _template(screen)
        if template == STUDENT_LOG:
            return student_log.draw(screen, context)
        if template == OVERVIEW:
            return layout.draw(screen, context, layout.STUDENTS, context["overview"])
        return render_to_string(template, context)


def handle(screen, form):
    """Perform the posted action; return (HTTP status, HTML of the resulting screen)."""
    screen.view = form.get("view", screen.view)
    screen.placement_id = form.get("placement", "")
    return ui.perform(screen, form, _ACTIONS, render)


# --- actions: each calls one core service and says what to show next --------------------


def _view(screen, form):
    screen.entry_id = form.get("entry", "")
    screen.filters = {k: form.get(k, "") for k in ("student", "status", "week")}


def _save(screen, form):
    screen.form = {key: form.getlist(key) if key == "competencies" else form.get(key, "") for key in form}
    screen.entry_id = form.get("entry", "")
    fieldlog.save_entry(screen.actor, form, entry_id=screen.entry_id or None, submit=form.get("submit") == "1")
    screen.notice = _("Entry submitted for approval.") if form.get("submit") == "1" else _("Draft saved.")
    screen.form, screen.entry_id = {}, ""


def _submit(screen, form):
    fieldlog.submit_entry(screen.actor, form.get("entry"))
    screen.notice = _("Entry submitted for approval.")


def _submit_week(screen, form):
    day = parse.parse_date(form.get("week"), message=_("Choose a day of the week to submit."), field="week")
    count = len(fieldlog.submit_week(screen.actor, day))
    screen.notice = translation.ngettext(
        "%(count)d entry submitted for approval.", "%(count)d entries submitted for approval.", count
    ) % {"count": count}


def _withdraw(screen, form):
    fieldlog.withdraw_entry(screen.actor, form.get("entry"))
    screen.notice = _("Entry withdrawn. It stays on record.")


def _review(service, notice):
    def act(screen, form):
        service(screen.actor, form.get("entry"), form.get("comment", ""))
        screen.notice = notice()
        screen.view = "placement" if screen.placement_id else screen.view
    return act


def _posted_day(form):
    """The day a week action names, or None (the service refuses it, beside the field)."""
    return parse.optional_date(form.get("week"))


def _report(screen, batch, done_message):
    screen.view = "placement"
    screen.refused = batch.refused
    if not batch.done:  # every entry refused: nothing was written, the answer says so (409)
        raise Conflict(_("Nothing was signed: see the reason beside each entry."))
    screen.notice = done_message(len(batch.done))


def _approve_week(screen, form):
    placement = screen.placement_id or getattr(screen.actor.link_placement, "pk", "")
    batch = fieldlog.approve_week(screen.actor, placement, _posted_day(form))
    _report(screen, batch, lambda count: translation.ngettext(
        "%(count)d entry approved.", "%(count)d entries approved.", count) % {"count": count})


def _countersign(batch_of):
    def act(screen, form):
        _report(screen, batch_of(screen, form), lambda count: translation.ngettext(
            "%(count)d entry countersigned.", "%(count)d entries countersigned.", count) % {"count": count})
    return act


def _issue_link(screen, form):
    _link, token = links.issue(
        screen.actor, form.get("placement"), days=form.get("days", 30), supervisor_name=form.get("name", ""),
        email=form.get("email", ""),
    )
    screen.view = "placement"
    screen.new_link = screen.link_url(token) if screen.link_url else token
    screen.notice = (_("Link created and e-mailed to the agency supervisor.") if _link.email else
                     _("Link created. Send it to the agency supervisor; it is shown only once."))


def _add_email(screen, form):
    address = notify.request_address(screen.actor, form.get("email", ""))
    screen.notice = _("We sent a confirmation link to %(address)s. Open it to receive e-mails there.") % {
        "address": address}


def _resend_link(screen, form):
    links.resend(screen.actor, form.get("link"))
    screen.view = "placement"
    screen.notice = _("Link sent again by e-mail.")


def _revoke_link(screen, form):
    links.revoke(screen.actor, form.get("link"))
    screen.view = "placement"
    screen.notice = _("Link revoked: it no longer opens anything.")


_ACTIONS = {
    "view": _view,
    "save": _save,
    "submit": _submit,
    "submit_week": _submit_week,
    "withdraw": _withdraw,
    "approve": _review(fieldlog.approve_entry, lambda: _("Entry approved.")),
    "return": _review(fieldlog.return_entry, lambda: _("Entry returned to the student with your comment.")),
    "countersign": _review(fieldlog.countersign_entry, lambda: _("Entry countersigned.")),
    "reopen": _review(fieldlog.reopen_entry, lambda: _("Entry reopened and returned to the student.")),
    "approve_week": _approve_week,
    "countersign_selected": _countersign(lambda screen, form: fieldlog.countersign_entries(
        screen.actor, form.getlist("entries"))),
    "countersign_week": _countersign(lambda screen, form: fieldlog.countersign_week(
        screen.actor, screen.placement_id, _posted_day(form))),
    "issue_link": _issue_link,
    "revoke_link": _revoke_link,
    "resend_link": _resend_link,
    "add_email": _add_email,
    "sign_document": documents.sign,
}
# The placement's documents (certificate, agreement) as files: adapters call this before `handle`.
download = documents.download


# --- what each role sees ----------------------------------------------------------------


# The student's log and the supervisors' overview: drawn in Python (maydan.fieldlog.student_log, overview_list and
# layout), named as the templates they were.
STUDENT_LOG, OVERVIEW = "maydan/fieldlog/student.html", "maydan/fieldlog/overview.html"


def _template(screen):
    actor = screen.actor
    if screen.view == "documents" and (actor.has(roles.STUDENT) or actor.link_placement is not None
                                       or screen.placement_id):
        return "maydan/fieldlog/documents.html"
    if actor.link_placement is not None or (screen.view == "placement" and not actor.has(roles.STUDENT)):
        return "maydan/fieldlog/placement.html"
    if actor.supervises_course or actor.has(roles.AGENCY):
        return OVERVIEW
    if actor.has(roles.STUDENT):
        return STUDENT_LOG
    return "maydan/fieldlog/author.html"


def _context(screen):
    actor = screen.actor
    context = {
        "screen": screen,
        "course": actor.course,
        "vocab": vocab,
        "activity_types": vocab.ACTIVITY_TYPES.items(),
        "modalities": vocab.MODALITIES.items(),
        "time_kinds": vocab.TIME_KINDS.items(),
        "competencies": vocab.COMPETENCIES.items(),
        "statuses": vocab.STATUSES.items(),
        "role_label": ui.role_label(actor),
        "mail": notify.mail_settings(actor),
    }
    template = _template(screen)
    if template.endswith("student.html"):
        placement = fieldlog.placement_for(actor)
        entries = cards.draw(fieldlog.entries(actor, placement, with_history=False), screen, actor.course,
                             actions=cards.STUDENT)
        editing = next((e for e in entries if str(e.pk) == str(screen.entry_id)), None)
        context.update(placement=placement, progress=fieldlog.progress(placement, entries), entries=entries,
                       editing=editing, form=screen.form or _form_from(editing, placement),
                       agreement=agreements.beside_log(actor, placement, screen.language),
                       **_student_weeks(actor, entries))
    elif template.endswith("documents.html"):
        # Built on their own screen: each document's content is read to know whether its signatures still hold.
        placement = _placement_shown(screen)
        if placement is None:
            return _context(screen)
        context.update(placement=placement, documents=documents.beside_log(actor, placement),
                       back_to_placement=actor.link_placement is not None or not actor.has(roles.STUDENT)
                       or actor.supervises_course)
    elif template.endswith("placement.html"):
        placement = _placement_shown(screen)
        if placement is None:
            return _context(screen)
        week = parse.optional_date(screen.filters.get("week"))
        entries = fieldlog.entries(actor, placement, status=screen.filters.get("status") or None, week=week,
                                   with_history=False)
        _mark_refused(entries, screen.refused)
        cards.draw(entries, screen, actor.course, actions=cards.REVIEW, placement=placement,
                   may_countersign=actor.supervises_course)
        context.update(
            placement=placement,
            progress=fieldlog.progress(placement),
            entries=entries,
            weeks=_by_week(entries),
            waiting=sum(entry.status == vocab.SUBMITTED for entry in entries),
            link=actor.link,
            links=links.links_for(placement) if actor.supervises_course else [],
            may_countersign=actor.supervises_course,
            agreement=agreements.beside_log(actor, placement, screen.language),
        )
    elif template.endswith("author.html"):
        context["target_hours"] = actor.course.target_hours or hours.DEFAULT_TARGET_HOURS.get(actor.course.program)
    else:
        week = parse.optional_date(screen.filters.get("week"))
        context["rows"] = fieldlog.overview(
            actor, student=screen.filters.get("student", ""), status=screen.filters.get("status", ""), week=week
        )
    return context


def _drawn(screen, context):
    """The parts of the student's log and of the overview written in Python rather than by their templates."""
    if "rows" in context:
        context["overview"] = overview_list.draw(screen, context["rows"])
    elif "form" in context:
        context["entry_form"] = entry_form.draw(screen, context["form"], context["editing"])
    return context


def _placement_shown(screen):
    """The placement a sub-screen shows: a student's own, a link's own, or the one a supervisor
    opened. None (and the screen set back to "home") when the supervisor's id is not theirs."""
    actor = screen.actor
    if actor.link_placement is not None:
        # A link opens its own placement only: any other id is not found, at once (a fall back to
        # "home" would draw this same template again, for ever).
        if screen.placement_id and screen.placement_id != str(actor.link_placement.pk):
            raise NotFound(_("This placement does not exist or is not yours to see."))
        return fieldlog.placement_for(actor, actor.link_placement.pk)
    if actor.has(roles.STUDENT) and not actor.supervises_course:
        return fieldlog.placement_for(actor)
    try:
        return fieldlog.placement_for(actor, screen.placement_id)
    except NotFound:
        screen.view = "home"
        return None


def _student_weeks(actor, entries):
    """A student's log opens on this week (in the course's time zone), entries returned to them first."""
    today = today_in(actor.course.time_zone)
    monday = today - timedelta(days=today.weekday())
    returned = [entry for entry in entries if entry.status == vocab.RETURNED]
    rest = [entry for entry in entries if entry.status != vocab.RETURNED]
    return {
        "returned": returned,
        "this_week": [entry for entry in rest if entry.date >= monday],
        "earlier": [entry for entry in rest if entry.date < monday],
        "monday": monday,
    }


def _by_week(entries):
    """Entries grouped by ISO week, newest week first, each with what waits in it."""
    weeks = {}
    for entry in entries:
        monday = entry.date - timedelta(days=entry.date.weekday())
        weeks.setdefault(monday, []).append(entry)
    return [
        {"monday": monday, "entries": group,
         "waiting": sum(e.status == vocab.SUBMITTED for e in group),
         "approved": sum(e.status == vocab.APPROVED for e in group)}
        for monday, group in sorted(weeks.items(), reverse=True)
    ]


def _mark_refused(entries, refused):
    reasons = {str(entry_id): message for entry_id, message in refused}
    for entry in entries:
        entry.refusal = reasons.get(str(entry.pk), "")


def _form_from(entry, placement):
    if entry is None:
        return {"agency": placement.agency, "modality": "in_person", "time_kind": "direct"}
    return {
        "date": entry.date.isoformat(),
        "start_time": entry.start_time.strftime("%H:%M") if entry.start_time else "",
        "end_time": entry.end_time.strftime("%H:%M") if entry.end_time else "",
        "duration": "" if entry.start_time else str(entry.minutes),
        "activity_type": entry.activity_type,
        "modality": entry.modality,
        "meeting_link": entry.meeting_link,
        "time_kind": entry.time_kind,
        "agency": entry.agency,
        "competencies": [str(c) for c in entry.competencies],
        "client_code": entry.client_code,
        "description": entry.description,
        "reflection": entry.reflection,
    }
