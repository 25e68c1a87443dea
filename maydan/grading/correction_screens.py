"""What the evaluation screens show and do about corrections (see `corrections`): the reopen form for
course supervisors, the history for everyone who sees the evaluation, the acknowledgement for the student."""
from django.utils.translation import gettext as _

from .. import roles
from . import corrections, scoring


def context(screen, view, drawn):
    """Extra context for the evaluation and results views; {} elsewhere."""
    evaluation = drawn.get("evaluation")
    if view not in ("evaluate", "results") or evaluation is None:
        return {}
    from .screens import _percent, _shown  # the screens import this module

    actor, form, language = screen.actor, drawn["form"], screen.language
    student = actor.has(roles.STUDENT) and not actor.supervises_course
    rows = []
    for correction in corrections.history(evaluation):
        before, after = correction.before, correction.after
        changed = []
        if after is not None:
            changed = [{"id": key, "old": _shown(before.final_values, key, form.scale, language) or "—",
                        "new": _shown(after.final_values, key, form.scale, language) or "—"}
                       for key in after.final_values if before.final_values.get(key) != after.final_values[key]]
        rows.append({"correction": correction, "before": _percent(before.score),
                     "after": _percent(after.score) if after else None, "changed": changed,
                     "may_acknowledge": student and after is not None and correction.acknowledged_at is None})
    return {"corrections": rows, "correction_pending": bool(rows) and rows[-1]["after"] is None,
            "may_correct": actor.supervises_course and drawn.get("released", False),
            "correction_sides": [(scoring.AGENCY, _("Hand the agency's scores back")),
                                 (scoring.ACADEMIC, _("Hand the academic scores back"))]}


def _reopen(screen, form):
    screen.view = "evaluate"
    screen.form = {"reason": form.get("reason", "")}
    corrections.reopen(screen.actor, screen.placement_id, screen.key, form.get("reason", ""), form.getlist("sides"))
    screen.form = {}
    screen.notice = _("The evaluation is open for correction. Release it again when the corrected scores are in.")


def _acknowledge(screen, form):
    screen.view = "results"
    corrections.acknowledge(screen.actor, form.get("correction", ""))
    screen.notice = _("Thank you: your acknowledgement of the correction is recorded.")


ACTIONS = {"correct_evaluation": _reopen, "acknowledge_correction": _acknowledge}
