"""Signed, expiring, single-purpose links for agency supervisors without an LMS account."""
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, roles
from ..errors import Conflict, Forbidden, Invalid, LinkExpired, NotFound
from .services import placement_for
from ..models import AgencyLink
from ..parse import parse_id
from ..people import Actor

SALT = "maydan.agency-link"
MAX_DAYS = 120


@transaction.atomic
def issue(actor, placement_id, *, days=30, supervisor_name="", email="", opens=""):
    """A new link for a placement's agency supervisor; given their address, it is e-mailed to them.
    `opens`: the activity the link leads to besides the log ("evaluation:midterm")."""
    if not actor.supervises_course:
        raise Forbidden(_("Only the academic supervisor or the field coordinator may issue agency links."))
    placement = placement_for(actor, placement_id)
    days = valid_days(days)
    link = AgencyLink.objects.create(
        placement=placement,
        issued_by=actor.person,
        supervisor_name=(supervisor_name or "").strip()[:255],
        email=clean_address(email),
        opens=opens[:200],
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit.record(actor, "link_issue", placement=placement, changes={"link": link.pk, "days": days})
    return link, token_for(link)


def clean_address(email):
    """An agency supervisor's e-mail address, lower-cased, or ""; Invalid naming the field when malformed."""
    email = (email or "").strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        message = _("Enter the agency supervisor's e-mail address, or leave it empty.")
        raise Invalid(message, {"email": [message]})
    return email.lower()


@transaction.atomic
def resend(actor, link_id):
    """E-mail a link again to the address it was issued with (the audit row sends it)."""
    if not actor.supervises_course:
        raise Forbidden(_("Only the academic supervisor or the field coordinator may send agency links."))
    link = AgencyLink.objects.filter(pk=parse_id(link_id, _("This link does not exist.")),
                                     placement__course=actor.course).first()
    if link is None:
        raise NotFound(_("This link does not exist."))
    if link.revoked_at is not None or link.expires_at <= timezone.now():
        raise Conflict(_("This link no longer works: create a new one."))
    if not link.email:
        raise Conflict(_("This link has no e-mail address to send it to."))
    audit.record(actor, "link_resend", placement=link.placement, changes={"link": link.pk})
    return link


def valid_days(days):
    """How many days a new link lasts, from a form value; Invalid outside 1 to MAX_DAYS."""
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_DAYS:
        raise Invalid(_("A link is valid for 1 to %(max)s days.") % {"max": MAX_DAYS}, {"days": []})
    return days


def token_for(link, salt=SALT):
    return signing.dumps(link.pk, salt=salt)


def load(token, queryset, *, salt, invalid, revoked, expired):
    """The link row a token names, once its signature, revocation and expiry are checked.

    Every kind of link (a placement's, an agency's openings) is signed and checked here, each
    with its own salt, so a token of one kind never opens another.
    """
    try:
        link = queryset.get(pk=signing.loads(token, salt=salt))
    except (signing.BadSignature, queryset.model.DoesNotExist, TypeError, ValueError):
        raise NotFound(invalid)
    if link.revoked_at is not None:
        raise LinkExpired(revoked)
    if link.expires_at <= timezone.now():
        raise LinkExpired(expired)
    return link


def url_for(token):
    """The absolute address an agency supervisor opens: this app's page, on the public host.

    MAYDAN_BASE_URL where Maydan serves itself; LMS_ROOT_URL inside Open edX.
    """
    return public_url(reverse("maydan:agency-link", args=[token]))


def public_url(path):
    """An address of this app on its public host, for people who open it outside the platform."""
    base = getattr(settings, "MAYDAN_BASE_URL", "") or getattr(settings, "LMS_ROOT_URL", "") or ""
    return base.rstrip("/") + path


def address_of(link):
    """Where a link leads: the log, or the activity it was issued for (e.g. an evaluation)."""
    url = url_for(token_for(link))
    if link.opens:
        kind, _sep, key = link.opens.partition(":")
        url += "?" + urlencode({"activity": kind, "key": key})
    return url


@transaction.atomic
def revoke(actor, link_id):
    if not actor.supervises_course:
        raise Forbidden(_("Only the academic supervisor or the field coordinator may revoke agency links."))
    message = _("This link does not exist.")
    try:
        link = AgencyLink.objects.select_for_update().get(pk=parse_id(link_id, message), placement__course=actor.course)
    except AgencyLink.DoesNotExist:
        raise NotFound(message)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit.record(actor, "link_revoke", placement=link.placement, changes={"link": link.pk})
    return link


def links_for(placement):
    return list(placement.links.order_by("-created_at"))


def open_link(token, *, purpose="view"):
    """The Actor a link stands for, after checking signature, expiry and revocation. Every use is audited."""
    link = load(token, AgencyLink.objects.select_related("placement__course", "placement__student"), salt=SALT,
                invalid=_("This link is not valid. Ask the academic supervisor for a new one."),
                revoked=_("This link was revoked. Ask the academic supervisor for a new one."),
                expired=_("This link has expired. Ask the academic supervisor for a new one."))
    actor = Actor(
        course=link.placement.course,
        person=None,
        roles=frozenset({roles.AGENCY}),
        link_placement=link.placement,
        via=f"agency link {link.pk}",
        link=link,
    )
    audit.record(actor, "link_use", placement=link.placement, changes={"link": link.pk, "purpose": purpose})
    return actor
