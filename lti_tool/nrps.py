"""LTI Names and Role Provisioning Services: the platform's course roster, entered into the core.

Synced on a launch that carries the NRPS claim (at most once per course every few minutes, so
launches stay quick) and when a supervisor asks for it.
"""
import logging
from urllib.parse import urljoin

from django.conf import settings
from django.core.cache import cache
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector
from requests.utils import parse_header_links

from maydan import people, roles

from .lti import DatabaseToolConf, PlatformSession, roster_synced_key

log = logging.getLogger(__name__)

CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
RECENT = 10 * 60
SUBJECT_MAX = 255
# A roster longer than this many pages is refused whole rather than entered in part: entering a part would
# withdraw everyone on the pages not read (the roster is the platform's word on who is in the course).
MOST_PAGES = 200


class RosterRefused(Exception):
    """The platform's roster cannot be read whole: its pages loop or never end."""


def memberships_url(claims):
    return (claims.get(CLAIM) or {}).get("context_memberships_url") or ""


def fetch(registration, url):
    """Every active member of the course (all pages), as core Members; roles the tool does not know are left out.
    Raises when the platform does not answer, or when its pages loop or run past MOST_PAGES."""
    pylti = DatabaseToolConf().find_registration_by_params(registration.issuer, registration.client_id)
    service = NamesRolesProvisioningService(ServiceConnector(pylti, requests_session=PlatformSession()),
                                            {"context_memberships_url": url})
    members, read, page = [], set(), url
    while page:
        if page in read or len(read) >= MOST_PAGES:
            raise RosterRefused(f"the roster's pages loop or run past {MOST_PAGES}")
        read.add(page)
        answer = service.get_nrps_data(page)
        body = answer["body"] if isinstance(answer["body"], dict) else {}
        listed = body.get("members")
        members += [_member(m) for m in (listed if isinstance(listed, list) else []) if isinstance(m, dict)]
        page = _next_page(answer["headers"], page)
    return [member for member in members if member is not None]


def _next_page(headers, page):
    """The next page's address as the platform wrote it, from the Link header (RFC 8288; relative to the page).
    pylti1p3 lowercases it, which breaks an address whose path or query tell cases apart."""
    link = next((value for name, value in headers.items() if name.lower() == "link"), "")
    return next((urljoin(page, item["url"]) for item in parse_header_links(link)
                 if "next" in str(item.get("rel", "")).lower().split() and item.get("url")), None)


def _member(member):
    """A core Member of one listed member, or None: inactive, or not identified as LTI identifies people."""
    if member.get("status", "Active") != "Active":
        return None
    subject, email, listed = member.get("user_id"), member.get("email"), member.get("roles")
    if not isinstance(subject, (str, int)) or isinstance(subject, bool) or not 0 < len(str(subject)) <= SUBJECT_MAX \
            or not isinstance(listed, list):
        return None  # not an identifier an LTI platform sends (LTI Core: at most 255 characters)
    name = member.get("name") if isinstance(member.get("name"), str) else ""
    name = name or " ".join(part for part in (member.get("given_name"), member.get("family_name"))
                            if isinstance(part, str) and part)
    email = email if isinstance(email, str) and len(email) <= 254 else ""
    return people.Member(subject=str(subject), name=name[:255], email=email,
                         roles=frozenset(roles.from_lti([r for r in listed if isinstance(r, str)], default=None)))


def sync_on_launch(registration, claims, course, synced=None):
    """Enter the roster the launch points to, unless this course was synced a moment ago. Never fails a launch.
    `synced`: whether it was, when the launch has read it already (DatabaseToolConf.roster_synced)."""
    url = memberships_url(claims)
    if not url or not getattr(settings, "MAYDAN_LTI_ROSTER_ON_LAUNCH", True):
        return None
    key = roster_synced_key(course.issuer, course.context_id)
    # read before add: most launches find the course synced, and a read is one cache round trip.
    if synced is None:
        synced = cache.get(key) is not None
    if synced or not cache.add(key, 1, RECENT):
        return None
    try:
        return people.enter_roster(course, fetch(registration, url))
    except Exception as exc:  # the platform's roster being unavailable must not stop the person working
        log.warning("roster sync for course %s failed: %s", course.pk, exc)
        cache.delete(key)
        return None
