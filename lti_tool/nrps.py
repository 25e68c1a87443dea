"""LTI Names and Role Provisioning Services: the platform's course roster, entered into the core.

Synced on a launch that carries the NRPS claim (at most once per course every few minutes, so
launches stay quick) and when a supervisor asks for it.
"""
import logging

from django.conf import settings
from django.core.cache import cache
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector

from maydan import people, roles

from .lti import DatabaseToolConf

log = logging.getLogger(__name__)

CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
RECENT_PREFIX = "maydan-lti-roster-synced-"
RECENT = 10 * 60
SUBJECT_MAX = 255


def memberships_url(claims):
    return (claims.get(CLAIM) or {}).get("context_memberships_url") or ""


def fetch(registration, url):
    """Every active member of the course (all pages), as core Members; roles the tool does not know are left out."""
    pylti = DatabaseToolConf().find_registration_by_params(registration.issuer, registration.client_id)
    service = NamesRolesProvisioningService(ServiceConnector(pylti), {"context_memberships_url": url})
    members = []
    for member in service.get_members():
        if member.get("status", "Active") != "Active":
            continue
        name = str(member.get("name") or " ".join(filter(None, [member.get("given_name"), member.get("family_name")])))
        subject, email, listed = str(member.get("user_id") or ""), str(member.get("email") or ""), member.get("roles")
        if len(subject) > SUBJECT_MAX or not isinstance(listed, list):
            continue  # not an identifier an LTI platform sends (LTI Core: at most 255 characters)
        members.append(people.Member(
            subject=subject, roles=frozenset(roles.from_lti([r for r in listed if isinstance(r, str)], default=None)),
            name=name[:255], email=email if len(email) <= 254 else "",
        ))
    return members


def sync_on_launch(registration, claims, course):
    """Enter the roster the launch points to, unless this course was synced a moment ago. Never fails a launch."""
    url = memberships_url(claims)
    if not url or not getattr(settings, "MAYDAN_LTI_ROSTER_ON_LAUNCH", True):
        return None
    # get before add: most launches find the course synced, and a read is one cache round trip.
    if cache.get(RECENT_PREFIX + str(course.pk)) or not cache.add(RECENT_PREFIX + str(course.pk), 1, RECENT):
        return None
    try:
        return people.enter_roster(course, fetch(registration, url))
    except Exception as exc:  # the platform's roster being unavailable must not stop the person working
        log.warning("roster sync for course %s failed: %s", course.pk, exc)
        cache.delete(RECENT_PREFIX + str(course.pk))
        return None
