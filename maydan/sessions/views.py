"""Calendar addresses: a person's subscription feed and one session's .ics, opened by calendar programs.

The key in the address is the credential (no cookie, no sign-in: calendar programs have
neither), so it is long, random, per person and revocable. A revoked key answers 410 and
an unknown one 404, with no calendar content.
"""
from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from ..errors import Refused
from . import calendars


def feed_url(key, *, webcal=True):
    """The address a person subscribes to; webcal:// opens the calendar program directly."""
    base = getattr(settings, "MAYDAN_BASE_URL", "") or getattr(settings, "LMS_ROOT_URL", "") or ""
    url = base.rstrip("/") + reverse("maydan:session-feed", args=[key])
    if webcal and url.startswith(("https://", "http://")):
        return "webcal://" + url.split("://", 1)[1]
    return url


def session_url(key, session_id):
    base = getattr(settings, "MAYDAN_BASE_URL", "") or getattr(settings, "LMS_ROOT_URL", "") or ""
    return base.rstrip("/") + reverse("maydan:session-ics", args=[key, session_id])


def _calendar(body, filename=None):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _refused(refusal):
    # Plain text in both languages: a calendar program shows it, if anything, to whoever holds the address.
    return HttpResponse(str(refusal.message), status=refusal.status, content_type="text/plain; charset=utf-8")


@require_safe
def feed(request, key):
    try:
        actor = calendars.actor_for_feed(key)
        return _calendar(calendars.feed_for(actor))
    except Refused as refusal:
        return _refused(refusal)


@require_safe
def session_ics(request, key, session_id):
    try:
        actor = calendars.actor_for_feed(key)
        return _calendar(calendars.session_ics(actor, session_id), filename=f"session-{session_id}.ics")
    except Refused as refusal:
        return _refused(refusal)
