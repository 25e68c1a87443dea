"""The student's self-evaluation: the same competency form, filled before each supervisor evaluation.

The student writes it while the evaluation is open (a draft first, then submitted and locked).
A supervisor sees it only once their own side is submitted, or once the evaluation is
released, so that it cannot sway their scores; a draft is the student's alone. Once released,
the result shows the three voices side by side. Every change is audited.
"""
from django.db import transaction
from django.utils.translation import gettext as _

from .. import audit, roles
from ..errors import Conflict, Forbidden
from ..fieldlog import placement_for
from . import services
from .models import Evaluation, SelfEvaluation

SELF = "self"


def _is_student(actor):
    """A student speaking for themself: not a supervisor who also holds the student role, not a link."""
    return (actor.has(roles.STUDENT) and not actor.supervises_course and actor.link_placement is None
            and actor.person is not None)


def _is_student_of(actor, placement):
    return _is_student(actor) and placement.student_id == actor.person.pk


@transaction.atomic
def save(actor, form_id, data, *, submit=False):
    """Save (and optionally submit) the student's own scores of this form; a submitted one is locked.

    Values and comments are read and checked as a supervisor's are (services.fill).
    """
    form = services.form_of(form_id)
    if not _is_student(actor):
        raise Forbidden(_("Only the student evaluates their own competencies."))
    placement = placement_for(actor)
    evaluation = Evaluation.objects.select_for_update().filter(placement=placement, form=form.id).first()
    if evaluation is not None and evaluation.status == Evaluation.RELEASED:
        raise Conflict(_("This evaluation was released; your self-evaluation can no longer change."))
    sheet, _created = SelfEvaluation.objects.select_for_update().get_or_create(placement=placement, form=form.id)
    if sheet.submitted_at:
        raise Conflict(_("Your self-evaluation was already submitted."))
    changes = services.fill(sheet, form, data, submit=submit)
    sheet.save()
    changes.update(form=form.id)
    audit.record(actor, "self_evaluation_submit" if submit else "self_evaluation_save", placement=placement,
                 changes=changes)
    return sheet


def visible(actor, data):
    """The self-evaluation this actor may see beside `data` (what services.view gave them), or None.

    The student sees their own, draft included. A supervisor sees a submitted one once their own
    side is submitted or the evaluation is released; before that, not even whether it exists.
    """
    placement = data["placement"]
    if not placement.pk:
        return None
    sheet = SelfEvaluation.objects.filter(placement=placement, form=data["form"].id).first()
    if sheet is None or _is_student_of(actor, placement):
        return sheet
    if data["side"] is None or not sheet.submitted_at:
        return None
    own = data["mine"]
    return sheet if data["released"] or (own is not None and own.submitted_at) else None


def may_write(actor, data, sheet):
    """Whether the student may still fill their self-evaluation on this screen."""
    return (_is_student_of(actor, data["placement"]) and not data["released"]
            and not (sheet is not None and sheet.submitted_at))
