"""The learning agreement: the student drafts, both supervisors sign, a later change needs new signatures."""
import pytest

from maydan.fieldlog import links
from maydan.errors import Conflict, Forbidden, Invalid, NotFound
from maydan.grading import agreements
from maydan.models import AuditEvent
from tests.conftest import form as posted

GOALS = {"goals_1": "Use supervision every week.", "activities_1": "Weekly conference with the agency supervisor.",
         "goals_6": "Open interviews with a clear contract."}


def test_both_supervisors_sign_and_a_change_clears_the_signatures(cohort):
    agreements.save(cohort.student, posted(**GOALS))
    placement = cohort.student.person.placements.get()
    agreements.sign(cohort.agency, placement.pk)
    agreement = agreements.sign(cohort.academic, placement.pk)
    assert agreement.signed and agreement.agency_signed_by == "Agency supervisor Rami"
    with pytest.raises(Conflict):
        agreements.sign(cohort.academic, placement.pk)
    agreements.save(cohort.student, posted(**GOALS))  # nothing changed: signatures stay
    assert agreements.agreement_for(cohort.student).signed
    changed = agreements.save(cohort.student, posted(**dict(GOALS, goals_6="Open interviews with consent first.")))
    assert not changed.agency_signed_at and not changed.academic_signed_at
    edit = AuditEvent.objects.filter(action="agreement_edit").last()
    assert edit.changes["signatures"] == ["signed", "cleared"]
    assert AuditEvent.objects.filter(action="agreement_sign").count() == 2


def test_an_agency_link_signs_for_the_agency(cohort):
    agreements.save(cohort.student, posted(**GOALS))
    placement = cohort.student.person.placements.get()
    _link, token = links.issue(cohort.academic, placement.pk, days=3)
    agreement = agreements.sign(links.open_link(token), placement.pk)
    assert agreement.agency_signed_at and agreement.agency_signed_by.startswith("agency link")


def test_refusals(cohort):
    placement = cohort.student.person.placements.get()
    with pytest.raises(Invalid):
        agreements.sign(cohort.academic, placement.pk)  # nothing written yet
    with pytest.raises(Invalid):
        agreements.save(cohort.student, posted())
    with pytest.raises(Invalid) as refusal:
        agreements.save(cohort.student, posted(goals_2="Visit the client Ahmed at home"))
    assert "goals_2" in refusal.value.field_errors
    with pytest.raises(Forbidden):
        agreements.save(cohort.academic, posted(**GOALS))
    agreements.save(cohort.student, posted(**GOALS))
    with pytest.raises(Forbidden):
        agreements.sign(cohort.student, placement.pk)
    with pytest.raises(NotFound):
        agreements.sign(cohort.other_student, placement.pk)
    stranger = cohort.enter("m2", "agency_supervisor", "Another agency")
    with pytest.raises(NotFound):
        agreements.sign(stranger, placement.pk)
