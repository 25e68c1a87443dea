"""Which Maydan activity a launch opens: the platform's resource link, remembered here.

A link names its activity in the custom parameter `maydan_activity` ("kind" or "kind:key",
set by deep linking); a link without one is the field log. The link's line item (AGS claim)
becomes a grade destination of the course in the core's outbox.
"""
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maydan import activities, arrival, grades, rows
from maydan.errors import Forbidden
from maydan.simulation import services as simulation

from . import nrps
from .lti import CLAIM
from .models import ResourceLink

CUSTOM_ACTIVITY = "maydan_activity"
# A per-link setting of a case simulation: "practice" (not graded) or "assessment" (the default).
CUSTOM_MODE = "maydan_mode"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
DEFAULT_ACTIVITY = "fieldlog"
# The launched link in SQL (one row at most: unique per registration), as `alias`.
_THE_LINK = "{alias}.registration_id = %s AND {alias}.link_id = %s"


def split(value):
    """"simulation:flood" -> ("simulation", "flood"); "fieldlog" -> ("fieldlog", "")."""
    kind, _sep, key = (value or DEFAULT_ACTIVITY).partition(":")
    return kind, key


def join(kind, key=""):
    return f"{kind}:{key}" if key else kind


def beside_arrival(registration, claims):
    """The launched link, for maydan.arrival to read in the person's query (see check_course)."""
    return arrival.Beside.one_row(ResourceLink, _THE_LINK.format(alias="b"), [registration.pk, _link_id(claims)])


def check_course(registration, claims, beside=None):
    """Refuse a launch of a link this platform placed in another course (before anything is written).
    `beside`: beside_arrival's link after the arrival's read; the link is read here when that read found nobody."""
    context_id = (claims.get(CLAIM + "context") or {}).get("id") or ""
    known = beside.row if beside is not None and beside.read else _remembered(registration, _link_id(claims))
    if known is not None and known.context_id != context_id:
        raise Forbidden(_("This activity belongs to another course. Open it from its own course."))
    return known


def _link_id(claims):
    return (claims.get(CLAIM + "resource_link") or {}).get("id") or ""


def _remembered(registration, link_id):
    """The link as remembered, or None: for a launch whose person the arrival's read did not find (a returning
    launch reads the link in that query). Written out in SQL as that read is (see maydan.arrival for why)."""
    found = rows.fetch(f"SELECT {', '.join(rows.columns(ResourceLink, 'l'))} FROM {rows.table(ResourceLink)} l "
                       f"WHERE {_THE_LINK.format(alias='l')}", [registration.pk, link_id])
    return rows.instance(ResourceLink, found[0]) if found else None


def place(registration, claims, course, known):
    """Remember the launched link; return (kind, key, mode) of its activity. Call inside the launch's transaction.

    `known`: what check_course answered for this launch.
    """
    kind, key, wanted = _described(claims, course, known)
    if known is None:  # get_or_create: two first launches at once end with one row
        ResourceLink.objects.get_or_create(
            registration=registration, link_id=_link_id(claims),
            defaults=wanted,
        )
    elif not _same(known, wanted):
        ResourceLink.objects.filter(pk=known.pk).update(**wanted, updated=timezone.now())
    lineitem = wanted["lineitem_url"]
    if kind == "simulation":  # a practice link's line item receives no grade
        simulation.place(course, lineitem, key, wanted["mode"])
    elif lineitem and (known is None or known.lineitem_url != lineitem or known.activity != wanted["activity"]):
        grades.register_destination(course, lineitem, join(kind, key))
    return kind, key, wanted["mode"]


def as_recorded(claims, course, known):
    """(kind, key, mode) if the link is remembered exactly as this launch describes it (most
    launches): nothing for `place` to write. None otherwise."""
    kind, key, wanted = _described(claims, course, known)
    return (kind, key, known.mode) if known is not None and _same(known, wanted) else None


def _described(claims, course, known):
    """(kind, key, the link's fields) as this launch describes its link; refuses an activity the course lacks."""
    custom = claims.get(CLAIM + "custom") or {}
    asked = str(custom.get(CUSTOM_ACTIVITY) or "").strip() or (known.activity if known else DEFAULT_ACTIVITY)
    kind, key = split(asked)
    activities.screens(kind)  # NotFound for a kind this tool does not have
    activities.find(course, kind, key)  # NotFound for a key the course cannot place
    lineitem = (claims.get(AGS_CLAIM) or {}).get("lineitem") or (known.lineitem_url if known else "")
    roster = nrps.memberships_url(claims) or (known.memberships_url if known else "")
    asked_mode = str(custom.get(CUSTOM_MODE) or "").strip() or (known.mode if known else "")
    return kind, key, {"context_id": (claims.get(CLAIM + "context") or {})["id"], "activity": join(kind, key),
                       "lineitem_url": lineitem, "memberships_url": roster, "mode": simulation.mode_of(asked_mode)}


def _same(known, wanted):
    return all(getattr(known, name) == value for name, value in wanted.items())
