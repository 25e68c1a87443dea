"""The liaison's site-visit screens, drawn inside the cohort screens (maydan.cohort.screens).

"visits": the cohort's placements with their mid-term, visits recorded and planned, and the
no-visit alert; "visit": one placement's visits, planning one and recording what was seen.
"""
from django.core.paginator import Paginator
from django.utils.translation import gettext as _

from .. import fieldlog
from ..errors import Forbidden
from . import rules, services
from .models import SiteVisit

PAGE = 50
RECORD_FIELDS = ("met", "progress", *services.TEXTS)
WHEN_FIELDS = ("kind", "day", "time", "minutes", "meeting_link")


def _require(actor):
    if not services.may_visit(actor):
        raise Forbidden(_("Only the academic supervisor or the field coordinator may schedule and record site visits."))


def _keep(screen, form, names):
    screen.form = {k: form.getlist(k) if k == "met" else form.get(k, "") for k in names}
    screen.form["which"] = form.get("which", "")


# --- actions -------------------------------------------------------------------------------------


def _schedule(screen, form):
    screen.view, screen.placement_id = "visit", form.get("placement", "")
    _keep(screen, form, WHEN_FIELDS)
    services.schedule(screen.actor, screen.placement_id, form, form.get("visit") or None)
    screen.notice, screen.form = _("Visit planned: it is in your calendar feed and the student's."), {}


def _record(screen, form):
    screen.view, screen.placement_id = "visit", form.get("placement", "")
    _keep(screen, form, WHEN_FIELDS + RECORD_FIELDS)
    services.record(screen.actor, screen.placement_id, form, form.get("visit") or None)
    screen.notice, screen.form = _("Visit recorded."), {}


def _cancel(screen, form):
    screen.view, screen.placement_id = "visit", form.get("placement", "")
    services.cancel(screen.actor, screen.placement_id, form.get("visit"))
    screen.notice = _("Visit cancelled.")


ACTIONS = {"schedule_visit": _schedule, "record_visit": _record, "cancel_visit": _cancel}


# --- views ---------------------------------------------------------------------------------------


def _vocabulary():
    return {"kinds": list(rules.KINDS.items()), "met_choices": list(rules.MET.items()),
            "progress_choices": list(rules.PROGRESS.items())}


def _visits(screen):
    """The cohort's placements, a page at a time, each with its mid-term and visits."""
    from ..cohort import dashboard  # the same placements and filters as the dashboard

    _require(screen.actor)
    chosen = dashboard.placements(screen.actor, student=screen.filters.get("student", ""))
    pager = Paginator(chosen, PAGE).get_page(screen.filters.get("page"))
    listed = list(pager.object_list)
    ids = [p.pk for p in listed]
    counts = services.recorded(ids)
    today = dashboard.today_in(screen.actor.course)
    missing = services.missing(screen.actor.course, listed, today, counts)
    due = services.midterm_due(screen.actor.course)
    planned = {}
    for visit in SiteVisit.objects.filter(placement_id__in=ids, status=SiteVisit.SCHEDULED, day__gte=today):
        planned.setdefault(visit.placement_id, visit)
    rows = [{"placement": p, "midterm": rules.midterm(p.starts_on, p.ends_on, due), "recorded": counts.get(p.pk, (0, None)),
             "planned": planned.get(p.pk), "missing": p.pk in missing} for p in listed]
    return "maydan/visits/list.html", {"rows": rows, "pager": pager,
                                       "keep": {"student": screen.filters.get("student", "")}}


def _visit(screen):
    _require(screen.actor)
    placement = fieldlog.placement_for(screen.actor, screen.placement_id)
    found = services.visits_of(placement)
    posted = screen.form.get("which", "")

    def part(which):
        """(errors, values) for the form that was posted, so each form shows only its own."""
        return (screen.errors, screen.form) if posted == which else ({}, {})

    for visit in found:  # labels looked up once here rather than in the template
        visit.errors, visit.values = part(str(visit.pk))
        visit.kind_label = rules.KINDS.get(visit.kind, "")
        visit.met_labels = [rules.MET[m] for m in visit.met if m in rules.MET]
        visit.progress_label = rules.PROGRESS.get(visit.progress, "")
    due = services.midterm_due(screen.actor.course)
    return "maydan/visits/placement.html", {
        "placement": placement, "visits": found, "midterm": rules.midterm(placement.starts_on, placement.ends_on, due),
        "plan": part("plan"), "record": part("record"), **_vocabulary(),
    }


VIEWS = {"visits": _visits, "visit": _visit}
