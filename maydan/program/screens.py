"""The program's screens, shared by every adapter: placement matching for the term.

The field coordinator keeps agencies ("agencies"), openings ("openings") and runs the matching
("matching": demand against capacity, hand changes, offers); a student ranks openings ("rank");
an agency contact, through its link, proposes openings and answers offers (the "agency" screen);
the coordinator reads students' and agencies' placements across terms ("history").
Adapters show it as the activity "program" (LTI) or inside the coordinator's cohort block.
"""
from django.core.paginator import Paginator
from django.utils import translation
from django.utils.translation import gettext as _, gettext_noop

from .. import activities, roles, ui, vocab
from ..fieldlog import links
from ..errors import Forbidden
from . import agency_links, feedback_screens, history, rules, services

TITLE = gettext_noop("Placement matching")
VIEWS = ("agencies", "openings", "matching", "history", "feedback")
# Students per page of the matching screen.
PAGE = 50


def items(course):
    return [activities.Activity("program", "", activities._translated(TITLE), graded=False)]


def render(screen):
    return ui.draw(screen, _view, "maydan/program/refused.html",
                   lambda screen: {"nav": _nav(screen), "term": _term(screen), "vocab": vocab, "rules": rules})


def handle(screen, form):
    screen.view = form.get("view", screen.view)
    screen.filters = {name: form.get(name, "") for name in ("term", "find", "unplaced", "page", "pick", "agency")}
    status, html = ui.perform(screen, form, _AGENCY_ACTIONS if _is_desk(screen.actor) else _ACTIONS, render)
    # A screen refused while drawn (not theirs, or a record that is not there) answers as the refusal says.
    return (screen.refused_status or status) if status == 200 else status, html


def _is_desk(actor):
    return isinstance(actor, agency_links.AgencyDesk)


def _term(screen):
    return (screen.filters.get("term") or "").strip()


# --- actions -------------------------------------------------------------------------------------


def _look(screen, form):
    """Moves between views and terms (handled above)."""


def _keep(screen, form, *names):
    screen.form = {k: form.getlist(k) if k in ("fields", "languages") else form.get(k, "") for k in names}


def _save_agency(screen, form):
    screen.view = "agencies"
    _keep(screen, form, "name", "fields", "languages", "modality", "agreement_starts", "agreement_ends",
          "contact_name", "contact_role", "contact_email", "contact_phone")
    agency = services.save_agency(screen.actor, form)
    screen.notice, screen.form = _("Agency saved: %(name)s.") % {"name": agency.name}, {}


def _join(screen, form):
    screen.view = "agencies"
    program = services.join_program(screen.actor, form.get("program", ""))
    screen.notice = _("This course now belongs to the program “%(key)s”.") % {"key": program.key}


def _opening_fields(screen, form):
    _keep(screen, form, "agency", "opening", "term", "title", "capacity", "level", "field", "modality", "schedule",
          "requirements")


def _save_opening(screen, form):
    screen.view = "openings"
    _opening_fields(screen, form)
    opening = services.coordinator_save_opening(screen.actor, form)
    screen.filters["term"] = opening.term
    screen.notice, screen.form = _("Opening saved: %(title)s.") % {"title": opening.title}, {}


def _issue_link(screen, form):
    screen.view = "agencies"
    _link, token = agency_links.issue(screen.actor, form.get("agency"), days=form.get("days", 30),
                                      contact_name=form.get("contact_name", ""))
    screen.new_link = agency_links.url_for(token)
    screen.notice = _("Link created. Send it to the agency contact; it is shown only once.")


def _revoke_link(screen, form):
    screen.view = "agencies"
    agency_links.revoke(screen.actor, form.get("link"))
    screen.notice = _("Link revoked: it no longer opens anything.")


def _rank(screen, form):
    screen.view = "rank"
    ranking = [form.get(f"rank{i}", "") for i in range(1, services.program_for(screen.actor.course).max_ranks + 1)]
    screen.form = {"ranking": ranking, "statement": form.get("statement", "")}
    services.save_preferences(screen.actor, _term(screen), ranking, form.get("statement", ""))
    screen.notice, screen.form = _("Your choices are saved."), {}


def _run(screen, form):
    screen.view = "matching"
    count = services.run_matching(screen.actor, _term(screen))
    screen.notice = translation.ngettext("%(count)d student matched.", "%(count)d students matched.", count) % {
        "count": count}


def _assign(screen, form):
    screen.view = "matching"
    services.assign(screen.actor, _term(screen), form.get("student"), form.get("opening"))
    screen.notice = _("Placement changed by hand: it is kept when the matching runs again.")


def _send(screen, form):
    screen.view = "matching"
    count = services.send_offers(screen.actor, _term(screen))
    screen.notice = translation.ngettext("%(count)d offer sent.", "%(count)d offers sent.", count) % {
        "count": count}


def download(screen, form):
    """(file name, content type, chunks) when the form asks for the research export, else None (a screen).

    Adapters call this before `handle`, and stream the file instead of a screen."""
    if form.get("action") != "export_history":
        return None
    with ui.speaking(screen):
        return history.export(screen.actor, form.get("format", ""), screen.language)


_ACTIONS = {"view": _look, "join": _join, "save_agency": _save_agency, "save_opening": _save_opening, "issue_link": _issue_link,
            "revoke_link": _revoke_link, "rank": _rank, "run": _run, "assign": _assign, "send": _send}


def _desk_opening(screen, form):
    _opening_fields(screen, form)
    opening = agency_links.save_opening_by_link(screen.actor, form)
    screen.filters["term"] = opening.term
    screen.notice, screen.form = _("Opening saved: %(title)s.") % {"title": opening.title}, {}


def _answer(accept):
    def act(screen, form):
        offer = services.answer_offer(screen.actor, form.get("offer"), accept, form.get("supervisor_name", ""),
                                      form.get("supervisor_email", ""))
        screen.notice = _("Offer accepted: the student is placed with you.") if accept else _("Offer declined.")
        if offer.link_token:
            screen.new_link = links.url_for(offer.link_token)
            screen.new_link_placement = offer.placement
    return act


def _rank_applicants(screen, form):
    positions = {key[len("applicant_"):]: form.get(key) for key in form if key.startswith("applicant_")}
    services.rank_applicants(screen.actor, form.get("opening"), positions)
    screen.notice = _("Your order of the applicants is saved: the matching will follow it.")


_AGENCY_ACTIONS = {"view": _look, "save_opening": _desk_opening, "rank_applicants": _rank_applicants, "accept": _answer(True), "decline": _answer(False)}


# --- views ---------------------------------------------------------------------------------------


def _nav(screen):
    actor = screen.actor
    if _is_desk(actor) or not actor.has(roles.COORDINATOR):
        return []
    back = [("home", _("Cohort dashboard"))] if screen.activity == "cohort" else []
    return back + [("agencies", _("Agencies")), ("openings", _("Openings")), ("matching", _("Matching and offers")),
                   ("history", _("History")), ("feedback", _("Students' evaluations of placements"))]


def _view(screen):
    actor = screen.actor
    if _is_desk(actor):
        return _agency(screen)
    if actor.has(roles.COORDINATOR) and actor.link_placement is None:
        screen.view = screen.view if screen.view in VIEWS else "agencies"
        return _COORDINATOR_VIEWS[screen.view](screen)
    if actor.has(roles.STUDENT):
        screen.view = "rank"
        return _student(screen)
    raise Forbidden(_("Only the field coordinator and students use placement matching."))


def _default_term(screen, terms):
    if not _term(screen) and terms:
        screen.filters["term"] = terms[0]


def _agencies(screen):
    return "maydan/program/agencies.html", {
        "program": services.program_for(screen.actor.course), "agencies": services.agencies(screen.actor), "fields": rules.FIELDS.items(),
        "languages": rules.LANGUAGES.items(), "modalities": vocab.MODALITIES.items(),
    }


def _openings_context(screen, openings):
    return {"openings": openings, "levels": vocab.PROGRAMS.items(), "fields": rules.FIELDS.items(),
            "modalities": vocab.MODALITIES.items()}


def _openings(screen):
    terms = services.terms(screen.actor)
    _default_term(screen, terms)
    context = _openings_context(screen, services.openings(screen.actor, _term(screen)) if _term(screen) else [])
    context.update(terms=terms, agencies=services.agencies(screen.actor))
    return "maydan/program/openings.html", context


def _matching(screen):
    """Demand against capacity for every opening, and the term's students a page at a time: the queries and
    the page's size stay the same however many students ranked."""
    terms = services.terms(screen.actor)
    _default_term(screen, terms)
    term = _term(screen)
    if not term:
        return "maydan/program/matching.html", {"terms": terms, "rows": []}
    openings, demand = services.demand(screen.actor, term)
    search, unplaced = screen.filters.get("find", "").strip()[:100], screen.filters.get("unplaced") == "1"
    chosen = services.rankings(screen.actor, term, student=search, unplaced=unplaced)
    pager = Paginator(chosen, PAGE).get_page(screen.filters.get("page"))
    prefs = list(pager.object_list)
    offers = services.offers_of(screen.actor, term, [p.student_id for p in prefs])
    everyone = services.rankings(screen.actor, term)
    return "maydan/program/matching.html", {
        "terms": terms,
        "rows": [(o, demand[o.pk]) for o in openings],
        "students": [(p, offers.get(p.student_id)) for p in prefs],
        "ranked_count": everyone.count(),
        "unplaced_count": services.rankings(screen.actor, term, unplaced=True).count(),
        "offer_count": sum(d.filled for d in demand.values()),
        "openings": openings, "search": search, "unplaced": unplaced, "pager": pager,
        "keep": {"term": term, "find": search, "unplaced": "1" if unplaced else ""},
    }


def _student(screen):
    terms = services.terms(screen.actor)
    _default_term(screen, terms)
    term = _term(screen)
    level = screen.actor.course.program
    openings = services.openings(screen.actor, term, level=level) if term else []
    mine = services.preference(screen.actor, term) if term else None
    slots = services.program_for(screen.actor.course).max_ranks
    chosen = screen.form.get("ranking") or [str(v) for v in (mine.ranking if mine else [])]
    chosen = (list(chosen) + [""] * slots)[:slots]
    context = _openings_context(screen, openings)
    context.update(terms=terms, slots=[(i + 1, chosen[i]) for i in range(slots)],
                   statement=screen.form.get("statement", mine.statement if mine else ""), saved=mine,
                   offer=services.my_offer(screen.actor, term) if term else None)
    return "maydan/program/student.html", context


def _agency(screen):
    desk = screen.actor
    terms = sorted({o.term for o in desk.agency.openings.all()}, reverse=True)
    _default_term(screen, terms)
    term = _term(screen)
    openings = list(desk.agency.openings.filter(term=term).order_by("title")) if term else []
    context = _openings_context(screen, openings)
    found = services.applicants(desk.agency, term) if term else {}
    for opening in openings:
        order = {student: i + 1 for i, student in enumerate(opening.agency_ranking)}
        opening.applicants = [(p, order.get(p.student_id, "")) for p in found.get(opening.pk, [])]
    context.update(terms=terms, agency=desk.agency,
                   offers=[o for o in services.offers(desk, term, agency=desk.agency) if o.status != "proposed"]
                   if term else [])
    return "maydan/program/agency.html", context


def _history(screen):
    """A student's placements across terms, or an agency's students across terms; and the research export."""
    actor, found = screen.actor, screen.filters
    context = {"agencies": services.agencies(actor), "people": history.find_students(actor, found.get("find", "")),
               "student": None, "agency": None}
    if found.get("pick"):
        context["student"], context["placements"] = history.of_student(actor, found["pick"])
    elif found.get("agency"):
        agency, pager = history.of_agency(actor, found["agency"], found.get("page"))
        context.update(agency=agency, placements=pager.object_list, pager=pager, keep={"agency": agency.pk})
    return "maydan/program/history.html", context


_COORDINATOR_VIEWS = {"agencies": _agencies, "openings": _openings, "matching": _matching, "history": _history,
                      "feedback": feedback_screens.coordinator_view}

