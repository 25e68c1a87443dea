"""The field coordinator's screens, shared by every adapter, like `maydan.fieldlog.screens` for the field log.

Views: "home" (the cohort dashboard with alerts), "student" (one student's hours by category
and competency), "visits" and "visit" (site visits, maydan.visits.screens), "evidence" (the
accreditation evidence report, printable), "placements"
(agencies and the CSV import with its dry run) and "exports" (CSV, XLSX, SPSS).
Coordinators and academic supervisors see the whole cohort; an agency supervisor only the
dashboard of their own students; students nothing.
"""
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _, gettext_noop, pgettext

from .. import activities, numbers, roles, ui, vocab
from ..errors import Forbidden, Invalid, Refused
from ..models import Person
from ..program import screens as program_screens
from ..visits import screens as visit_screens
from . import charts, dashboard, evidence, exports, placements, queries, rules

TITLE = gettext_noop("Cohort dashboard")
FILTERS = ("agency", "supervisor", "status", "student", "page")
# Students per page of the evidence report (nine rows each) and of the dashboard; the cohort's counts and
# charts cover them all.
EVIDENCE_PAGE = 50
HOME_PAGE = 50
ALERT_LABELS = {
    rules.BEHIND: gettext_noop("Behind schedule"),
    rules.BUNCHED_DAY: gettext_noop("More than 12 h in a day"),
    rules.BUNCHED_WEEK: gettext_noop("More than 40 h in a week"),
    rules.OVERDUE: gettext_noop("Waiting > 7 days for approval"),
    rules.NO_VISIT: gettext_noop("No site visit by mid-term"),
}
FLAG_LABELS = {
    rules.FEW_ASSESSMENTS: gettext_noop("Fewer than two assessments"),
    rules.NO_REAL_PRACTICE: gettext_noop("None in real practice"),
    rules.NO_SIMULATION: gettext_noop("None in simulated practice"),
}
STATUS_LABELS = {
    "alerts": gettext_noop("With alerts"),
    "behind": gettext_noop("Behind schedule"),
    "on_track": gettext_noop("On track"),
    "complete": gettext_noop("Target reached"),
}


def items(course):
    """One ungraded item: the cohort dashboard, for staff."""
    return [activities.Activity("cohort", "", activities._translated(TITLE), graded=False)]


def render(screen):
    if screen.view in program_screens.VIEWS:  # the coordinator's placement matching, inside the cohort block
        return program_screens.render(screen)
    with ui.speaking(screen):
        try:
            template, context = _view(screen)
        except Refused as refusal:
            screen.error = str(refusal.message)
            return render_to_string("maydan/cohort/refused.html", {"screen": screen, "course": screen.actor.course})
        context.update(screen=screen, course=screen.actor.course, nav=_nav(screen.actor),
                       role_label=ui.role_label(screen.actor),
                       is_coordinator=screen.actor.has(roles.COORDINATOR))
        return render_to_string(template, context)


def handle(screen, form):
    if form.get("view") in program_screens.VIEWS:
        return program_screens.handle(screen, form)
    screen.view = form.get("view", "home")
    screen.placement_id = form.get("placement", "")
    screen.filters = {name: form.get(name, "") for name in FILTERS}
    status, html = ui.perform(screen, form, _ACTIONS, render)
    if screen.error and status == 200:  # drawing refused the screen: this person is not staff
        status = 403
    return status, html


# --- actions -------------------------------------------------------------------------------------


def _look(screen, form):
    """Moves between views and filters (handled above)."""


def _save_agency(screen, form):
    screen.view = "placements"
    screen.form = {k: form.get(k, "") for k in ("name", "kind", "address", "contact")}
    agency = placements.save_agency(screen.actor, form)
    screen.notice = _("Agency saved: %(name)s.") % {"name": agency.name}
    screen.form = {}


def _import(screen, form):
    screen.view = "placements"
    screen.form = {"csv": form.get("csv", "")}
    applied, results = placements.import_csv(screen.actor, form.get("csv", ""), apply=form.get("apply") == "1")
    screen.import_results = results
    errors = sum(1 for r in results if r.errors)
    if applied:
        screen.notice = _("Imported: every row was applied.")
        screen.form = {}
    elif errors:
        screen.error = translation.ngettext("%(count)d row has a problem: nothing was imported.",
                                            "%(count)d rows have problems: nothing was imported.", errors) % {
            "count": errors}
        raise Invalid(screen.error)
    else:
        screen.notice = _("Dry run: every row is right. Nothing is saved until you import.")


def download(screen, form):
    """(file name, content type, chunks) when the form asks for an export (the cohort's, or the program's
    research export shown in this block), else None (a screen). Adapters call this before `handle`, and
    stream the file instead of a screen."""
    if form.get("action") != "export":
        return program_screens.download(screen, form)
    with ui.speaking(screen):
        return exports.export(screen.actor, form.get("table", ""), form.get("format", ""),
                              identified=form.get("identified") == "1", language=screen.language)


_ACTIONS = {"view": _look, "save_agency": _save_agency, "import": _import,
            **visit_screens.ACTIONS}


# --- views ---------------------------------------------------------------------------------------


def _nav(actor):
    views = [("home", _("Dashboard"))]
    if actor.supervises_course:
        views += [("visits", _("Site visits")), ("evidence", _("Accreditation evidence")), ("exports", _("Exports"))]
    if actor.has(roles.COORDINATOR):
        views.append(("placements", _("Agencies and placements")))
        views.append(("agencies", _("Placement matching")))
    return views


def _require_supervisor(actor):
    if not actor.supervises_course or actor.link_placement is not None:
        raise Forbidden(_("Only the field coordinator and academic supervisors may see this."))


def _view(screen):
    view = screen.view if screen.view in _VIEWS else "home"
    return _VIEWS[view](screen)


def _chart(items, title, screen, unit=None):
    unit = " " + pgettext("hours, short", "h") if unit is None else unit
    return charts.bars(items, title=title, unit=unit, direction=screen.direction, language=screen.language)


def _home(screen):
    rows = dashboard.rows(screen.actor, **{k: screen.filters.get(k, "") for k in dashboard.FILTERS})
    summary = dashboard.summary(rows)
    pager = Paginator(rows, HOME_PAGE).get_page(screen.filters.get("page"))
    dashboard.with_people(row.placement for row in pager.object_list)
    _alert_lines(pager.object_list)
    return "maydan/cohort/home.html", {
        "rows": pager.object_list, "summary": summary, "pager": pager, "agencies": placements.agencies(screen.actor),
        "keep": {k: v for k, v in screen.filters.items() if k != "page"},
        "supervisors": _supervisors(rows) if screen.actor.supervises_course else [],
        "statuses": [(k, _(v)) for k, v in STATUS_LABELS.items()],
        "alert_counts": [(k, _(v), summary["alerts"].get(k, 0)) for k, v in ALERT_LABELS.items()],
        "category_chart": _chart([(_category(k), round(v / 60, 1)) for k, v in _ordered(summary["categories"])],
                                 _("Approved hours per category"), screen),
        "competency_chart": _chart([(_competency(k), round(summary["competencies"].get(k, 0) / 60, 1))
                                    for k in evidence.COMPETENCIES], _("Approved hours per competency"), screen),
    }


def _student(screen):
    rows = dashboard.rows(screen.actor, placement=screen.placement_id)
    if not rows:
        screen.view = "home"
        return _home(screen)
    row = rows[0]
    dashboard.with_people([row.placement])
    _alert_lines(rows)
    return "maydan/cohort/student.html", {
        "row": row,
        "category_chart": _chart([(_category(k), v) for k, v in row.category_hours()],
                                 _("Approved hours per category"), screen),
        "competency_chart": _chart([(_competency(k), v) for k, v in row.competency_hours()],
                                   _("Approved hours per competency"), screen),
    }


def _evidence(screen):
    _require_supervisor(screen.actor)
    filters = {k: v for k, v in screen.filters.items() if k != "page"}
    pager, summary, supervisors = evidence.page(screen.actor, screen.filters.get("page"), size=EVIDENCE_PAGE,
                                                **filters)
    students = pager.object_list
    dashboard.with_people(student.placement for student in students)
    names, flags = {c: _competency(c) for c in evidence.COMPETENCIES}, _labels(FLAG_LABELS)
    titles = activities.titles(screen.actor.course, screen.language)
    for student in students:  # labels looked up once here rather than by loops in the template
        student.lines = [(names[cell.competency], cell, [(f, flags[f]) for f in cell.flags]) for cell in student.cells]
        for cell in student.cells:  # people read titles, not the forms' and scenarios' keys
            for e in cell.evaluations:
                e["title"] = titles.get(("evaluation", e["form"]), e["form"])
            for s in cell.simulations:
                s["title"] = titles.get(("simulation", s["scenario"]), s["scenario"])
    return "maydan/cohort/evidence.html", {
        "students": students, "summary": summary, "pager": pager,
        "keep": {k: v for k, v in screen.filters.items() if k != "page"},
        "agencies": placements.agencies(screen.actor), "supervisors": _people(supervisors),
        "flagged_chart": _chart([(_competency(s["competency"]), s["flagged"]) for s in summary],
                                _("Students with thin evidence, per competency"), screen, unit=""),
        "score_chart": _chart([(_competency(s["competency"]), s["final"]) for s in summary],
                              _("Mean final evaluation score (1 to 5), per competency"), screen, unit=""),
    }


def _placements(screen):
    placements.require_coordinator(screen.actor)
    return "maydan/cohort/placements.html", {
        "agencies": placements.agencies(screen.actor), "columns": ",".join(placements.COLUMNS),
        "results": getattr(screen, "import_results", None),
        "placements": queries.placements(screen.actor).select_related(
            "student", "host_agency", "academic_supervisor", "agency_supervisor").order_by("student__name"),
    }


def _exports(screen):
    exports.check(screen.actor, identified=False)
    return "maydan/cohort/exports.html", {
        "tables": [(k, str(v)) for k, v in exports.TABLES.items()],
    }


_VIEWS = {"home": _home, "student": _student, "evidence": _evidence, "placements": _placements,
          "exports": _exports, **visit_screens.VIEWS}


def _alert_lines(rows):
    """Each row's alerts and hour captions as text, worded once here rather than per row in the template."""
    labels, language = _labels(ALERT_LABELS), translation.get_language()
    done, waiting = _("%(done)s / %(target)s h"), _("%(hours)s h waiting for approval")
    for row in rows:
        row.alert_lines = [(kind, labels[kind]) for kind in row.alerts.kinds]
        row.done_text = done % {"done": numbers.screen_number(row.bar.approved_hours, language),
                                "target": numbers.screen_number(row.bar.target_hours, language, 0)}
        row.waiting_text = waiting % {"hours": numbers.screen_number(row.bar.pending_hours, language)}


def _labels(labels):
    return {k: _(v) for k, v in labels.items()}


def _ordered(sums):
    return [(k, sums.get(k, 0)) for k in [*vocab.TIME_KINDS, *vocab.ACTIVITY_TYPES]]


def _category(key):
    return str(vocab.TIME_KINDS.get(key) or vocab.ACTIVITY_TYPES.get(key) or key)


def _competency(key):
    return f"{key}. {vocab.COMPETENCIES[int(key)]}"


def _supervisors(rows):
    """The supervisors of these dashboard rows' placements, in one query."""
    return _people({pk for row in rows for pk in (row.placement.academic_supervisor_id,
                                                  row.placement.agency_supervisor_id)} - {None})


def _people(ids):
    return sorted(Person.objects.filter(pk__in=ids), key=lambda p: p.name or p.subject)
