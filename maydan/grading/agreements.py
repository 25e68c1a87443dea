"""The learning agreement (contract): goals and planned activities per competency, signed by both supervisors.

The student drafts it; the agency supervisor and the academic supervisor sign. Any change
after a signature clears both signatures, so what was signed is always what is on record.
"""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from .. import audit, people, roles
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..fieldlog import placement_for, visible_placements
from ..models import AuditEvent
from . import content
from .models import Agreement
from .services import _text, side_of

FRAMEWORK = "cswe-epas-2022"


def competencies():
    return content.library().frameworks[FRAMEWORK].competencies


def agreement_for(actor, placement_id=None, *, lock=False):
    """The placement's learning agreement; to read, an unsaved empty one until someone writes it (so a
    look, or a refused request, writes nothing); with `lock`, the stored row, made if need be and locked."""
    placement = placement_for(actor, placement_id or None)
    if lock:
        agreement, _created = Agreement.objects.get_or_create(placement=placement)
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    else:
        agreement = Agreement.objects.filter(placement=placement).first() or Agreement(placement=placement)
    agreement.placement = placement
    return agreement


@transaction.atomic
def save(actor, data):
    """The student's goals (goals_<competency>) and planned activities (activities_<competency>)."""
    if not actor.has(roles.STUDENT):
        raise Forbidden(_("Only the student writes their learning agreement."))
    agreement = agreement_for(actor, lock=True)
    errors, goals = {}, {}
    for competency in competencies():
        row = {part: _text(data.get(f"{part}_{competency.id}"), f"{part}_{competency.id}", errors)
               for part in ("goals", "activities")}
        if any(row.values()):
            goals[competency.id] = row
    if not errors and not goals:
        errors["goals_1"] = [_("Write at least one goal.")]
    if errors:
        raise Invalid(next(iter(errors.values()))[0], errors)
    if goals == agreement.goals:
        return agreement
    changes = audit.diff({"goals": agreement.goals}, {"goals": goals})
    if agreement.agency_signed_at or agreement.academic_signed_at:
        changes["signatures"] = ["signed", "cleared"]
    agreement.goals = goals
    agreement.agency_signed_at = agreement.academic_signed_at = None
    agreement.agency_signed_by, agreement.academic_signed_by = "", None
    agreement.save()
    audit.record(actor, "agreement_edit", placement=agreement.placement, changes=changes)
    return agreement


@transaction.atomic
def sign(actor, placement_id):
    agreement = agreement_for(actor, placement_id, lock=True)
    people.refuse_own_work(actor, agreement.placement.student_id)
    side = side_of(actor, agreement.placement)
    if side is None:
        raise Forbidden(_("Only this student's agency supervisor or academic supervisor may sign the agreement."))
    if not agreement.goals:
        raise Invalid(_("The student has not written the agreement yet."))
    if side == "academic":
        if agreement.academic_signed_at:
            raise Conflict(_("You already signed this agreement."))
        agreement.academic_signed_at, agreement.academic_signed_by = timezone.now(), actor.person
    else:
        if agreement.agency_signed_at:
            raise Conflict(_("You already signed this agreement."))
        agreement.agency_signed_at = timezone.now()
        agreement.agency_signed_by = (actor.person.name if actor.person else "") or actor.via
    agreement.save()
    audit.record(actor, "agreement_sign", placement=agreement.placement, changes={"side": side})
    return agreement


# --- beside the field log -------------------------------------------------------------------------

STATES = {
    "missing": gettext_lazy("Not written yet"),
    "drafted": gettext_lazy("Drafted, not signed yet"),
    "agency_signed": gettext_lazy("Signed by the agency supervisor; waiting for the academic supervisor"),
    "academic_signed": gettext_lazy("Signed by the academic supervisor; waiting for the agency supervisor"),
    "signed": gettext_lazy("Signed by both supervisors"),
    "needs_signatures": gettext_lazy("Changed after signing: it needs new signatures"),
}


def state_of(agreement):
    if agreement is None or not agreement.goals:
        return "missing"
    if agreement.agency_signed_at and agreement.academic_signed_at:
        return "signed"
    if agreement.agency_signed_at:
        return "agency_signed"
    if agreement.academic_signed_at:
        return "academic_signed"
    # Unsigned now but signed before: a change after signing cleared the signatures.
    signed_before = AuditEvent.objects.filter(placement=agreement.placement_id, action="agreement_sign").exists()
    return "needs_signatures" if signed_before else "drafted"


def beside_log(actor, placement, language):
    """The placement's learning agreement as its field log shows it (reading creates nothing):
    {"state", "label", "goals": [{"title", "goals", "activities"}]}."""
    own = (actor.has(roles.STUDENT) and actor.person is not None and placement.student_id == actor.person.pk
           and placement.course_id == actor.course.pk)
    if not own and not visible_placements(actor).filter(pk=placement.pk).exists():
        raise NotFound(_("This placement does not exist or is not yours to see."))
    try:
        agreement = placement.agreement  # loaded with the placement where the screen asked for it
    except Agreement.DoesNotExist:
        agreement = None
    state = state_of(agreement)
    goals = [{"title": c.title.get(language) or c.title["en"], **agreement.goals[c.id]}
             for c in competencies() if agreement and c.id in agreement.goals]
    return {"state": state, "label": STATES[state], "goals": goals}
