"""The evaluation's screens, shared by every adapter (as `maydan.fieldlog.screens` is for the field log).

One activity item per evaluation form (`screen.key`). Supervisors start from the grading
list; each placement has its evaluation form (one side per supervisor, then the
reconciliation), its learning agreement, its process recordings and its reflections to grade.
Students see their released results and write their learning agreement and process recordings.
Every action calls one service.
"""
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy

from .. import courses, numbers, roles, spreadsheets, ui
from ..fieldlog import links
from ..errors import Refused
from ..program import feedback_screens
from . import agreements, bulk, correction_screens, markings, queue, recordings, scoring, selfeval, services, voices
from .markings import STATUSES as MARKING_STATUSES
from .models import Marking

# Pieces of work per page of the grading queue.
QUEUE_PAGE = 50
SUPERVISOR_VIEWS = ("list", "queue", "evaluate", "agreement", "reflections", "recordings", "settings", "bulk")
STUDENT_VIEWS = ("results", "agreement", "recordings", "placement_feedback")
# Views of one placement, and those an agency supervisor may open.
PLACEMENT_VIEWS = ("evaluate", "agreement", "reflections", "recordings")
AGENCY_VIEWS = ("evaluate", "agreement", "recordings")
RULE_LABELS = {
    scoring.WEIGHTED_MEAN: gettext_lazy("Weighted mean of the two supervisors"),
    scoring.MINIMUM: gettext_lazy("The lower of the two values"),
    scoring.MODERATOR: gettext_lazy("A moderator decides when they differ by more than the threshold"),
}


def render(screen):
    with ui.speaking(screen):
        screen.key = services.form_of(screen.key or next(iter(services.forms()))).id
        view = _view_name(screen)
        try:
            context = _VIEWS[view](screen)
        except Refused as refusal:
            if view in ("list", "results") or screen.actor.link_placement is not None:
                raise
            # E.g. a placement that is not this person's: say so over their starting view.
            screen.error, screen.view, screen.placement_id = str(refusal.message), "home", ""
            return render(screen)
        context |= correction_screens.context(screen, view, context)
        return render_to_string(f"maydan/grading/{view}.html", context | _common(screen, view))


def handle(screen, form):
    """Perform the posted action; return (HTTP status, HTML of the resulting screen)."""
    screen.view = form.get("view", screen.view)
    screen.placement_id = form.get("placement", "")
    screen.filters = {"page": form.get("page", "")}
    return ui.perform(screen, form, _ACTIONS, render)


def _keep(screen, form):
    """Keep what was typed, so a refused form comes back as the person left it."""
    screen.form = {key: form.get(key, "") for key in form}


def _view_name(screen):
    actor = screen.actor
    if actor.supervises_course or actor.has(roles.AGENCY) or actor.link_placement is not None:
        allowed = SUPERVISOR_VIEWS if actor.supervises_course else ("list", *AGENCY_VIEWS)
        if actor.link_placement is not None:
            screen.placement_id = str(actor.link_placement.pk)
            return screen.view if screen.view in AGENCY_VIEWS else "evaluate"
        if screen.view in PLACEMENT_VIEWS and not screen.placement_id:
            return "list"
        return screen.view if screen.view in allowed else "list"
    if not actor.has(roles.STUDENT):  # a course author: the course's grading settings
        return "settings"
    return screen.view if screen.view in STUDENT_VIEWS else "results"


def _common(screen, view):
    actor = screen.actor
    form = services.form_of(screen.key)
    return {"screen": screen, "course": actor.course, "view": view, "form": form,
            "form_title": form.title.get(screen.language) or form.title["en"],
            "role_label": ui.role_label(actor), "supervises": actor.supervises_course,
            "is_student": actor.has(roles.STUDENT) and not actor.supervises_course,
            "author_only": not (actor.has(roles.STUDENT, roles.AGENCY) or actor.supervises_course or actor.link_placement),
            "by_link": actor.link_placement is not None}


# --- views: what each one shows ------------------------------------------------------------------


STATE_LABELS = {
    "not_started": gettext_lazy("Not started"),
    "scoring": gettext_lazy("Supervisors scoring"),
    "needs_decision": gettext_lazy("Needs a moderator's decision"),
    "ready": gettext_lazy("Ready for release"),
    "released": gettext_lazy("Released"),
}
SHEET_LABELS = {"submitted": gettext_lazy("Submitted"), "draft": gettext_lazy("Draft")}


def _list(screen):
    # Labels are looked up once here, not per row in the template: the list has hundreds of rows.
    states = {key: str(label) for key, label in STATE_LABELS.items()}
    sheets = {key: str(label) for key, label in SHEET_LABELS.items()}
    rows = []
    for row in services.grading_list(screen.actor, [screen.key]):
        cell = row["cells"][0]
        rows.append({"placement": row["placement"], "state": cell["state"], "state_label": states[cell["state"]],
                     "agency": sheets.get(cell["sheets"].get(scoring.AGENCY), "—"),
                     "academic": sheets.get(cell["sheets"].get(scoring.ACADEMIC), "—"),
                     "percent": _percent(cell["score"]) if cell["score"] is not None else ""})
    return {"rows": rows}


def _queue(screen):
    """What waits to be graded, oldest first, a page at a time (a large course has thousands of pieces waiting);
    each opens where it is graded, when that is in this activity."""
    language = screen.language
    waiting = queue.unnamed(screen.actor)
    pager = Paginator(waiting, QUEUE_PAGE).get_page(screen.filters.get("page"))
    rows = []
    for item in queue.named(pager.object_list):
        detail = item.detail if isinstance(item.detail, str) else (
            item.detail.get(language) or item.detail.get("en") or "—")
        opens = item.view and (item.kind != "evaluation" or item.form == screen.key)
        rows.append({"item": item, "detail": detail, "opens": opens})
    return {"rows": rows, "pager": pager, "waiting": len(waiting)}


def _shown(values, key, scale, language):
    """A value as people read it: 4, 3.5, N/O, or — when not given."""
    if key not in values:
        return ""
    value = values[key]
    if value is None:
        return scale.not_observed.get(language) or "N/O"
    return numbers.screen_number(value, language) if isinstance(value, float) else str(value)


VOICE_LABELS = {
    selfeval.SELF: gettext_lazy("Student's self-evaluation"),
    scoring.AGENCY: gettext_lazy("Agency supervisor"),
    scoring.ACADEMIC: gettext_lazy("Academic supervisor"),
    "final": gettext_lazy("Final"),
}


def _evaluate(screen):
    data = services.view(screen.actor, screen.placement_id, screen.key)
    form, language, sheets = data["form"], screen.language, data["sheets"]
    mine = data["mine"]
    own_self = selfeval.visible(screen.actor, data)
    writing_self = selfeval.may_write(screen.actor, data, own_self)
    editing = writing_self or (bool(data["side"]) and not data["released"] and not (mine and mine.submitted_at))
    # What the form starts from: the person's own saved scores, then what they just posted.
    own = own_self if writing_self else mine
    posted = screen.form
    own_values = {k: scoring.NOT_OBSERVED if v is None else str(v) for k, v in (own.values if own else {}).items()}
    own_comments = own.comments if own else {}
    final = data["evaluation"].final_values if data["released"] else {}
    outcomes = data["outcomes"] or {}
    agency, academic = sheets.get(scoring.AGENCY), sheets.get(scoring.ACADEMIC)
    shown_self = own_self if own_self is not None and own_self.submitted_at else None
    competencies = []
    for number, competency in enumerate(form.framework.competencies, start=1):
        rows = []
        for behaviour in competency.behaviours:
            outcome = outcomes.get(behaviour.id)
            rows.append({
                "id": behaviour.id, "text": behaviour.text.get(language),
                "chosen": posted.get(f"value_{behaviour.id}", own_values.get(behaviour.id, "")),
                "self": _shown(shown_self.values, behaviour.id, form.scale, language) if shown_self else "",
                "agency": _shown(agency.values, behaviour.id, form.scale, language) if agency else "",
                "academic": _shown(academic.values, behaviour.id, form.scale, language) if academic else "",
                "final": _shown(final, behaviour.id, form.scale, language) if final else (
                    _shown({behaviour.id: outcome.value}, behaviour.id, form.scale, language)
                    if outcome and not outcome.needs_decision else ""),
                "needs_decision": bool(outcome and outcome.needs_decision and behaviour.id not in data["decisions"]),
                "decision": data["decisions"].get(behaviour.id),
            })
        competencies.append({
            "id": competency.id, "title": competency.title.get(language), "rows": rows, "number": number,
            "comment": posted.get(f"comment_{competency.id}", own_comments.get(competency.id, "")),
            "self_comment": shown_self.comments.get(competency.id, "") if shown_self else "",
            "agency_comment": agency.comments.get(competency.id, "") if agency else "",
            "academic_comment": academic.comments.get(competency.id, "") if academic else "",
        })
    levels = [(str(level.value), level.label.get(language)) for level in form.scale.levels]
    levels.append((scoring.NOT_OBSERVED, form.scale.not_observed.get(language)))
    waiting = bool(outcomes) and any(o.needs_decision for k, o in outcomes.items() if k not in data["decisions"])
    charts = _voice_charts(screen, form, data, shown_self) if data["released"] else {}
    for competency in competencies:
        competency["chart"] = charts.get(competency["id"], "")
    return data | {
        "competencies": competencies, "levels": levels, "editing": editing, "writing_self": writing_self,
        "self_sheet": shown_self,
        "voice_labels": VOICE_LABELS, "charts": bool(charts),
        "instructions": form.instructions.get(language, ""),
        "overall": posted.get("comment_overall", own_comments.get(services.OVERALL, "")),
        "self_overall": shown_self.comments.get(services.OVERALL, "") if shown_self else "",
        "agency_overall": agency.comments.get(services.OVERALL, "") if agency else "",
        "academic_overall": academic.comments.get(services.OVERALL, "") if academic else "",
        "may_release": screen.actor.supervises_course and data["both_submitted"] and not data["released"] and not waiting,
        "submitted_sides": [s for s in scoring.SIDES if sheets.get(s) and sheets[s].submitted_at],
        "percent": _percent(data["evaluation"].score) if data["evaluation"].score is not None else None,
        "rule_label": RULE_LABELS[data["settings"].rule],
    }


def _voice_charts(screen, form, data, self_sheet):
    """A chart per competency of a released evaluation: every voice this person may see, and the final."""
    heard = [(VOICE_LABELS[selfeval.SELF], self_sheet.values)] if self_sheet else []
    heard += [(VOICE_LABELS[side], data["sheets"][side].values) for side in scoring.SIDES if side in data["sheets"]]
    heard.append((VOICE_LABELS["final"], data["evaluation"].final_values))
    return voices.charts_by_competency(form, heard, language=screen.language, direction=screen.direction)


def _results(screen):
    placement = agreements.agreement_for(screen.actor).placement
    screen.placement_id = str(placement.pk)
    context = _evaluate(screen)
    context["markings"] = markings.for_student(screen.actor)
    return context


def _agreement(screen):
    student = screen.actor.has(roles.STUDENT) and not screen.actor.supervises_course
    agreement = agreements.agreement_for(screen.actor, None if student else screen.placement_id)
    language, posted = screen.language, screen.form
    rows = [{"id": c.id, "title": c.title.get(language),
             "goals": posted.get(f"goals_{c.id}", agreement.goals.get(c.id, {}).get("goals", "")),
             "activities": posted.get(f"activities_{c.id}", agreement.goals.get(c.id, {}).get("activities", ""))}
            for c in agreements.competencies()]
    return {"agreement": agreement, "placement": agreement.placement, "rows": rows,
            "writing": student,
            "side": services.side_of(screen.actor, agreement.placement)}


def marking_item(marking, rubric, language, target):
    """One piece of writing's rubric grade as the marking partial (_marking.html) shows it."""
    chosen = marking.choices if marking else {}
    return {
        "marking": marking, "target": target, "rubric": rubric.id, "rubric_title": rubric.title.get(language),
        "status": MARKING_STATUSES[marking.status if marking else Marking.DRAFT],
        "released": bool(marking) and marking.status == Marking.RELEASED,
        "ready": bool(marking) and marking.status == Marking.READY,
        "criteria": [{"id": c.id, "title": c.title.get(language), "chosen": chosen.get(c.id),
                      "levels": [(level.points, level.label.get(language)) for level in c.levels]}
                     for c in rubric.criteria],
        "history": [(event, _what(event)) for event in markings.history(marking)] if marking else [],
        "moves": [(status, MARKING_STATUSES[status]) for status in markings.next_statuses(marking)],
    }


def mark(screen, form):
    """A posted marking action (grade, move, release_marking, override, undo_override), from any screen."""
    markings.perform(screen.actor, form.get("action", ""), form.get("target") or form.get("entry", ""),
                     form.get("rubric") or markings.REFLECTION_RUBRIC, form)
    screen.notice = _("Grade updated.")


def _reflections(screen):
    data = services.view(screen.actor, screen.placement_id, screen.key)
    rubric = markings.rubric_of(markings.REFLECTION_RUBRIC)
    items = [dict(marking_item(marking, rubric, screen.language, markings.target("entry", entry.pk)), entry=entry)
             for entry, marking in markings.reflections(screen.actor, data["placement"])]
    return {"placement": data["placement"], "items": items, "rubric_title": rubric.title.get(screen.language)}


def _what(event):
    """One history line: what changed, in the reader's language."""
    changes = event.changes
    if "status" in changes:
        old, new = changes["status"]
        return f"{MARKING_STATUSES.get(old, old)} → {MARKING_STATUSES.get(new, new)}"
    if "score" in changes and event.action != "marking_edit":
        old, new = changes["score"]
        return _("score %(old)s%% → %(new)s%%") % {"old": _percent(old), "new": _percent(new)}
    return _("rubric levels or comment changed")


def _percent(score):
    """A 0..1 score as a percentage for reading, with one decimal at most."""
    return "—" if score is None else numbers.screen_number(score * 100, translation.get_language(), 1)


def _recordings(screen):
    actor = screen.actor
    student = actor.has(roles.STUDENT) and not actor.supervises_course
    placement = agreements.agreement_for(actor, None if student else screen.placement_id).placement
    listed = recordings.recordings(actor, placement)
    editing = next((r for r in listed if str(r.pk) == screen.entry_id and r.status == r.DRAFT), None)
    posted = screen.form
    rows = [dict(row) for row in (editing.rows if editing else [])]
    rows += [{} for _ in range(max(3, 8 - len(rows)))][: recordings.MAX_ROWS - len(rows)]
    for i, row in enumerate(rows):
        row.update({c: posted[f"{c}_{i}"] for c in recordings.COLUMNS if f"{c}_{i}" in posted}, i=str(i))
    for recording in listed:  # row numbers as text, for the field names of the comment boxes
        recording.numbered = [dict(row, i=str(i)) for i, row in enumerate(recording.rows)]
    _recording_grades(actor, listed, screen.language)
    return {"placement": placement, "recordings": listed, "writing": student, "editing": editing,
            "keep": [("view", "recordings")],
            "rows": rows, "columns": recordings.COLUMNS,
            "date": posted.get("date", editing.date.isoformat() if editing else ""),
            "client_code": posted.get("client_code", editing.client_code if editing else ""),
            "purpose": posted.get("purpose", editing.purpose if editing else ""),
            "may_comment": services.side_of(actor, placement) is not None,
            "retention_days": services.settings_for(actor.course).retention_days}


def _recording_grades(actor, listed, language):
    """Each submitted recording's rubric grade: the marking form for a course supervisor, else the released grade."""
    found = markings.of_recordings(actor, listed)
    rubric = markings.rubric_of(markings.RECORDING_RUBRIC) if actor.supervises_course else None
    for recording in listed:
        if rubric and recording.status == recording.SUBMITTED:
            target = markings.target("recording", recording.pk)
            recording.grade_shown = {"item": marking_item(found.get(recording.pk), rubric, language, target)}
        else:
            recording.grade_shown = {"released": found.get(recording.pk)}


def _settings(screen):
    settings = services.settings_for(screen.actor.course)
    due = [{"id": form.id, "title": form.title.get(screen.language) or form.title["en"],
            "value": screen.form.get(f"due_{form.id}", settings.due_dates.get(form.id, ""))}
           for form in services.forms().values()]
    return {"settings": settings, "rules": RULE_LABELS.items(), "may_configure": courses.may_configure(screen.actor),
            "due": due}


def _bulk(screen):
    return {"results": getattr(screen, "import_results", None), "applied": getattr(screen, "import_applied", False),
            "csv_text": screen.form.get("csv", "")}


_VIEWS = {"list": _list, "queue": _queue, "evaluate": _evaluate, "results": _results, "agreement": _agreement,
          "reflections": _reflections, "recordings": _recordings, "settings": _settings, "bulk": _bulk,
          "placement_feedback": feedback_screens.student_view}


# --- actions: each calls one service and says what to show next --------------------------------


def _go(screen, form):
    """Only moves between views (handled above)."""


def _save_sheet(screen, form):
    submit = form.get("submit") == "1"
    screen.view = "evaluate"
    _keep(screen, form)
    services.save_sheet(screen.actor, screen.placement_id, screen.key, form, submit=submit)
    screen.form = {}
    screen.notice = _("Your scores were submitted.") if submit else _("Draft saved.")


def _save_self(screen, form):
    submit = form.get("submit") == "1"
    screen.view = "results"
    _keep(screen, form)
    selfeval.save(screen.actor, screen.key, form, submit=submit)
    screen.form = {}
    screen.notice = _("Your self-evaluation was submitted.") if submit else _("Draft saved.")


def _decide(screen, form):
    screen.view = "evaluate"
    services.decide(screen.actor, screen.placement_id, screen.key, form.get("behaviour", ""),
                    form.get("value", ""), form.get("reason", ""))
    screen.notice = _("Final value recorded with your reason.")


def _release(screen, form):
    screen.view = "evaluate"
    services.release(screen.actor, screen.placement_id, screen.key)
    screen.notice = _("Evaluation released to the student.")


def _reopen(screen, form):
    screen.view = "evaluate"
    services.reopen_sheet(screen.actor, screen.placement_id, screen.key, form.get("side", ""), form.get("reason", ""))
    screen.notice = _("Scores handed back to their author.")


def _issue_link(screen, form):
    """An agency link that opens this evaluation (and the agency's review of the log)."""
    screen.view = "evaluate"
    link, token = links.issue(screen.actor, screen.placement_id, days=form.get("days", 30),
                              supervisor_name=form.get("name", ""), email=form.get("email", ""),
                              opens=f"evaluation:{screen.key}")
    address = screen.link_url(token) if screen.link_url else token
    screen.new_link = f"{address}?activity=evaluation&key={screen.key}"
    screen.notice = (_("Link created and e-mailed to the agency supervisor.") if link.email else
                     _("Link created. Send it to the agency supervisor; it is shown only once."))


def _save_agreement(screen, form):
    screen.view = "agreement"
    _keep(screen, form)
    agreements.save(screen.actor, form)
    screen.form = {}
    screen.notice = _("Learning agreement saved.")


def _sign(screen, form):
    screen.view = "agreement"
    agreements.sign(screen.actor, screen.placement_id)
    screen.notice = _("Learning agreement signed.")


def _mark(screen, form):
    screen.view = form.get("view") or "reflections"
    mark(screen, form)


def _save_recording(screen, form):
    screen.view, screen.entry_id = "recordings", form.get("recording", "")
    _keep(screen, form)
    submit = form.get("submit") == "1"
    recordings.save(screen.actor, form, recording_id=screen.entry_id or None, submit=submit)
    screen.form, screen.entry_id = {}, ""
    screen.notice = _("Process recording submitted to your supervisors.") if submit else _("Draft saved.")


def _edit_recording(screen, form):
    screen.view, screen.entry_id = "recordings", form.get("recording", "")


def _comment_recording(screen, form):
    screen.view = "recordings"
    recordings.comment(screen.actor, form.get("recording", ""), form)
    screen.notice = _("Comments saved.")


def _configure(screen, form):
    screen.view = "settings"
    _keep(screen, form)
    services.configure(screen.actor, rule=form.get("rule"), agency_weight=form.get("agency_weight"),
                       academic_weight=form.get("academic_weight"), threshold=form.get("threshold"),
                       show_both_voices=form.get("show_both_voices", ""), retention_days=form.get("retention_days"),
                       auto_release=form.get("auto_release", ""),
                       due_dates={key: form.get(f"due_{key}", "") for key in services.forms()})
    screen.form = {}
    screen.notice = _("Settings saved.")


# What the export's buttons post, and the rubric whose grades they export.
EXPORTED_RUBRICS = {"reflections": markings.REFLECTION_RUBRIC, "simulation-answer": markings.ANSWER_RUBRIC,
                    "process-recording": markings.RECORDING_RUBRIC}


def download(screen, form):
    """(file name, content type, chunks) when the form asks for a grades export, else None (a screen).

    Adapters call this before `handle`, and stream the CSV file (as the cohort's exports) instead of a screen."""
    if form.get("action") != "export":
        return None
    rubric = EXPORTED_RUBRICS.get(form.get("what"))
    with ui.speaking(screen):
        rows = bulk.marking_rows(screen.actor, rubric) if rubric else bulk.export_rows(screen.actor, screen.key)
    return f"{rubric or screen.key}-grades.csv", "text/csv; charset=utf-8", spreadsheets.csv_chunks(rows)


def _import(screen, form):
    screen.view = "bulk"
    screen.form = {"csv": form.get("csv", "")}
    applied, results = bulk.import_csv(screen.actor, form.get("csv", ""), apply=form.get("apply") == "1")
    screen.import_results, screen.import_applied = results, applied
    errors = sum(r["outcome"] == "error" for r in results)
    if applied:
        screen.notice = _("The file was imported.")
    elif errors:
        screen.error = translation.ngettext(
            "%(count)d row has an error: nothing was imported.", "%(count)d rows have errors: nothing was imported.",
            errors) % {"count": errors}
    else:
        screen.notice = _("Dry run: every row can be imported. Nothing was written yet.")


_ACTIONS = {
    "view": _go, "save_sheet": _save_sheet, "save_self": _save_self, "decide": _decide, "release": _release, "reopen": _reopen,
    "issue_link": _issue_link, "save_agreement": _save_agreement, "sign": _sign,
    **dict.fromkeys(markings.ACTIONS, _mark),
    "configure": _configure, "import": _import,
    "save_recording": _save_recording, "edit_recording": _edit_recording, "comment_recording": _comment_recording,
    **correction_screens.ACTIONS, "rate_placement": feedback_screens.rate,
}
