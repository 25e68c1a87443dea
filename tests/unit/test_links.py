"""Agency links: signed, expiring, single-purpose, revocable, every use audited."""
from datetime import timedelta

import pytest
from django.utils import timezone

from maydan import fieldlog
from maydan.fieldlog import links
from maydan.errors import Forbidden, Invalid, LinkExpired, NotFound
from maydan.models import AgencyLink, AuditEvent
from tests.conftest import entry_form


def placement_of(actor):
    return fieldlog.placement_for(actor)


def test_link_opens_only_its_placement_and_approves_there(cohort):
    mine = fieldlog.save_entry(cohort.student, entry_form(), submit=True)
    other = fieldlog.save_entry(cohort.other_student, entry_form(), submit=True)
    _link, token = links.issue(cohort.academic, mine.placement_id, days=7, supervisor_name="Mr. Supervisor")
    actor = links.open_link(token)
    assert list(fieldlog.visible_placements(actor)) == [mine.placement]
    fieldlog.approve_entry(actor, mine.pk)
    with pytest.raises(NotFound):
        fieldlog.approve_entry(actor, other.pk)
    with pytest.raises(Forbidden):
        fieldlog.countersign_entry(actor, mine.pk)
    approval = AuditEvent.objects.get(action="approve")
    assert approval.actor is None and approval.via.startswith("agency link")


def test_every_use_is_audited(cohort):
    link, token = links.issue(cohort.coordinator, placement_of(cohort.student).pk)
    links.open_link(token)
    links.open_link(token, purpose="approve")
    uses = AuditEvent.objects.filter(action="link_use")
    assert [u.changes for u in uses] == [{"link": link.pk, "purpose": "view"}, {"link": link.pk, "purpose": "approve"}]


def test_expired_link_is_refused(cohort):
    link, token = links.issue(cohort.academic, placement_of(cohort.student).pk, days=1)
    AgencyLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(LinkExpired):
        links.open_link(token)


def test_revoked_link_is_refused_and_stays_revoked(cohort):
    link, token = links.issue(cohort.academic, placement_of(cohort.student).pk)
    links.revoke(cohort.academic, link.pk)
    with pytest.raises(LinkExpired):
        links.open_link(token)
    links.revoke(cohort.academic, link.pk)  # revoking twice changes nothing
    assert AuditEvent.objects.filter(action="link_revoke").count() == 1


@pytest.mark.parametrize("token", ["", "garbage", "1:abc:def"])
def test_forged_tokens_are_refused(cohort, token):
    with pytest.raises(NotFound):
        links.open_link(token)


def test_a_token_for_one_link_cannot_be_edited_into_another(cohort):
    first, token = links.issue(cohort.academic, placement_of(cohort.student).pk)
    _second, other_token = links.issue(cohort.academic, placement_of(cohort.other_student).pk)
    # The other link's id with this link's signature.
    forged = other_token.split(":", 1)[0] + ":" + token.split(":", 1)[1]
    assert forged not in (token, other_token)
    with pytest.raises(NotFound):
        links.open_link(forged)


@pytest.mark.parametrize("who", ["student", "agency"])
def test_only_course_supervisors_issue_and_revoke(cohort, who):
    placement = placement_of(cohort.student)
    with pytest.raises(Forbidden):
        links.issue(getattr(cohort, who), placement.pk)
    link, _ = links.issue(cohort.academic, placement.pk)
    with pytest.raises(Forbidden):
        links.revoke(getattr(cohort, who), link.pk)
    assert AgencyLink.objects.get(pk=link.pk).revoked_at is None


@pytest.mark.parametrize("days", ["0", "121", "soon"])
def test_validity_is_bounded(cohort, days):
    with pytest.raises(Invalid):
        links.issue(cohort.academic, placement_of(cohort.student).pk, days=days)
    assert not AgencyLink.objects.exists()


def test_links_of_another_course_do_not_leak(cohort):
    from maydan import people, roles
    stranger = people.enter(cohort.issuer, "another-course", "a9", {roles.ACADEMIC})
    with pytest.raises(NotFound):
        links.issue(stranger, placement_of(cohort.student).pk)


def test_a_link_opens_only_the_entries_waiting_for_approval(cohort):
    waiting = fieldlog.save_entry(cohort.student, entry_form(start_time="08:00", end_time="09:00"), submit=True)
    done = fieldlog.save_entry(cohort.student, entry_form(start_time="10:00", end_time="11:00"), submit=True)
    fieldlog.save_entry(cohort.student, entry_form(start_time="12:00", end_time="13:00"))  # a draft
    fieldlog.approve_entry(cohort.agency, done.pk)
    _link, token = links.issue(cohort.academic, waiting.placement_id)
    actor = links.open_link(token)
    assert fieldlog.entries(actor, waiting.placement) == [waiting]
