"""Competency evaluations: the only place their state changes.

The agency supervisor and the academic supervisor each fill the same form for a placement;
neither sees the other's scores until both have submitted. The course's rule then reconciles
them (a moderator decides where the rule asks), both voices stay on record, and a course
supervisor releases the result: only then does the student see it and the grade leave for the
gradebook. Every service checks who may act, writes the change and its audit row in one
transaction.
"""
from datetime import date

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import audit, courses, grades, parse, people, roles
from ..fieldlog.input import check_comment
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..fieldlog import placement_for, visible_placements
from ..fieldlog.services import _may_review
from . import content, corrections, scoring
from .models import Decision, Evaluation, GradingSettings, Scoresheet

AGENCY, ACADEMIC = scoring.AGENCY, scoring.ACADEMIC
OVERALL = "overall"
MIN_RETENTION_DAYS, MAX_RETENTION_DAYS = 1, 3650
MIN_DUE_YEAR, MAX_DUE_YEAR = 2000, 2100


# --- forms and course settings -----------------------------------------------------------------


def forms():
    return content.library().forms


def form_of(form_id):
    try:
        return forms()[form_id]
    except KeyError:
        raise NotFound(_("This evaluation form does not exist."))


def settings_for(course):
    found = getattr(course, "_grading_settings", None)
    if found is None:
        # The defaults, unsaved, until someone configures the course: reading writes nothing.
        found = GradingSettings.objects.filter(course=course).first() or GradingSettings(course=course)
        course._grading_settings = found
    return found


def rule_of(settings):
    return scoring.Rule(settings.rule, settings.agency_weight, settings.academic_weight, settings.threshold)


def _checked(value):
    return value in (True, "1", "on", "true")


def _number(value):
    return parse.optional_number(value)


@transaction.atomic
def configure(actor, *, rule, agency_weight, academic_weight, threshold, show_both_voices, retention_days=None,
              auto_release=None, due_dates=None):
    """Change how the course reconciles and releases evaluations, how long process recordings are kept and
    when each evaluation form is due ({form id: "YYYY-MM-DD" or "" for none}); None: unchanged. Values may
    come raw from a form."""
    courses.require_configurer(actor)
    candidate = scoring.Rule(
        str(rule or ""),
        *(n if n is not None else -1.0 for n in map(_number, (agency_weight, academic_weight, threshold))),
    )
    messages = {
        "rule": _("Choose a reconciliation rule."),
        "weights": _("Weights must be numbers, 0 or more, and not both 0."),
        "threshold": _("The threshold must be a number, 0 or more."),
    }
    problems = candidate.problems()
    current, _created = GradingSettings.objects.select_for_update().get_or_create(course=actor.course)
    days = current.retention_days if retention_days in (None, "") else _number(retention_days)
    if days is None or days != int(days) or not MIN_RETENTION_DAYS <= days <= MAX_RETENTION_DAYS:
        messages["retention_days"] = _("Keep process recordings from %(min)s to %(max)s days.") % {
            "min": MIN_RETENTION_DAYS, "max": MAX_RETENTION_DAYS}
        problems.append("retention_days")
    dates = current.due_dates if due_dates is None else _due_dates(due_dates, messages, problems)
    if problems:
        raise Invalid(messages[problems[0]], {name: [messages[name]] for name in problems})
    after = {"rule": candidate.kind, "agency_weight": candidate.agency_weight,
             "academic_weight": candidate.academic_weight, "threshold": candidate.threshold,
             "show_both_voices": _checked(show_both_voices), "retention_days": int(days),
             "auto_release": current.auto_release if auto_release is None else _checked(auto_release),
             "due_dates": dates}
    changes = audit.diff({name: getattr(current, name) for name in after}, after)
    if changes:
        for name, value in after.items():
            setattr(current, name, value)
        current.save()
        audit.record(actor, "grading_settings", changes=changes)
    actor.course._grading_settings = current
    return current


@transaction.atomic
def configure_forms(actor, *, forms_in_use, due_dates):
    """Choose the evaluation forms the course uses (form ids; at least one) and when each is due
    ({form id: "YYYY-MM-DD" or ""}). Checked, written and audited as `configure`."""
    courses.require_configurer(actor)
    messages, problems = {}, []
    chosen = [form_id for form_id in forms() if form_id in set(map(str, forms_in_use or ()))]
    if not chosen or len(chosen) != len(set(forms_in_use)):
        messages["forms_in_use"] = _("Choose at least one evaluation form, among the forms offered.")
        problems.append("forms_in_use")
    dates = _due_dates(due_dates, messages, problems)
    if problems:
        raise Invalid(messages[problems[0]], {name: [messages[name]] for name in problems})
    current, _created = GradingSettings.objects.select_for_update().get_or_create(course=actor.course)
    after = {"forms_in_use": chosen, "due_dates": {key: day for key, day in dates.items() if key in chosen}}
    changes = audit.diff({name: getattr(current, name) for name in after}, after)
    if changes:
        for name, value in after.items():
            setattr(current, name, value)
        current.save(update_fields=list(after))
        audit.record(actor, "grading_settings", changes=changes)
    actor.course._grading_settings = current
    return current


def forms_in_use(course):
    """The evaluation forms the course uses, in the library's order (every form until the course chose)."""
    chosen = settings_for(course).forms_in_use
    return [form for form in forms().values() if not chosen or form.id in chosen]


def _due_dates(raw, messages, problems):
    """{form id: ISO date} from {form id: text}: empty clears; a form or a date that does not exist is a problem
    (named due_<form id>)."""
    dates = {}
    for form_id, text in raw.items():
        text = str(text or "").strip()
        if not text:
            continue
        try:
            day = date.fromisoformat(text)
            if form_id not in forms() or not MIN_DUE_YEAR <= day.year <= MAX_DUE_YEAR:
                raise ValueError(text)
        except ValueError:
            messages[f"due_{form_id}"] = _("Enter the due date as YYYY-MM-DD.")
            problems.append(f"due_{form_id}")
            continue
        dates[form_id] = day.isoformat()
    return dates


def due_dates(course):
    """[(form, date)] of the course's evaluation forms that have a due date, soonest first."""
    found, used = settings_for(course).due_dates, {form.id for form in forms_in_use(course)}
    return sorted(((forms()[key], date.fromisoformat(day)) for key, day in found.items() if key in used),
                  key=lambda pair: (pair[1], pair[0].id))


# --- who may do what ------------------------------------------------------------------------------


def side_of(actor, placement):
    """Which side of the form this actor fills for this placement, or None."""
    if actor.supervises_course:
        return ACADEMIC
    if _may_review(actor, placement):
        return AGENCY
    return None


def _evaluation(actor, placement_id, form_id, *, lock=False, create=True):
    """(form, evaluation); reading does not create one (an unsaved evaluation stands for "not started")."""
    form = form_of(form_id)
    placement = placement_for(actor, placement_id)
    if create:
        evaluation, _created = Evaluation.objects.get_or_create(placement=placement, form=form.id)
    else:
        evaluation = Evaluation.objects.filter(placement=placement, form=form.id).first() or Evaluation(
            placement=placement, form=form.id)
    if lock:
        evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    evaluation.placement = placement
    return form, evaluation


def _require_open(evaluation):
    if evaluation.status == Evaluation.RELEASED:
        raise Conflict(_("This evaluation was released; it can no longer change."))


# --- filling the form ----------------------------------------------------------------------------


def _text(value, name, errors, *, required=False):
    """A comment or reason, checked as every comment is (length, client identifiers); problems go to errors[name]."""
    try:
        return check_comment(value, required=required)
    except Invalid as refusal:
        errors[name] = refusal.field_errors["comment"]
        return ""


def read_sheet(form, data):
    """(values, comments) from posted fields value_<behaviour> and comment_<competency>/comment_overall.

    An empty value is unanswered (a draft may leave it); Invalid names every bad field.
    """
    errors, values, comments = {}, {}, {}
    for behaviour in form.framework.behaviours:
        raw = (data.get(f"value_{behaviour.id}") or "").strip()
        if not raw:
            continue
        try:
            values[behaviour.id] = scoring.parse_value(raw, form.scale)
        except ValueError:
            errors[f"value_{behaviour.id}"] = [_("Choose a level of the scale or N/O.")]
    for key in [c.id for c in form.framework.competencies] + [OVERALL]:
        text = _text(data.get(f"comment_{key}"), f"comment_{key}", errors)
        if text:
            comments[key] = text
    if errors:
        raise Invalid(next(iter(errors.values()))[0], errors)
    return values, comments


def answer_errors(form, values, comments):
    """{field: [message]} of what keeps a filled form from being submitted, each message naming the
    behaviour or the competency it is about (an error summary lists them apart from their fields)."""
    language = translation.get_language() or "en"
    named = {f"value_{b.id}": b.id for b in form.framework.behaviours}
    named |= {f"comment_{c.id}": f"{c.id}. {c.title.get(language) or c.title['en']}" for c in form.framework.competencies}
    messages = {
        "missing": _("Behaviour %(name)s: choose a level of the scale or N/O."),
        "off_scale": _("Behaviour %(name)s: choose a level of the scale or N/O."),
        "comment_required": _("Competency %(name)s needs a comment: please explain N/O and the lower levels."),
    }
    return {name: [messages[code] % {"name": named.get(name, name)}]
            for name, code in scoring.check_answers(form, values, comments)}


def fill(sheet, form, data, *, submit):
    """Set a scoresheet's (or a self-evaluation's) answers from posted fields, checked as a whole (a submitted
    one must be complete) and marked submitted if asked; unsaved. Returns the audit's {field: [old, new]}."""
    values, comments = read_sheet(form, data)
    if submit:
        errors = answer_errors(form, values, comments)
        if errors:
            raise Invalid(_("Some answers are missing or need a comment."), errors)
    changes = audit.diff({"values": sheet.values, "comments": sheet.comments}, {"values": values, "comments": comments})
    sheet.values, sheet.comments = values, comments
    if submit:
        sheet.submitted_at = timezone.now()
    return changes


@transaction.atomic
def save_sheet(actor, placement_id, form_id, data, *, submit=False, side=None, via=""):
    """Save (and optionally submit) this actor's side of the form; a submitted side is locked.

    `side` is given only by a course supervisor entering a paper form (CSV import).
    """
    form, evaluation = _evaluation(actor, placement_id, form_id, lock=True)
    people.refuse_own_work(actor, evaluation.placement.student_id)
    own_side = side_of(actor, evaluation.placement)
    if own_side is None or (side is not None and not actor.supervises_course):
        raise Forbidden(_("Only this student's agency supervisor or academic supervisor may fill this evaluation."))
    side = side or own_side
    _require_open(evaluation)
    sheet, _created = Scoresheet.objects.get_or_create(evaluation=evaluation, side=side)
    if sheet.submitted_at:
        raise Conflict(_("These scores were already submitted."))
    changes = fill(sheet, form, data, submit=submit)
    sheet.author, sheet.via = actor.person, via or actor.via
    sheet.save()
    changes.update(form=form.id, side=side, **({"via": via} if via else {}))
    audit.record(actor, "evaluation_submit" if submit else "evaluation_save", placement=evaluation.placement,
                 changes=changes)
    if submit:
        _release_if_complete(actor, form, evaluation)
    return sheet


@transaction.atomic
def reopen_sheet(actor, placement_id, form_id, side, reason):
    """A course supervisor hands a submitted side back to its author before release, with a reason."""
    if not actor.supervises_course:
        raise Forbidden(_("Only the academic supervisor or the field coordinator may reopen submitted scores."))
    _form, evaluation = _evaluation(actor, placement_id, form_id, lock=True)
    people.refuse_own_work(actor, evaluation.placement.student_id)
    _require_open(evaluation)
    errors = {}
    reason = _text(reason, "reason", errors, required=True)
    if errors:
        raise Invalid(errors["reason"][0], errors)
    sheet = evaluation.sheets.filter(side=side, submitted_at__isnull=False).first()
    if sheet is None:
        raise Conflict(_("These scores are not submitted."))
    sheet.submitted_at = None
    sheet.save(update_fields=["submitted_at", "updated_at"])
    audit.record(actor, "evaluation_reopen", placement=evaluation.placement,
                 changes={"form": evaluation.form, "side": side}, comment=reason)
    return sheet


# --- reconciling and releasing ------------------------------------------------------------------


def outcomes(evaluation, settings, sheets=None, decisions=None):
    """{behaviour: Outcome} under the course's rule, or None while a side has not submitted."""
    sheets = {s.side: s for s in (sheets if sheets is not None else evaluation.sheets.all())}
    if not all(sheets.get(side) and sheets[side].submitted_at for side in scoring.SIDES):
        return None
    decisions = decisions if decisions is not None else evaluation.decisions.all()
    return scoring.reconcile_all(
        sheets[AGENCY].values, sheets[ACADEMIC].values, rule_of(settings), {d.behaviour: d.value for d in decisions}
    )


@transaction.atomic
def decide(actor, placement_id, form_id, behaviour, value, reason):
    """The moderator's final value for a behaviour the two supervisors scored too far apart."""
    if not actor.supervises_course:
        raise Forbidden(_("Only the academic supervisor or the field coordinator may decide a final value."))
    form, evaluation = _evaluation(actor, placement_id, form_id, lock=True)
    people.refuse_own_work(actor, evaluation.placement.student_id)
    _require_open(evaluation)
    settings = settings_for(actor.course)
    undecided = outcomes(evaluation, settings, decisions=[])
    if undecided is None:
        raise Conflict(_("Both supervisors must submit before the scores are reconciled."))
    if behaviour not in undecided or not undecided[behaviour].needs_decision:
        raise Conflict(_("The course's rule gives this value; no decision is needed."))
    errors = {}
    try:
        value = scoring.parse_value(value, form.scale)
    except ValueError:
        value = None
    if value is None:
        errors["value"] = [_("Choose a level of the scale.")]
    reason = _text(reason, "reason", errors, required=True)
    if errors:
        raise Invalid(next(iter(errors.values()))[0], errors)
    old = evaluation.decisions.filter(behaviour=behaviour).first()
    Decision.objects.update_or_create(
        evaluation=evaluation, behaviour=behaviour,
        defaults={"value": value, "reason": reason, "decided_by": actor.person},
    )
    audit.record(actor, "evaluation_decide", placement=evaluation.placement,
                 changes={"form": form.id, behaviour: [old.value if old else None, value]}, comment=reason)
    _release_if_complete(actor, form, evaluation)


@transaction.atomic
def release(actor, placement_id, form_id):
    """Fix the final values under the rule in force, show them to the student, send the grade."""
    if not actor.supervises_course:
        raise Forbidden(_("Only the academic supervisor or the field coordinator may release an evaluation."))
    form, evaluation = _evaluation(actor, placement_id, form_id, lock=True)
    people.refuse_own_work(actor, evaluation.placement.student_id)
    _require_open(evaluation)
    results = outcomes(evaluation, settings_for(actor.course))
    if results is None:
        raise Conflict(_("Both supervisors must submit before the evaluation is released."))
    if any(o.needs_decision for o in results.values()):
        raise Conflict(_("Decide the final value of every behaviour the supervisors scored too far apart first."))
    return _release(actor, form, evaluation, results)


def _release(actor, form, evaluation, results, *, automatic=False):
    settings = settings_for(actor.course)
    evaluation.final_values = {key: o.value for key, o in results.items()}
    evaluation.score = scoring.form_score(evaluation.final_values.values(), form.scale.maximum)
    evaluation.rule = {"rule": settings.rule, "agency_weight": settings.agency_weight,
                       "academic_weight": settings.academic_weight, "threshold": settings.threshold}
    evaluation.status, evaluation.released_at = Evaluation.RELEASED, timezone.now()
    evaluation.save()
    correcting = corrections.pending(evaluation) is not None
    audit.record(actor, "evaluation_release", placement=evaluation.placement,
                 changes={"form": form.id, "score": [None, evaluation.score], "automatic": automatic,
                          **({"correction": True} if correcting else {})})
    if evaluation.score is not None:
        placement = evaluation.placement
        grades.queue_grade(placement.course, placement.student, f"evaluation:{form.id}", evaluation.score)
    if correcting:
        corrections.complete(actor, evaluation)
    return evaluation


def _release_if_complete(actor, form, evaluation):
    """Courses that release automatically do so once the rule leaves nothing to decide."""
    if not settings_for(actor.course).auto_release:
        return
    results = outcomes(evaluation, settings_for(actor.course))
    if results is not None and not any(o.needs_decision for o in results.values()):
        _release(actor, form, evaluation, results, automatic=True)


# --- reading --------------------------------------------------------------------------------------


def view(actor, placement_id, form_id):
    """What this actor may see of one evaluation, as a dict for the screens.

    Each supervisor sees their own side; the other side and the reconciliation only once both
    have submitted. A student sees nothing before release, then the final values (and both
    supervisors' scores and comments if the course releases them).
    """
    form, evaluation = _evaluation(actor, placement_id, form_id, create=False)
    settings = settings_for(actor.course)
    sheets = {s.side: s for s in evaluation.sheets.all()} if evaluation.pk else {}
    side = side_of(actor, evaluation.placement)
    both = all(sheets.get(s) and sheets[s].submitted_at for s in scoring.SIDES)
    released = evaluation.status == Evaluation.RELEASED
    result = {"form": form, "evaluation": evaluation, "placement": evaluation.placement, "side": side,
              "settings": settings, "released": released, "both_submitted": both,
              "mine": sheets.get(side) if side else None, "sheets": {}, "outcomes": None, "decisions": {}}
    if side is None:  # the student
        if released and settings.show_both_voices:
            result["sheets"] = sheets
            result["decisions"] = {d.behaviour: d for d in evaluation.decisions.select_related("decided_by")}
        return result
    if both or released:
        result["sheets"] = sheets
        result["decisions"] = {d.behaviour: d for d in evaluation.decisions.select_related("decided_by")}
        result["outcomes"] = outcomes(evaluation, settings, sheets.values(), result["decisions"].values())
    elif side in sheets:
        result["sheets"] = {side: sheets[side]}
    return result


def items(course):
    """The activities: one evaluation per form, offered for placement if the course uses it (maydan.activities)."""
    from ..activities import Activity

    used = {form.id for form in forms_in_use(course)}
    return [Activity("evaluation", form.id, dict(form.title), offered=form.id in used) for form in forms().values()]


def grading_list(actor, form_ids=None):
    """Every visible placement with each form's state, in a fixed number of queries."""
    if not (actor.supervises_course or actor.link_placement is not None or actor.has(roles.AGENCY)):
        raise Forbidden(_("Only supervisors see the grading list."))
    settings = settings_for(actor.course)
    placements = list(
        visible_placements(actor).select_related("student").order_by("student__name", "student__subject")
        .prefetch_related(Prefetch("evaluations", queryset=Evaluation.objects.prefetch_related("sheets", "decisions")))
    )
    rows = []
    for placement in placements:
        by_form = {e.form: e for e in placement.evaluations.all()}
        cells = []
        for form in forms().values():
            if form_ids is not None and form.id not in form_ids:
                continue
            evaluation = by_form.get(form.id)
            cells.append(_cell(form, evaluation, settings))
        rows.append({"placement": placement, "cells": cells})
    return rows


def _cell(form, evaluation, settings):
    if evaluation is None:
        return {"form": form, "state": "not_started", "sheets": {}, "score": None}
    sheets = {s.side: s for s in evaluation.sheets.all()}
    if evaluation.status == Evaluation.RELEASED:
        state = "released"
    else:
        results = outcomes(evaluation, settings, sheets.values(), evaluation.decisions.all())
        if results is None:
            state = "scoring"
        elif any(o.needs_decision for o in results.values()):
            state = "needs_decision"
        else:
            state = "ready"
    return {"form": form, "evaluation": evaluation, "state": state, "score": evaluation.score,
            "sheets": {side: ("submitted" if s.submitted_at else "draft") for side, s in sheets.items()}}
