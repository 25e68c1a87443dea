"""An agency contact's link: propose and update its openings, accept or decline offers, with no account.

Signed and checked by `maydan.fieldlog.links` (its own salt, so a placement link never opens this and
the reverse); expiring; revocable by the coordinator; every use audited.
"""
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, parse
from ..fieldlog import links
from ..cohort.placements import require_coordinator
from ..errors import NotFound
from .models import OpeningLink
from .services import _agency_of, program_for, save_opening

SALT = "maydan.program.agency-link"


@dataclass(frozen=True)
class AgencyDesk:
    """Who acts through an agency link: the agency, filed in the course the link was issued from."""

    course: object
    agency: object
    link: object
    person: None = None
    roles: frozenset = frozenset()
    link_placement: None = None

    @property
    def via(self):
        return f"opening link {self.link.pk}"

    def has(self, *wanted):
        return False

    supervises_course = False


@transaction.atomic
def issue(actor, agency_id, *, days=30, contact_name=""):
    require_coordinator(actor)
    agency = _agency_of(actor, agency_id)
    days = links.valid_days(days)
    link = OpeningLink.objects.create(agency=agency, course=actor.course, issued_by=actor.person,
                                      contact_name=str(contact_name or "").strip()[:255],
                                      expires_at=timezone.now() + timedelta(days=days))
    audit.record(actor, "opening_link_issue", changes={"link": link.pk, "agency": agency.pk, "days": days})
    return link, links.token_for(link, SALT)


@transaction.atomic
def revoke(actor, link_id):
    require_coordinator(actor)
    try:
        link = OpeningLink.objects.select_for_update().get(pk=parse.parse_id(link_id), agency__program=program_for(actor.course))
    except (OpeningLink.DoesNotExist, TypeError, ValueError):
        raise NotFound(_("This link does not exist."))
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit.record(actor, "opening_link_revoke", changes={"link": link.pk})
    return link


def links_for(agency):
    return list(agency.links.order_by("-created_at"))


def url_for(token):
    return links.public_url(reverse("maydan:opening-link", args=[token]))


def open_link(token, *, purpose="view"):
    """The AgencyDesk a token stands for; refused when forged, revoked or expired. Every use is audited."""
    link = links.load(token, OpeningLink.objects.select_related("agency__program", "course"), salt=SALT,
                      invalid=_("This link is not valid. Ask the field coordinator for a new one."),
                      revoked=_("This link was revoked. Ask the field coordinator for a new one."),
                      expired=_("This link has expired. Ask the field coordinator for a new one."))
    desk = AgencyDesk(course=link.course, agency=link.agency, link=link)
    audit.record(desk, "opening_link_use", changes={"link": link.pk, "purpose": str(purpose)[:32]})
    return desk


@transaction.atomic
def save_opening_by_link(desk, data):
    return save_opening(desk, desk.agency, data, data.get("opening") or None)
