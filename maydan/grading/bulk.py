"""CSV export of every evaluation with per-behaviour scores, and CSV import of paper forms.

One row per (student, form, side): the agency side, the academic side and the final values.
An export can be filled in and imported back: rows of a side carry its values and comments
and are submitted for that side (as if the supervisor had typed them in). A dry run shows
every row's result; an import applies the whole file or nothing.
"""
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from .. import spreadsheets, untrusted
from ..errors import Forbidden, Refused
from ..fieldlog import visible_placements
from . import scoring, services
from .models import Evaluation

FINAL = "final"
MAX_ROWS = 5000


def _require(actor):
    if not actor.supervises_course:
        raise Forbidden(_("Only the academic supervisor or the field coordinator may export or import grades."))


def columns(form):
    behaviours = [b.id for b in form.framework.behaviours]
    comments = [f"comment_{c.id}" for c in form.framework.competencies] + ["comment_overall"]
    return ["student", "name", "form", "side", "status", "score", *behaviours, *comments]


def _cell(value):
    return scoring.NOT_OBSERVED if value is None else value


CHUNK = 500  # rows read from the database at a time


def export_csv(actor, form_id):
    """The CSV text of one form over every placement this actor sees."""
    return spreadsheets.csv_text(export_rows(actor, form_id))


def export_rows(actor, form_id):
    """The rows (header first) of one form over every placement this actor sees: a fixed number of queries per
    CHUNK placements, read as the rows are asked for."""
    _require(actor)
    form = services.form_of(form_id)
    header = columns(form)
    placements = visible_placements(actor).select_related("student").order_by("student__subject").prefetch_related(
        Prefetch("evaluations", queryset=Evaluation.objects.filter(form=form.id).prefetch_related("sheets"))
    )

    def rows():
        yield header
        for placement in placements.iterator(chunk_size=CHUNK):
            base = {"student": placement.student.subject, "name": placement.student.name, "form": form.id}
            evaluation = next(iter(placement.evaluations.all()), None)
            sheets = {s.side: s for s in evaluation.sheets.all()} if evaluation else {}
            for side in scoring.SIDES:
                sheet = sheets.get(side)
                row = dict(base, side=side, status=("submitted" if sheet.submitted_at else "draft") if sheet else "")
                if sheet:
                    row.update({key: _cell(value) for key, value in sheet.values.items()})
                    row.update({f"comment_{key}": text for key, text in sheet.comments.items()})
                yield [row.get(column, "") for column in header]
            final = dict(base, side=FINAL, status=evaluation.status if evaluation else "")
            if evaluation and evaluation.status == Evaluation.RELEASED:
                final["score"] = evaluation.score
                final.update({key: _cell(value) for key, value in evaluation.final_values.items()})
            yield [final.get(column, "") for column in header]

    return rows()


def export_markings_csv(actor, rubric_id="reflection"):
    """The CSV text of every grade of one rubric (`marking_rows`)."""
    return spreadsheets.csv_text(marking_rows(actor, rubric_id))


def marking_rows(actor, rubric_id="reflection"):
    """The rows (header first) of every grade of one rubric (one row per graded text) with the points of each
    criterion, read CHUNK at a time as they are asked for.

    `writing` names the text (entry:<id>, answer:<id>, attempt:<id> for a simulation's reflection,
    recording:<id>); `date` is the day it was written or handed in."""
    from .markings import rubric_of
    from .models import Marking

    _require(actor)
    rubric = rubric_of(rubric_id)
    criteria = [c.id for c in rubric.criteria]
    markings = Marking.objects.filter(placement__in=visible_placements(actor), rubric=rubric.id).select_related(
        "placement__student", "entry", "answer__attempt", "attempt", "recording").order_by(
        "placement__student__subject", "entry__date", "pk")

    def rows():
        yield ["student", "name", "entry", "writing", "date", "status", "score", "override", "override_reason",
               *criteria]
        for m in markings.iterator(chunk_size=CHUNK):
            student = m.placement.student
            yield [student.subject, student.name, m.entry_id, _writing(m), _written_on(m), m.status, m.score,
                   m.override_score, m.override_reason, *(m.choices.get(c, "") for c in criteria)]

    return rows()


def _writing(m):
    for kind in ("entry", "answer", "attempt", "recording"):
        if getattr(m, f"{kind}_id"):
            return f"{kind}:{getattr(m, f'{kind}_id')}"
    return ""  # a recording deleted after the retention period


def _written_on(m):
    finished = (m.answer.attempt if m.answer_id else m.attempt) if (m.answer_id or m.attempt_id) else None
    day = m.entry.date if m.entry_id else m.recording.date if m.recording_id else \
        finished.finished_at.date() if finished and finished.finished_at else None
    return day.isoformat() if day else ""


class _DryRun(Exception):
    """Raised to roll back everything a dry run (or a refused file) wrote."""


def import_csv(actor, text, *, apply=False):
    """(applied, [row result]) for a CSV text. Nothing is written unless `apply` and every row is right.

    A row result: {"line", "student", "form", "side", "outcome": "ok" | "skipped" | "error", "message"}.
    """
    _require(actor)
    try:
        _header, rows = untrusted.read_csv_records(text, max_rows=MAX_ROWS + 2)
    except untrusted.Unreadable as error:
        return False, [{"line": error.line or 1, "student": "", "form": "", "side": "", "outcome": "error",
                        "message": untrusted.message(error)}]
    if not rows:
        return False, [{"line": 1, "student": "", "form": "", "side": "", "outcome": "error",
                        "message": _("The file has no rows under its header.")}]
    if len(rows) > MAX_ROWS:
        return False, [{"line": 1, "student": "", "form": "", "side": "", "outcome": "error",
                        "message": _("At most %(max)s rows at once.") % {"max": MAX_ROWS}}]
    placements = {p.student.subject: p for p in visible_placements(actor).select_related("student")}
    results = []
    try:
        with transaction.atomic():
            for line, row in enumerate(rows, start=2):
                results.append(_import_row(actor, line, row, placements))
            if not apply or any(r["outcome"] == "error" for r in results):
                raise _DryRun
    except _DryRun:
        return False, results
    return True, results


def _import_row(actor, line, row, placements):
    row = {key: spreadsheets.restored((value or "").strip()) for key, value in row.items() if key}
    result = {"line": line, "student": row.get("student", ""), "form": row.get("form", ""),
              "side": row.get("side", ""), "outcome": "ok", "message": _("Scores submitted.")}
    placement = placements.get(result["student"])
    problem = None
    if placement is None:
        problem = _("No student with this id in the course.")
    elif result["form"] not in services.forms():
        problem = _("No evaluation form with this id.")
    elif result["side"] == FINAL:
        return dict(result, outcome="skipped", message=_("Final values are computed, not imported."))
    elif result["side"] not in scoring.SIDES:
        problem = _("The side must be agency, academic or final.")
    if problem:
        return dict(result, outcome="error", message=problem)
    form = services.forms()[result["form"]]
    data = {f"value_{b.id}": row.get(b.id, "") for b in form.framework.behaviours}
    data.update({key: value for key, value in row.items() if key.startswith("comment_")})
    if not any(data.values()):
        return dict(result, outcome="skipped", message=_("Nothing to import."))
    if _unchanged(placement, form, result["side"], data):
        return dict(result, outcome="skipped", message=_("Already submitted with these values."))
    try:
        with transaction.atomic():
            services.save_sheet(actor, placement.pk, form.id, data, submit=True, side=result["side"], via="csv import")
    except Refused as refusal:
        detail = "; ".join(f"{name}: {messages[0]}" for name, messages in refusal.field_errors.items())
        return dict(result, outcome="error", message=f"{refusal.message} {detail}".strip())
    return result


def _unchanged(placement, form, side, data):
    evaluation = placement.evaluations.filter(form=form.id).first()
    sheet = evaluation.sheets.filter(side=side, submitted_at__isnull=False).first() if evaluation else None
    if sheet is None:
        return False
    try:
        return services.read_sheet(form, data) == (sheet.values, sheet.comments)
    except Refused:
        return False
