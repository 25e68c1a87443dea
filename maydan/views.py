"""The core's own page: what an agency supervisor opens from a signed link, with no account."""
from functools import wraps

from django.shortcuts import render
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_deny
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import activities, pages, roles, ui
from .fieldlog import links
from .documents import services as documents
from .errors import Refused
from .program import agency_links


def asked_language(request):
    """The language a page asks for in its address or form ("ar" or "en"), or None."""
    asked = request.GET.get("lang") or request.POST.get("lang")
    return asked if asked in ("ar", "en") else None


def _language(request, course=None):
    """The language asked by the page, then the course's chosen language, then the browser's, then the course's."""
    asked = asked_language(request)
    if asked:
        return asked
    if course is not None and course.language_chosen:
        return course.language
    return translation.get_language_from_request(request) if "HTTP_ACCEPT_LANGUAGE" in request.META else (
        course.language if course else "ar"
    )


def never_framed(view):
    """No other site may frame the page (clickjacking): the header old browsers read, and the one new ones do."""
    @wraps(view)
    def framed_by_none(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = "frame-ancestors 'none'"
        return response
    return xframe_options_deny(framed_by_none)


# The token in the URL is the credential and no cookie is involved, so a forged cross-site
# post cannot act without already holding the link. The link is opened from an e-mail, never
# inside a platform's frame, so it is never framed.
@csrf_exempt
@never_framed
@require_http_methods(["GET", "POST"])
def agency_link(request, token):
    try:
        actor = links.open_link(token, purpose=request.POST.get("action", "view") if request.method == "POST" else "view")
    except Refused as refusal:
        return pages.refusal_page(request, refusal, _language(request))
    language = _language(request, actor.course)
    screen = ui.Screen(
        actor=actor, language=language, endpoint=request.path, hidden={"lang": language}, view="placement"
    )
    # A link may open another activity of the placement, e.g. ?activity=evaluation&key=midterm.
    kind = request.GET.get("activity") or request.POST.get("activity")
    if kind and kind != "fieldlog":
        key = request.GET.get("key") or request.POST.get("key") or ""
        try:
            with translation.override(language):
                activities.find(actor.course, kind, key)
        except Refused as refusal:
            return pages.refusal_page(request, refusal, language)
        screen.activity, screen.key = kind, key
        screen.hidden.update(activity=kind, key=key)
    return pages.respond(request, screen)


@csrf_exempt
@never_framed
@require_http_methods(["GET", "POST"])
def opening_link(request, token):
    """An agency contact's page for its openings and offers (maydan.program.agency_links), like agency_link."""
    try:
        desk = agency_links.open_link(token, purpose=request.POST.get("action", "view") if request.method == "POST"
                                      else "view")
    except Refused as refusal:
        return pages.refusal_page(request, refusal, _language(request))
    language = _language(request, desk.course)
    screen = ui.Screen(actor=desk, language=language, activity="program", endpoint=request.path,
                       hidden={"lang": language}, view="agency")
    return pages.respond(request, screen)


# Public: anyone holding a document's code learns whether it is authentic and unchanged (the student's
# name, the dates, the hash, who signed), nothing else. Reading writes nothing.
@never_framed
@require_http_methods(["GET"])
def verify(request, code):
    language = _language(request)
    with translation.override(language):
        try:
            found = documents.verify(code)
        except Refused as refusal:
            return pages.refusal_page(request, refusal, language)
        return render(request, "maydan/documents/verify.html", {
            "found": found, "title": documents.title(found.kind, language), "language": language,
            "direction": ui.direction(language),
            "signatures": [(s.typed_name, roles.LABELS.get(s.role, s.role), s.signed_at) for s in found.signatures],
        })
